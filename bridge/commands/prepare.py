"""Check a CommandRequest and turn it into what is spawned: argv, directory, environment, time limit."""
from __future__ import annotations

import math
import os
import shlex
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Mapping, Sequence, Tuple

from .errors import InvalidCommand
from .model import CommandRequest

WINDOWS = os.name == "nt"


@dataclass(frozen=True)
class PreparedCommand:
    argv: Tuple[str, ...]
    working_directory: str  # real path, symlinks resolved
    environment: Dict[str, str]  # the server's environment with the request's over it
    timeout: float


def prepare(request: CommandRequest, project_dir: Path, allowed: Sequence[Path], max_timeout: float) -> PreparedCommand:
    """Everything the request asks for, checked; InvalidCommand says what to fix."""
    return PreparedCommand(
        argv=command_argv(request.command, request.shell),
        working_directory=working_directory(request.working_directory, project_dir, allowed),
        environment={**os.environ, **check_environment(request.environment)},
        timeout=check_timeout(request.timeout, max_timeout),
    )


def command_argv(command: str, shell: bool) -> Tuple[str, ...]:
    if not isinstance(command, str) or not command.strip():
        raise InvalidCommand("command is empty; give the program to run and its arguments, e.g. \"python build.py\"")
    if "\0" in command:
        raise InvalidCommand("command contains a NUL character; remove it")
    if shell:
        if WINDOWS:
            return (os.environ.get("COMSPEC", "cmd.exe"), "/c", command)
        return ("/bin/sh", "-c", command)
    try:
        # Windows paths are full of backslashes, which POSIX rules would take for escapes.
        argv = shlex.split(command, posix=not WINDOWS)
    except ValueError as exc:
        raise InvalidCommand(
            f"command cannot be split into arguments ({exc}); close the quote, or escape it, "
            "or set shell: true to have a shell parse it"
        ) from None
    if not argv or not argv[0]:
        raise InvalidCommand("command has no program in it; give the program to run and its arguments")
    return tuple(argv)


def working_directory(requested: object, project_dir: Path, allowed: Sequence[Path]) -> str:
    """The real directory to run in: the project directory, or one below it or below `allowed`."""
    if requested is not None and not isinstance(requested, str):
        raise InvalidCommand(f"working_directory must be a string path, got {type(requested).__name__}")
    roots = _roots(project_dir, allowed)
    if not requested:
        candidate = roots[0]
    else:
        path = Path(requested).expanduser()
        candidate = os.path.realpath(path if path.is_absolute() else Path(project_dir) / path)
    if not any(_inside(candidate, root) for root in roots):
        raise InvalidCommand(
            f"working_directory {requested} resolves to {candidate}, outside the directories commands may run "
            f"in: {', '.join(roots)}; choose one of them or a folder below, or add the directory to the "
            "setting history.command_directories"
        )
    if not os.path.isdir(candidate):
        what = "is not a directory" if os.path.exists(candidate) else "does not exist"
        raise InvalidCommand(f"working_directory {requested or candidate} {what}; create it or choose another")
    return candidate


def _roots(project_dir: Path, allowed: Sequence[Path]) -> List[str]:
    roots: List[str] = []
    for root in (project_dir, *allowed):
        real = os.path.realpath(Path(root).expanduser())
        if real not in roots:
            roots.append(real)
    return roots


def _inside(path: str, root: str) -> bool:
    if WINDOWS:  # drive letters and names are case-insensitive there
        path, root = os.path.normcase(path), os.path.normcase(root)
    try:
        return os.path.commonpath([path, root]) == root
    except ValueError:  # different drives
        return False


def check_environment(environment: Mapping[str, object]) -> Dict[str, str]:
    if not isinstance(environment, Mapping):
        raise InvalidCommand(f"environment must be an object of names to strings, got {type(environment).__name__}")
    checked: Dict[str, str] = {}
    for name, value in environment.items():
        if not isinstance(name, str) or not name or "=" in name or "\0" in name:
            raise InvalidCommand(f"environment name {name!r} is not valid; use a non-empty name without '=' or NUL")
        if not isinstance(value, str):
            raise InvalidCommand(
                f"environment value of {name} must be a string, got {type(value).__name__} {value!r}; "
                f"quote it, e.g. \"{value}\""
            )
        if "\0" in value:
            raise InvalidCommand(f"environment value of {name} contains a NUL character; remove it")
        checked[name] = value
    return checked


def check_timeout(timeout: object, max_timeout: float) -> float:
    if timeout is None:
        return max_timeout
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not math.isfinite(timeout):
        raise InvalidCommand(f"timeout must be a number of seconds, got {timeout!r}")
    if not 0 < timeout <= max_timeout:
        raise InvalidCommand(
            f"timeout must be more than 0 and at most {max_timeout:g} seconds (setting history.command_timeout), "
            f"got {timeout:g}"
        )
    return float(timeout)
