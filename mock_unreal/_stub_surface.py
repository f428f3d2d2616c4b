"""The real `unreal` API surface, read from the `unreal-stub` wheel as data (never imported).

The wheel has no licence and carries Epic's copyright, so nothing derived from it is kept in the
repository: it is downloaded into a cache outside it, parsed with `ast` in a child process and reduced
to a small JSON surface cached beside it, keyed by the wheel's hash.
"""

from __future__ import annotations

import ast
import gzip
import hashlib
import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any, Dict, Iterable, Iterator, List, Optional, Tuple

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


def lineage(surface: Surface, class_names: Iterable[str]) -> Iterator[Dict[str, Any]]:
    """The named real classes, then their bases, breadth first and each once: attribute lookup's order."""
    seen = set()
    todo = list(class_names)
    while todo:
        name = todo.pop(0)
        if name in seen or name not in surface["classes"]:
            continue
        seen.add(name)
        cls: Dict[str, Any] = surface["classes"][name]
        yield cls
        todo.extend(cls["bases"])


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
    cmd = [
        sys.executable,
        "-m",
        "pip",
        "download",
        "--no-deps",
        "--disable-pip-version-check",
        "--timeout=20",  # fail fast when offline, so local runs skip quickly
        "--retries=1",
        f"unreal-stub=={version}",
        "-d",
        str(directory),
    ]
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=300, check=False)
    found = sorted(directory.glob(pattern))
    if not found:
        raise RuntimeError(f"pip could not download unreal-stub=={version}: {result.stderr.strip()[-500:]}")
    return found[0]


def load_surface(wheel: Path) -> Surface:
    """The surface of `wheel`, from the JSON cache or parsed in a child process (about 5 s, 700 MB)."""
    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()[:16]
    cached = wheel.parent / f"surface-{digest}-v{_SURFACE_FORMAT}.json.gz"
    if not cached.exists():
        # A child process returns the parser's memory to the OS as soon as it is done.
        cmd = [sys.executable, "-m", "mock_unreal._stub_surface", str(wheel), str(cached)]
        root = str(Path(__file__).resolve().parent.parent)
        env = dict(
            os.environ, PYTHONPATH=os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH")) if p)
        )
        subprocess.run(cmd, check=True, timeout=600, env=env)
    return read_surface(cached)


def read_surface(path: Path) -> Surface:
    """A cached surface file."""
    with gzip.open(path, "rt", encoding="utf-8") as f:
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
    for name, decorated_kind in (
        ("classmethod", "classmethod"),
        ("staticmethod", "staticmethod"),
        ("property", "property"),
    ):
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


def cached_surfaces(directory: Optional[Path] = None) -> List[Path]:
    """Surface files of the current format in the cache, oldest name first."""
    folder = directory or cache_dir()
    return sorted(folder.glob(f"surface-*-v{_SURFACE_FORMAT}.json.gz"))


def _write_surface(wheel: str, out: str) -> None:
    surface = extract_surface(Path(wheel))
    tmp = Path(out + ".tmp")
    with gzip.open(tmp, "wt", encoding="utf-8") as f:
        json.dump(surface, f, separators=(",", ":"))
    tmp.replace(out)


if __name__ == "__main__":
    _write_surface(sys.argv[1], sys.argv[2])
