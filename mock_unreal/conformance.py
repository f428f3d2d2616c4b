"""Compare the mock's public surface with the real `unreal` API, read from the `unreal-stub` wheel as data.

The wheel has no licence and carries Epic's copyright, so nothing derived from it is kept in the
repository: it is downloaded into a cache outside it, parsed with `ast` (never imported: it swaps
`sys.stdout` and would shadow the mock) and reduced to a small JSON surface cached beside it.

    python -m mock_unreal.conformance            # print every difference, exit 1 if any
"""
from __future__ import annotations

import ast
import hashlib
import inspect
import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

STUB_VERSION = "0.3"
_STUB_MEMBER = "unreal/unreal.py"
_SURFACE_FORMAT = 2
_EDITOR_PROPERTY = re.compile(r"^\s*- ``(\w+)`` \(.*?\):\s*\[(Read-Write|Read-Only)\]", re.MULTILINE)

# A surface is plain JSON:
#   {"classes": {name: {"bases": [...], "members": {name: Member}, "editor_properties": {name: writable}}},
#    "functions": {name: Member}, "names": [module-level assignments]}
# where Member = {"kind": "method"|"classmethod"|"staticmethod"|"property"|"attribute",
#                 "params": [[name, kind, has_default], ...], "settable": bool}
Surface = Dict[str, Any]


def cache_dir() -> Path:
    """Where the wheel and its surface are kept: $UE_BRIDGE_STUB_CACHE or ~/.cache/unreal-bridge."""
    configured = os.environ.get("UE_BRIDGE_STUB_CACHE")
    path = Path(configured) if configured else Path.home() / ".cache" / "unreal-bridge"
    path.mkdir(parents=True, exist_ok=True)
    return path


def find_or_download_wheel(version: str = STUB_VERSION, download: bool = True) -> Optional[Path]:
    """The cached wheel for `version`, downloading it with pip when allowed; None when unavailable."""
    directory = cache_dir()
    pattern = f"unreal_stub-{version}-*.whl"
    found = sorted(directory.glob(pattern))
    if found or not download:
        return found[0] if found else None
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--disable-pip-version-check",
           f"unreal-stub=={version}", "-d", str(directory)]
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=300, check=False)
    found = sorted(directory.glob(pattern))
    if not found:
        raise RuntimeError(f"pip could not download unreal-stub=={version}: {result.stderr.strip()[-500:]}")
    return found[0]


def load_surface(wheel: Path) -> Surface:
    """The surface of `wheel`, from the JSON cache or parsed in a child process (about 5 s, 700 MB)."""
    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()[:16]
    cached = wheel.parent / f"surface-{digest}-v{_SURFACE_FORMAT}.json"
    if not cached.exists():
        # A child process returns the parser's memory to the OS as soon as it is done.
        cmd = [sys.executable, "-m", "mock_unreal.conformance", "--extract", str(wheel), str(cached)]
        env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parent.parent))
        subprocess.run(cmd, check=True, timeout=600, env=env)
    with open(cached, encoding="utf-8") as f:
        surface: Surface = json.load(f)
    return surface


def extract_surface(wheel: Path) -> Surface:
    """Parse the stub inside `wheel` with `ast` and keep only names, kinds and parameters."""
    with zipfile.ZipFile(wheel) as zf:
        source = zf.read(_STUB_MEMBER).decode("utf-8-sig")
    tree = _parse_patching_bad_defs(source)
    classes: Dict[str, Any] = {}
    functions: Dict[str, Any] = {}
    names: List[str] = []
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            classes[node.name] = _class_surface(node)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            functions[node.name] = _function_surface(node)
        elif isinstance(node, ast.Assign):
            names.extend(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.append(node.target.id)
    return {"classes": classes, "functions": functions, "names": names}


def _parse_patching_bad_defs(source: str) -> ast.Module:
    """`ast.parse`, replacing any `def` line whose defaults are Unreal export text (0.3 has one)."""
    lines = source.splitlines()
    for _ in range(20):
        try:
            return ast.parse("\n".join(lines))
        except SyntaxError as exc:
            index = (exc.lineno or 0) - 1
            start = index
            while start >= 0 and not lines[start].lstrip().startswith("def "):
                start -= 1
            if start < 0 or index - start > 5:
                raise
            indent = lines[start][: len(lines[start]) - len(lines[start].lstrip())]
            name = lines[start].lstrip()[4:].split("(", 1)[0]
            lines[start : index + 1] = [f"{indent}def {name}(self, *args: Any, **kwargs: Any) -> None:"]
    raise SyntaxError("the stub still does not parse after 20 patched lines")


def _class_surface(node: ast.ClassDef) -> Dict[str, Any]:
    members: Dict[str, Any] = {}
    for item in node.body:
        if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
            decorators = [_decorator_name(d) for d in item.decorator_list]
            if any(d.endswith(".setter") for d in decorators):
                if item.name in members:
                    members[item.name]["settable"] = True
                continue
            members[item.name] = _function_surface(item)
        elif isinstance(item, ast.Assign):
            for target in item.targets:
                if isinstance(target, ast.Name):
                    members[target.id] = {"kind": "attribute", "params": [], "settable": True}
        elif isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
            members[item.target.id] = {"kind": "attribute", "params": [], "settable": True}
    doc = ast.get_docstring(node) or ""
    editor_properties = {m.group(1): m.group(2) == "Read-Write" for m in _EDITOR_PROPERTY.finditer(doc)}
    return {
        "bases": [ast.unparse(b) for b in node.bases],
        "members": members,
        "editor_properties": editor_properties,
    }


def _decorator_name(node: ast.expr) -> str:
    return ast.unparse(node)


def _function_surface(node: ast.FunctionDef | ast.AsyncFunctionDef) -> Dict[str, Any]:
    decorators = [_decorator_name(d) for d in node.decorator_list]
    kind = "method"
    for name, decorated_kind in (("classmethod", "classmethod"), ("staticmethod", "staticmethod"),
                                 ("property", "property")):
        if name in decorators:
            kind = decorated_kind
    args = node.args
    params: List[Tuple[str, str, bool]] = []
    positional = args.posonlyargs + args.args
    first_default = len(positional) - len(args.defaults)
    for i, arg in enumerate(positional):
        params.append((arg.arg, "positional", i >= first_default))
    if args.vararg:
        params.append((args.vararg.arg, "var_positional", True))
    for arg, default in zip(args.kwonlyargs, args.kw_defaults):
        params.append((arg.arg, "keyword_only", default is not None))
    if args.kwarg:
        params.append((args.kwarg.arg, "var_keyword", True))
    return {"kind": kind, "params": params, "settable": False}


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
            inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)
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
        problems.append(f"{where}: parameters {[p[0] for p in mock_named]} != real {[p[0] for p in real_named]}")
        return problems
    if len(mock_named) < len(real_named):
        missing = [p[0] for p in real_named[len(mock_named):]]
        if not any(p[1] == "var_keyword" for p in mock):
            problems.append(f"{where}: lacks real parameters {missing}")
    mock_required = sum(1 for p in mock_named if not p[2])
    real_required = sum(1 for p in real_named if not p[2])
    if mock_required > real_required:
        problems.append(f"{where}: requires {mock_required} parameters, the real one {real_required}")
    return problems


def _real_member(surface: Surface, class_name: str, member: str) -> Optional[Dict[str, Any]]:
    """A member looked up through the real class's bases, as attribute lookup would find it."""
    seen = set()
    todo = [class_name]
    while todo:
        name = todo.pop(0)
        if name in seen or name not in surface["classes"]:
            continue
        seen.add(name)
        cls = surface["classes"][name]
        if member in cls["members"]:
            found: Dict[str, Any] = cls["members"][member]
            return found
        todo.extend(cls["bases"])
    return None


# Names the mock adds on purpose; each says why.
MOCK_ONLY_MEMBERS = {
    "__init__",  # compared separately: the real constructors take editor properties as keywords
    "__init_subclass__", "__class_getitem__", "__repr__", "__str__", "__eq__", "__ne__", "__hash__",
    "__iter__", "__len__", "__contains__", "__getitem__", "__setitem__", "__delitem__", "__bool__",
    "__enter__", "__exit__", "__add__", "__sub__", "__mul__", "__truediv__", "__neg__", "__radd__",
    "__rmul__", "__or__", "__and__", "__xor__", "__lt__", "__le__", "__gt__", "__ge__", "__copy__",
    "__deepcopy__", "__reduce__", "__setattr__", "__getattr__", "__iadd__", "__isub__", "__imul__",
    "__itruediv__", "__reversed__", "__sub__", "__rsub__", "__abs__", "__pos__", "__format__",
    "__int__", "__float__", "__index__", "__lshift__", "__rshift__", "__invert__", "__matmul__",
}


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
        for member in sorted(vars(cls)):
            if member.startswith("_") and member not in ("__init__",):
                continue
            if member in MOCK_ONLY_MEMBERS and member != "__init__":
                continue
            real_member = _real_member(surface, name, member)
            where = f"unreal.{name}.{member}"
            kind, obj = _mock_member_kind(cls, member)
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


def _compare_editor_properties(name: str, cls: type, surface: Surface) -> List[str]:
    """Editor properties the mock declares must exist on the real class (or one of its bases)."""
    declared = vars(cls).get("_editor_properties_", {})
    problems = []
    for prop in declared:
        owner: Optional[str] = name
        found = False
        seen = set()
        todo = [name]
        while todo:
            owner = todo.pop(0)
            if owner in seen or owner not in surface["classes"]:
                continue
            seen.add(owner)
            if prop in surface["classes"][owner]["editor_properties"]:
                found = True
                break
            todo.extend(surface["classes"][owner]["bases"])
        if not found:
            problems.append(f"unreal.{name}: editor property {prop!r} is not in the real class")
    return problems


def main(argv: Optional[List[str]] = None) -> int:
    """`--extract WHEEL OUT` writes a surface; with no arguments, compares the mock and prints differences."""
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["--extract"]:
        surface = extract_surface(Path(args[1]))
        tmp = Path(args[2] + ".tmp")
        tmp.write_text(json.dumps(surface), encoding="utf-8")
        tmp.replace(args[2])
        return 0
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
