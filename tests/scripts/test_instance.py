"""instance.json: written atomically while serving, found by clients, removed on stop."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bridge.host.instance import (
    InstanceInfo,
    describe_instance,
    find_instance,
    instance_path,
    read_instance,
    remove_instance,
    write_instance,
)
from mock_unreal.testing import MockProject

from ..conftest import BridgeFactory


def _info(port: int = 8123, pid: int = 0) -> InstanceInfo:
    info = describe_instance(port=port, url=f"http://127.0.0.1:{port}", project="Game", project_dir="/p",
                             engine_version="5.6.0", token_file=None)
    return info.model_copy(update={"pid": pid}) if pid else info


def test_write_read_and_remove_only_our_own(tmp_path: Path) -> None:
    path = instance_path(tmp_path)
    info = _info()
    write_instance(path, info)
    assert read_instance(path) == info
    assert [p.name for p in path.parent.iterdir()] == ["instance.json"]  # no temp file left behind
    assert not remove_instance(path, os.getpid(), 9999)  # another bridge's file: left alone
    assert remove_instance(path, os.getpid(), 8123)
    assert not path.exists()


def test_find_instance_explains_what_is_wrong(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="no running bridge found"):
        find_instance(tmp_path)
    path = instance_path(tmp_path)
    path.parent.mkdir(parents=True)
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(ValueError, match="not a valid instance file"):
        find_instance(tmp_path)
    finished = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                              text=True, check=True)
    write_instance(path, _info(pid=int(finished.stdout)))
    with pytest.raises(ValueError, match="is not running"):
        find_instance(tmp_path)
    write_instance(path, _info())
    (tmp_path / "Game.uproject").write_text("{}", encoding="utf-8")
    assert find_instance(tmp_path / "Game.uproject").port == 8123  # the .uproject file works too


def test_host_publishes_and_withdraws_instance(
    unreal_project: MockProject, start_bridge: BridgeFactory
) -> None:
    host = start_bridge()
    path = Path(unreal_project.unreal.Paths.project_saved_dir()) / "PythonBridge" / "instance.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["url"] == host.url and data["pid"] == os.getpid() and data["project"] == "MockProject"
    assert Path(data["project_dir"]) == Path(unreal_project.unreal.Paths.project_dir())
    assert find_instance(Path(data["project_dir"])).port == host.port
    host.stop()
    assert not path.exists()
