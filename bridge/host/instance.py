"""`Saved/PythonBridge/instance.json`: how clients find the bridge of one project's running editor."""
from __future__ import annotations

import json
import logging
import os
import tempfile
import time
from pathlib import Path
from typing import Any, Dict, Optional

from pydantic import BaseModel, ConfigDict, ValidationError

from ..processes import pid_alive
from ..timefmt import iso

RELATIVE_PATH = Path("Saved") / "PythonBridge" / "instance.json"


class InstanceInfo(BaseModel):
    """What a running bridge writes about itself."""

    model_config = ConfigDict(extra="ignore")

    port: int
    url: str
    pid: int
    project: str
    project_dir: str
    engine_version: str
    token_file: Optional[str] = None
    started_at: str


def instance_path(project_dir: Path) -> Path:
    return Path(project_dir) / RELATIVE_PATH


def write_instance(path: Path, info: InstanceInfo) -> None:
    """Write atomically (temp file + rename), so a client never reads half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=".instance-", suffix=".json", dir=str(path.parent))
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(info.model_dump(), handle, indent=2)
        os.replace(temp, path)
    except BaseException:
        try:
            os.unlink(temp)
        except OSError:
            pass
        raise


def remove_instance(path: Path, pid: int, port: int) -> bool:
    """Remove the file if it still describes this bridge (another editor may have replaced it)."""
    current = read_instance(path)
    if current is None or current.pid != pid or current.port != port:
        return False
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    return True


def read_instance(path: Path) -> Optional[InstanceInfo]:
    """The instance file's contents, or None when it is missing or unreadable."""
    try:
        data: Any = json.loads(path.read_text(encoding="utf-8"))
        return InstanceInfo.model_validate(data)
    except (OSError, ValueError, ValidationError):
        return None


def find_instance(project_dir: Path) -> InstanceInfo:
    """The bridge of the editor with `project_dir` open; a ValueError saying what to do if there is none."""
    directory = Path(project_dir).expanduser()
    if directory.suffix == ".uproject":
        directory = directory.parent
    path = instance_path(directory)
    if not path.exists():
        raise ValueError(
            f"no running bridge found for {directory}: {path} does not exist. Open the project in the editor "
            "with the PythonBridge plugin enabled (or run `ue-bridge serve`), or pass --url"
        )
    info = read_instance(path)
    if info is None:
        raise ValueError(f"{path} is not a valid instance file; restart the editor's bridge, or pass --url")
    if not pid_alive(info.pid):
        raise ValueError(
            f"{path} names process {info.pid}, which is not running (the editor exited without cleaning up); "
            "start the editor again, or pass --url"
        )
    return info


def describe_instance(
    *, port: int, url: str, project: str, project_dir: str, engine_version: str, token_file: Optional[Path]
) -> InstanceInfo:
    """This process's instance record, stamped now."""
    fields: Dict[str, Any] = {
        "port": port,
        "url": url,
        "pid": os.getpid(),
        "project": project,
        "project_dir": project_dir,
        "engine_version": engine_version,
        "token_file": str(token_file) if token_file is not None else None,
        "started_at": iso(time.time()),
    }
    return InstanceInfo(**fields)


def publish_instance(*, url: str, port: int, project: str, project_dir: str, engine_version: str,
                     token_file: Optional[Path]) -> Optional[Path]:
    """Write this bridge's instance file under `project_dir`; None (with a warning) when it cannot."""
    path = instance_path(Path(project_dir))
    info = describe_instance(port=port, url=url, project=project, project_dir=project_dir,
                             engine_version=engine_version, token_file=token_file)
    try:
        write_instance(path, info)
    except OSError as exc:
        logging.getLogger("bridge").warning(
            "could not write %s (%s); clients must be given --url %s", path, exc.strerror, url
        )
        return None
    return path
