"""How clients find the bridge of one project's running editor.

Each bridge writes `Saved/PythonBridge/instances/<pid>.json` (several editors or headless hosts may
share a project) and, for clients of earlier versions, `Saved/PythonBridge/instance.json` (the last to
start). Both are removed on exit; a file whose process is gone is skipped when looking.
"""
from __future__ import annotations

import json
import logging
import os
import tempfile
import time
from pathlib import Path
from typing import Any, Dict, List, Optional

from pydantic import BaseModel, ConfigDict, ValidationError

from ..processes import pid_alive
from ..timefmt import iso

RELATIVE_PATH = Path("Saved") / "PythonBridge" / "instance.json"
INSTANCES = "instances"  # beside instance.json: one file per live bridge, named by its pid


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


def pid_instance_path(latest: Path, pid: int) -> Path:
    """The per-process file beside `instance.json`."""
    return latest.parent / INSTANCES / f"{pid}.json"


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
    """Remove `instance.json` if it still describes this bridge (another editor may have replaced it),
    and this bridge's own per-process file."""
    _remove_if_ours(pid_instance_path(path, pid), pid, port)
    return _remove_if_ours(path, pid, port)


def _remove_if_ours(path: Path, pid: int, port: int) -> bool:
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


def live_instances(project_dir: Path) -> List[InstanceInfo]:
    """Every bridge whose per-process file is under `project_dir` and whose process still runs, oldest first."""
    folder = instance_path(_project_folder(project_dir)).parent / INSTANCES
    try:
        files = sorted(folder.glob("*.json"))
    except OSError:
        return []
    found = [info for info in map(read_instance, files) if info is not None and pid_alive(info.pid)]
    return sorted(found, key=lambda info: info.started_at)


def _project_folder(project_dir: Path) -> Path:
    directory = Path(project_dir).expanduser()
    return directory.parent if directory.suffix == ".uproject" else directory


def find_instance(project_dir: Path) -> InstanceInfo:
    """The bridge of the editor with `project_dir` open; a ValueError saying what to do if there is none,
    or naming them all when several live editors have it open."""
    directory = _project_folder(project_dir)
    live = live_instances(directory)
    if len(live) == 1:
        return live[0]
    if len(live) > 1:
        listed = "; ".join(f"{info.url} (pid {info.pid}, started {info.started_at})" for info in live)
        raise ValueError(f"{len(live)} running bridges have {directory} open: {listed}. Pass --url to pick one")
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
        write_instance(pid_instance_path(path, info.pid), info)
        write_instance(path, info)
    except OSError as exc:
        logging.getLogger("bridge").warning(
            "could not write %s (%s); clients must be given --url %s", path, exc.strerror, url
        )
        return None
    return path
