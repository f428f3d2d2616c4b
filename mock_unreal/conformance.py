"""Compare the mock's public surface with the real `unreal` API (see `_stub_surface`).

python -m mock_unreal.conformance            # print every difference, exit 1 if any
"""

from __future__ import annotations

import inspect
from typing import Any, Dict, List, Optional, Tuple

from ._stub_surface import STUB_VERSION, Surface, cache_dir, find_or_download_wheel, lineage, load_surface

__all__ = [
    "STUB_VERSION",
    "Surface",
    "cache_dir",
    "compare",
    "find_or_download_wheel",
    "load_surface",
    "main",
]

# ---- the mock's side ----------------------------------------------------------------------------


def mock_surface(module: Any) -> Dict[str, Any]:
    """The public names of the mock module: its classes with their own members, and its functions."""
    classes: Dict[str, Any] = {}
    functions: Dict[str, Any] = {}
    for name in getattr(module, "__all__", dir(module)):
        if name.startswith("_"):
            continue
        value = getattr(module, name)
        if inspect.isclass(value):
            classes[name] = value
        elif callable(value):
            functions[name] = value
    return {"classes": classes, "functions": functions}


def _mock_member_kind(cls: type, name: str) -> Tuple[str, Any]:
    raw = inspect.getattr_static(cls, name)
    if isinstance(raw, classmethod):
        return "classmethod", raw.__func__
    if isinstance(raw, staticmethod):
        return "staticmethod", raw.__func__
    if isinstance(raw, property):
        return "property", raw
    if inspect.isfunction(raw):
        return "method", raw
    return "attribute", raw


def _mock_params(fn: Any) -> List[Tuple[str, str, bool]]:
    kinds = {
        inspect.Parameter.POSITIONAL_ONLY: "positional",
        inspect.Parameter.POSITIONAL_OR_KEYWORD: "positional",
        inspect.Parameter.VAR_POSITIONAL: "var_positional",
        inspect.Parameter.KEYWORD_ONLY: "keyword_only",
        inspect.Parameter.VAR_KEYWORD: "var_keyword",
    }
    out = []
    for p in inspect.signature(fn).parameters.values():
        has_default = p.default is not inspect.Parameter.empty or p.kind in (
            inspect.Parameter.VAR_POSITIONAL,
            inspect.Parameter.VAR_KEYWORD,
        )
        out.append((p.name, kinds[p.kind], has_default))
    return out


def _compare_params(where: str, mock: List[Tuple[str, str, bool]], real: List[Any]) -> List[str]:
    problems: List[str] = []
    real_params = [tuple(p) for p in real]
    if any(kind == "var_positional" for _, kind, _ in real_params):
        return problems  # the real signature accepts anything positional (patched or glue code)
    mock_named = [p for p in mock if p[1] in ("positional", "keyword_only")]
    real_named = [p for p in real_params if p[1] in ("positional", "keyword_only")]
    if [p[0] for p in mock_named] != [p[0] for p in real_named][: len(mock_named)]:
        problems.append(
            f"{where}: parameters {[p[0] for p in mock_named]} != real {[p[0] for p in real_named]}"
        )
        return problems
    if len(mock_named) < len(real_named):
        missing = [p[0] for p in real_named[len(mock_named) :]]
        if not any(p[1] == "var_keyword" for p in mock):
            problems.append(f"{where}: lacks real parameters {missing}")
    mock_required = sum(1 for p in mock_named if not p[2])
    real_required = sum(1 for p in real_named if not p[2])
    if mock_required > real_required:
        problems.append(f"{where}: requires {mock_required} parameters, the real one {real_required}")
    return problems


def _real_member(surface: Surface, class_name: str, member: str) -> Optional[Dict[str, Any]]:
    """A member looked up through the real class's bases, as attribute lookup would find it."""
    for cls in lineage(surface, [class_name]):
        if member in cls["members"]:
            found: Dict[str, Any] = cls["members"][member]
            return found
    return None


def compare(module: Any, surface: Surface) -> Tuple[List[str], int]:
    """Differences between the mock `module` and the real `surface`, and how many names were checked."""
    problems: List[str] = []
    checked = 0
    mine = mock_surface(module)
    for name, fn in sorted(mine["functions"].items()):
        checked += 1
        real = surface["functions"].get(name)
        if real is None:
            if name not in surface["classes"] and name not in surface["names"]:
                problems.append(f"unreal.{name}: not in the real module")
            continue
        problems.extend(_compare_params(f"unreal.{name}()", _mock_params(fn), real["params"]))
    for name, cls in sorted(mine["classes"].items()):
        checked += 1
        if name not in surface["classes"]:
            problems.append(f"unreal.{name}: class not in the real module")
            continue
        own: Dict[str, type] = {}
        for klass in reversed(cls.__mro__):
            # Members a class gets from private mock mixins count as its own: scripts see them on it.
            private_mixin = (
                klass.__module__.startswith("mock_unreal.") and klass.__name__ not in surface["classes"]
            )
            if klass is cls or private_mixin:
                own.update({m: klass for m in vars(klass)})
        for member in sorted(own):
            if member.startswith("_") and member not in ("__init__",):
                continue
            real_member = _real_member(surface, name, member)
            where = f"unreal.{name}.{member}"
            kind, obj = _mock_member_kind(own[member], member)
            if member == "__init__":
                if real_member is not None and kind == "method":
                    checked += 1
                    problems.extend(_compare_params(where + "()", _mock_params(obj), real_member["params"]))
                continue
            checked += 1
            if real_member is None:
                problems.append(f"{where}: not in the real class")
                continue
            real_kind = real_member["kind"]
            if kind == "attribute" and real_kind in ("attribute", "property"):
                continue
            if kind == "property" and real_kind in ("property", "attribute"):
                continue
            if kind != real_kind:
                problems.append(f"{where}: is a {kind}, the real one is a {real_kind}")
                continue
            if kind in ("method", "classmethod", "staticmethod"):
                problems.extend(_compare_params(where + "()", _mock_params(obj), real_member["params"]))
        problems.extend(_compare_editor_properties(name, cls, surface))
    return problems, checked


# Real properties the stub's docstrings leave out (UPROPERTY() without Blueprint flags) that the editor's
# get/set_editor_property still accept; scripts in the wild set them (issue 14).
UNLISTED_REAL_PROPERTIES = frozenset({("MaterialInstanceConstantFactoryNew", "initial_parent")})


def _compare_editor_properties(name: str, cls: type, surface: Surface) -> List[str]:
    """Editor properties the mock declares must exist on the real class (or one of its bases)."""
    declared = vars(cls).get("_editor_properties_", {})
    problems = []
    for prop in declared:
        if (name, prop) in UNLISTED_REAL_PROPERTIES:
            continue
        if not any(prop in real["editor_properties"] for real in lineage(surface, [name])):
            problems.append(f"unreal.{name}: editor property {prop!r} is not in the real class")
    return problems


def main(argv: Optional[List[str]] = None) -> int:
    """Compare the mock with the real API and print every difference."""
    del argv
    wheel = find_or_download_wheel()
    assert wheel is not None
    from . import unreal as mock

    problems, checked = compare(mock, load_surface(wheel))
    for line in problems:
        print(line)
    print(f"{checked} names checked, {len(problems)} differences")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
