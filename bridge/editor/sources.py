"""Code that arrives as a file or a module, run as the editor runs it.

A file runs as Epic's `ExecuteFile` does: its own globals, `__file__` set, `sys.argv` from its
arguments, and (as `python file.py` would) its folder first on `sys.path` for the run. A file inside
a package whose top folder is on `sys.path` runs as that module instead, so its relative imports work.
A module runs as `python -m` runs it: `__name__ == "__main__"`, `__package__` set, a package's
`__main__` submodule for a package. Which files may be run is decided by `ProjectFolders`, on the server
thread, from the file system alone; the code itself runs on the game thread.
"""
from __future__ import annotations

import importlib.util
import linecache
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple

from .errors import EditorError
from .interrupt import JobInterrupted
from .pythonpath import configured_folders, content_python_folders
from .sessions import fresh_globals

MODULE_PATTERN = r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$"
# Key of the run's metadata that keeps what a file or module run was given.
SOURCE_KEY = "source"


class SourceRefused(EditorError):
    """A file the bridge will not run; the message names it and says why."""


class PathNotAllowed(SourceRefused):
    def __init__(self, path: str, allowed: Sequence[Path]) -> None:
        folders = ", ".join(str(folder) for folder in allowed)
        super().__init__(
            f"file {path} is outside the folders the bridge runs files from: {folders}. Move it into the "
            "project's Content/Python, or add its folder to the python.paths setting (UE_BRIDGE_PYTHON__PATHS)"
        )
        self.path = path
        self.allowed = list(allowed)


class FileNotFound(SourceRefused):
    def __init__(self, path: str, searched: Sequence[Path]) -> None:
        where = ", ".join(str(folder) for folder in searched)
        super().__init__(f"file {path} does not exist" + (f" (looked in {where})" if searched else ""))
        self.path = path


@dataclass(frozen=True)
class ProjectFolders:
    """Where files may be run from: the project folder, its Python folders and the configured ones."""

    project: Path
    python: Tuple[Path, ...] = ()
    configured: Tuple[Path, ...] = ()
    sys_path: Tuple[str, ...] = field(default=(), repr=False)

    @classmethod
    def of(cls, project_dir: Path, configured: Sequence[Path], sys_path: Sequence[str]) -> ProjectFolders:
        """The folders as they stand now. `sys_path` entries named `.../Content/Python` count as Python
        folders too: in the editor, engine plugins mount theirs there."""
        project = Path(project_dir).resolve()
        python = [folder.resolve() for folder in content_python_folders(project)]
        for entry in sys_path:
            if entry and Path(entry).parts[-2:] == ("Content", "Python"):
                python.append(Path(entry).resolve())
        return cls(project, tuple(_unique(python)), tuple(configured_folders(configured, project)),
                   tuple(sys_path))

    @property
    def allowed(self) -> List[Path]:
        return _unique([self.project, *self.python, *self.configured])

    def resolve(self, path_text: str) -> Path:
        """The file `path_text` names: absolute, or relative to the project folder, then to each Python and
        configured folder in turn. Raises FileNotFound, PathNotAllowed or SourceRefused."""
        try:
            return self._resolve(path_text)
        except (OSError, ValueError, RuntimeError) as exc:  # a NUL byte, a name too long, a symlink loop
            raise SourceRefused(f"file {path_text!r} cannot be looked up: {exc}") from None

    def _resolve(self, path_text: str) -> Path:
        given = Path(path_text).expanduser()
        if given.is_absolute():
            candidates = [given]
            searched: List[Path] = []
        else:
            searched = self.allowed
            candidates = [folder / given for folder in searched]
        for candidate in candidates:
            if candidate.is_file():
                return self.check(candidate, path_text)
            if candidate.is_dir():
                raise SourceRefused(f"file {path_text} is a folder; give a .py file, or run a package with `module`")
        if given.is_absolute():
            self.check(given, path_text)  # outside the folders: say that, not merely "missing"
        raise FileNotFound(path_text, searched)

    def check(self, path: Path, shown: str) -> Path:
        resolved = path.resolve()
        for folder in self.allowed:
            if resolved == folder or folder in resolved.parents:
                return resolved
        raise PathNotAllowed(shown, self.allowed)

    def package_module(self, path: Path) -> Optional[str]:
        """`pkg.sub.tool` when `path` sits in packages (folders with `__init__.py`) whose top folder is on
        `sys.path`; None for a loose file."""
        if path.suffix != ".py" or path.stem == "__init__" or not path.stem.isidentifier():
            return None
        parts = [path.stem]
        folder = path.parent
        while (folder / "__init__.py").is_file() and folder.name.isidentifier():
            parts.insert(0, folder.name)
            folder = folder.parent
        if len(parts) == 1:
            return None
        entries = {Path(entry or os.curdir).resolve() for entry in self.sys_path}
        return ".".join(parts) if folder.resolve() in entries else None


def _unique(folders: Sequence[Path]) -> List[Path]:
    seen: Dict[Path, None] = {}
    for folder in folders:
        seen.setdefault(folder, None)
    return list(seen)


@dataclass(frozen=True)
class FileSource:
    """A file to run with its arguments; `module` when it runs as a module of its package."""

    path: Path
    args: Tuple[str, ...] = ()
    module: Optional[str] = None

    @property
    def command(self) -> str:
        """How the run's history shows it, as a command line."""
        return " ".join(["python", str(self.path), *self.args])

    def describe(self) -> Dict[str, Any]:
        return {"file": str(self.path), "module": self.module, "args": list(self.args)}

    def run(self) -> None:
        """Game thread."""
        if self.module is not None:
            run_module(self.module, self.args)
        else:
            run_file(self.path, self.args)


@dataclass(frozen=True)
class ModuleSource:
    """A module to run as `python -m` would."""

    name: str
    args: Tuple[str, ...] = ()

    @property
    def command(self) -> str:
        return " ".join(["python", "-m", self.name, *self.args])

    def describe(self) -> Dict[str, Any]:
        return {"module": self.name, "args": list(self.args)}

    def run(self) -> None:
        run_module(self.name, self.args)


class _RunScope:
    """`sys.argv` replaced and, for a file, its folder first on `sys.path`, both put back afterwards
    (also when an interrupt lands while they are being put back)."""

    def __init__(self, argv: List[str], first_on_path: Optional[str] = None) -> None:
        self.argv = argv
        self.first_on_path = first_on_path
        self._saved_argv: List[str] = []
        self._inserted = False

    def __enter__(self) -> None:
        self._saved_argv = list(sys.argv)
        sys.argv = list(self.argv)
        if self.first_on_path is not None:
            sys.path.insert(0, self.first_on_path)
            self._inserted = True

    def __exit__(self, *exc: Any) -> None:
        while True:
            try:
                self._restore()
                return
            except JobInterrupted:
                continue  # the watchdog sends it again; the job's own end handles that one

    def _restore(self) -> None:
        sys.argv = self._saved_argv
        if self._inserted:
            self._inserted = False
            try:
                sys.path.remove(self.first_on_path)  # type: ignore[arg-type]
            except ValueError:
                pass  # the script took it off itself


def run_file(path: Path, args: Sequence[str]) -> None:
    """Game thread: Epic's ExecuteFile of one file."""
    filename = str(path)
    linecache.checkcache(filename)  # an edited file's tracebacks quote its new lines
    code = compile(path.read_bytes(), filename, "exec", dont_inherit=True)
    namespace = fresh_globals()
    namespace.update(__file__=filename, __cached__=None)
    with _RunScope([filename, *args], str(path.parent)):
        exec(code, namespace)


def run_module(name: str, args: Sequence[str]) -> None:
    """Game thread: `python -m name args...`; importing its parent packages first, as Python does."""
    spec = importlib.util.find_spec(name)
    if spec is None:
        raise ModuleNotFoundError(f"No module named {name!r}", name=name)
    if spec.submodule_search_locations is not None:
        main = f"{name}.__main__"
        spec = importlib.util.find_spec(main)
        if spec is None:
            raise ModuleNotFoundError(
                f"No module named {main!r}; {name!r} is a package and cannot be directly executed", name=main
            )
    loader: Any = spec.loader
    if loader is None or not hasattr(loader, "get_code"):
        raise ImportError(f"cannot run {spec.name}: its loader gives no code", name=spec.name)
    if spec.origin:
        linecache.checkcache(spec.origin)
    code = loader.get_code(spec.name)
    if code is None:
        raise ImportError(f"No code object available for {spec.name}", name=spec.name)
    namespace = fresh_globals()
    namespace.update(
        __file__=spec.origin, __cached__=spec.cached, __loader__=loader, __package__=spec.parent, __spec__=spec,
    )
    with _RunScope([spec.origin or name, *args]):
        exec(code, namespace)
