"""ScriptRegistry: the named scripts in a set of directories, each a module with one public function.

The registry imports script modules off the game thread, so a script module must only define
things at import time (import `unreal`, define functions); `unreal` is called when the script runs.
"""
from __future__ import annotations

import hashlib
import importlib.util
import inspect
import logging
import re
import sys
import threading
import traceback
import typing
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any, Callable, Dict, Iterable, List, Optional, Tuple, Type

from pydantic import BaseModel, ConfigDict, Field, ValidationError, create_model

log = logging.getLogger("bridge")

_ARG_LINE = re.compile(r"^\s*(\*{0,2}\w+)\s*(?:\([^)]*\))?\s*:\s*(.*)$")
_SECTION = re.compile(
    r"^\s*(Args|Arguments|Parameters|Returns|Return|Raises|Yields|Examples?|Notes?):\s*$"
)


class ScriptParamsError(ValueError):
    """The parameters given for a script do not fit its signature; the message names each one at fault."""

    def __init__(self, script: str, error: ValidationError, accepted: List[str]) -> None:
        problems = []
        for item in error.errors(include_url=False):
            where = ".".join(["params", *(str(part) for part in item["loc"])])
            if item["type"] == "extra_forbidden":
                takes = ", ".join(accepted) or "no parameters"
                problems.append(f"{where}: unknown parameter; {script} takes {takes}")
            elif item["type"] == "missing":
                problems.append(f"{where}: required parameter is missing")
            else:
                problems.append(f"{where}: {item['msg']} (got {_short(item.get('input'))})")
        super().__init__("; ".join(problems))
        self.error = error


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


@dataclass
class Script:
    """One script module: its function and parameter model, or why it could not be loaded."""

    name: str
    source: Path
    description: str = ""
    function: Optional[Callable[..., Any]] = field(default=None, repr=False)
    params_model: Optional[Type[BaseModel]] = field(default=None, repr=False)
    # model field name -> the function's parameter name (fields are renamed so that parameters
    # called e.g. `json` or `copy` cannot shadow BaseModel attributes)
    param_names: Dict[str, str] = field(default_factory=dict)
    parameters: Dict[str, Any] = field(default_factory=dict)
    error: Optional[str] = None
    stamp: Tuple[int, int] = (0, 0)

    @property
    def loaded(self) -> bool:
        return self.function is not None

    def validate(self, params: Dict[str, Any]) -> Dict[str, Any]:
        """Keyword arguments for the function; raises ScriptParamsError naming the parameter at fault."""
        if self.params_model is None:
            raise RuntimeError(f"script {self.name!r} did not load: {self.error}")
        try:
            values = self.params_model.model_validate(params)
        except ValidationError as exc:
            raise ScriptParamsError(self.name, exc, list(self.param_names.values())) from None
        return {name: getattr(values, field_name) for field_name, name in self.param_names.items()}

    def describe_call(self, kwargs: Dict[str, Any]) -> str:
        """`name(a=1, b='x')`, the job's one-line code."""
        args = ", ".join(f"{key}={value!r}" for key, value in kwargs.items())
        text = f"{self.name}({args})"
        return text if len(text) <= 500 else text[:497] + "..."


def split_docstring(doc: Optional[str]) -> Tuple[str, Dict[str, str]]:
    """(summary, {parameter: description}) from a docstring with an optional Google-style Args section."""
    text = inspect.cleandoc(doc or "")
    summary_lines: List[str] = []
    params: Dict[str, str] = {}
    section: Optional[str] = None
    current: Optional[str] = None
    for line in text.splitlines():
        header = _SECTION.match(line)
        if header:
            section, current = header.group(1), None
            continue
        if section is None:
            if not line.strip() and summary_lines:
                section = ""  # the summary is the first paragraph
            elif line.strip():
                summary_lines.append(line.strip())
            continue
        if section in ("Args", "Arguments", "Parameters"):
            match = _ARG_LINE.match(line)
            if match and line.startswith(("    ", "\t")) and not line.startswith(("        ", "\t\t")):
                current = match.group(1).lstrip("*")
                params[current] = match.group(2).strip()
            elif current is not None and line.strip():
                params[current] = (params[current] + " " + line.strip()).strip()
    return " ".join(summary_lines), params


def pick_function(module: ModuleType, stem: str) -> Callable[..., Any]:
    """The script's function: the one in `__all__`, else the one named like the file, else the only one."""
    exported = getattr(module, "__all__", None)
    if exported is not None:
        names = [name for name in exported if callable(getattr(module, name, None))]
        if len(names) != 1:
            raise ValueError(f"__all__ must name exactly one function, names {list(exported)}")
        return typing.cast(Callable[..., Any], getattr(module, names[0]))
    same_name = getattr(module, stem, None)
    if inspect.isfunction(same_name):
        return same_name
    own = [
        value for name, value in vars(module).items()
        if inspect.isfunction(value) and not name.startswith("_") and value.__module__ == module.__name__
    ]
    if len(own) == 1:
        return own[0]
    found = ", ".join(sorted(fn.__name__ for fn in own)) or "none"
    raise ValueError(
        f"a script module needs one public function (found: {found}); name it like the file ({stem}), "
        "list it in __all__, or prefix helpers with _"
    )


def build_params_model(name: str, function: Callable[..., Any], docs: Dict[str, str]) -> Tuple[
    Type[BaseModel], Dict[str, str]
]:
    """A pydantic model of the function's parameters, from its type hints and defaults."""
    hints = typing.get_type_hints(function, include_extras=True)  # keeps Annotated[int, Field(ge=1)]
    fields: Dict[str, Any] = {}
    names: Dict[str, str] = {}
    for index, param in enumerate(inspect.signature(function).parameters.values()):
        if param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD):
            raise ValueError(f"parameter *{param.name} cannot be given over JSON; use named parameters only")
        if param.kind is param.POSITIONAL_ONLY:
            raise ValueError(f"parameter {param.name} is positional-only; scripts get named parameters")
        annotation = hints.get(param.name, Any)
        default = ... if param.default is param.empty else param.default
        field_name = f"p{index}"
        names[field_name] = param.name
        fields[field_name] = (
            annotation,
            Field(default, alias=param.name, title=param.name, description=docs.get(param.name)),
        )
    model = create_model(
        f"{name}_params", __config__=ConfigDict(extra="forbid", populate_by_name=False), **fields
    )
    return typing.cast(Type[BaseModel], model), names


def _module_name(path: Path) -> str:
    digest = hashlib.sha1(str(path.parent).encode()).hexdigest()[:10]
    return f"_ue_bridge_scripts_{digest}.{path.stem}"


def load_script(path: Path) -> Script:
    """Import one script file and describe it; never raises (errors are recorded on the Script)."""
    stat = path.stat()
    script = Script(name=path.stem, source=path, stamp=(stat.st_mtime_ns, stat.st_size))
    module_name = _module_name(path)
    try:
        spec = importlib.util.spec_from_file_location(module_name, path)
        if spec is None or spec.loader is None:
            raise ImportError(f"cannot import {path}")
        module = importlib.util.module_from_spec(spec)
        sys.modules[module_name] = module  # dataclasses and pickling look modules up here
        try:
            spec.loader.exec_module(module)
        except BaseException:
            sys.modules.pop(module_name, None)
            raise
        function = pick_function(module, path.stem)
        script.description, docs = split_docstring(function.__doc__)
        script.params_model, script.param_names = build_params_model(path.stem, function, docs)
        script.parameters = script.params_model.model_json_schema(by_alias=True)
        script.function = function
    except BaseException as exc:  # a broken script must not break the list; SyntaxError, SystemExit too
        if isinstance(exc, KeyboardInterrupt):
            raise
        script.function = None
        script.params_model = None
        script.error = _describe_failure(exc, path)
    return script


def _describe_failure(exc: BaseException, path: Path) -> str:
    frames = traceback.extract_tb(exc.__traceback__)
    inside = [frame for frame in frames if frame.filename == str(path)]
    where = f" (line {inside[-1].lineno})" if inside else ""
    if isinstance(exc, SyntaxError) and exc.lineno:
        where = f" (line {exc.lineno})"
    message = "".join(traceback.format_exception_only(type(exc), exc)).strip().splitlines()[-1]
    return f"{message}{where}"


def script_files(directory: Path) -> List[Path]:
    """The script modules in a directory: `*.py` not starting with `_`."""
    if not directory.is_dir():
        return []
    return sorted(p for p in directory.glob("*.py") if not p.name.startswith(("_", ".")) and p.is_file())


def builtin_scripts_dir() -> Path:
    """The `editor_scripts/` that ships beside the `bridge` package."""
    spec = importlib.util.find_spec("editor_scripts")
    if spec is not None and spec.submodule_search_locations:
        return Path(next(iter(spec.submodule_search_locations)))
    return Path(__file__).resolve().parents[2] / "editor_scripts"


class ScriptRegistry:
    """Scripts by name from `dirs` in order; a later directory's script replaces an earlier one's."""

    def __init__(self, dirs: Iterable[Path]) -> None:
        self.dirs: List[Path] = [Path(d).expanduser().resolve() for d in dirs]
        self.generation = 0
        self._scripts: Dict[str, Script] = {}
        self._lock = threading.Lock()
        self._reload_lock = threading.Lock()
        self.changed = threading.Condition(self._lock)

    def reload(self) -> int:
        """Rescan every directory; unchanged files are not re-imported. Returns the new generation."""
        with self._reload_lock:
            with self._lock:
                previous = dict(self._scripts)
            by_source = {script.source: script for script in previous.values()}
            found: Dict[str, Script] = {}
            for directory in self.dirs:
                for path in script_files(directory):
                    try:
                        stat = path.stat()
                    except OSError:
                        continue  # removed while we scanned
                    old = by_source.get(path)
                    if old is not None and old.stamp == (stat.st_mtime_ns, stat.st_size):
                        found[old.name] = old
                    else:
                        found[path.stem] = load_script(path)
            for gone in set(by_source) - {script.source for script in found.values()}:
                sys.modules.pop(_module_name(gone), None)
            with self._lock:
                self._scripts = found
                self.generation += 1
                self.changed.notify_all()
                return self.generation

    def get(self, name: str) -> Optional[Script]:
        with self._lock:
            return self._scripts.get(name)

    def list(self) -> List[Script]:
        """Every script, loaded or not, by name."""
        with self._lock:
            return sorted(self._scripts.values(), key=lambda script: script.name)

    def wait_for_generation(self, generation: int, timeout: float) -> bool:
        """Block until a reload past `generation` finished (tests and tools)."""
        with self._lock:
            return self.changed.wait_for(lambda: self.generation > generation, timeout)
