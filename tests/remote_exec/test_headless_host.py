"""`ue-bridge serve` with remote execution on, driven by the protocol client and `ue-bridge exec --remote-execution`."""
from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Iterator, List

import pytest

from bridge.remote_exec.client import RemoteExecutionClient

from ..host.helpers import UE_BRIDGE, Host, clean_env
from .conftest import GROUP

pytestmark = pytest.mark.slow


@pytest.fixture
def hosts() -> Iterator[List[Host]]:
    started: List[Host] = []
    yield started
    for host in started:
        host.stop()


def remote_host(cwd: Path, port: int, *args: str) -> Host:
    return Host(cwd, *args, env=clean_env(UE_BRIDGE_REMOTE_EXECUTION__ENABLED="true",
                                          UE_BRIDGE_REMOTE_EXECUTION__MULTICAST_PORT=str(port)))


def remote_cli(port: int, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([UE_BRIDGE, *args, "--multicast-group", f"{GROUP}:{port}"], capture_output=True,
                          text=True, timeout=90, env=clean_env())


def test_the_headless_host_answers_epics_clients(tmp_path: Path, group_port: int, hosts: List[Host]) -> None:
    host = remote_host(tmp_path, group_port)
    hosts.append(host)
    assert f"Remote execution: answering on {GROUP}:{group_port} (127.0.0.1)" in "".join(host.lines)
    with RemoteExecutionClient(group=GROUP, port=group_port) as client:
        nodes = client.discover(timeout=2.0)
        assert len(nodes) == 1 and Path(nodes[0].project_root) == host.project
        client.open(nodes[0].node_id)
        made = client.run("import unreal\nunreal.EditorAssetLibrary.make_directory('/Game/FromVSCode')",
                          timeout=30)
        assert made["success"], made
    seen = host.execute(code="import unreal\nunreal.EditorAssetLibrary.does_directory_exist('/Game/FromVSCode')")
    assert seen["result"] == "True"  # the same editor state the HTTP API sees


def test_ue_bridge_drives_an_editor_over_remote_execution(
    tmp_path: Path, group_port: int, hosts: List[Host]
) -> None:
    first = remote_host(tmp_path, group_port)
    hosts.append(first)
    tool = tmp_path / "tool.py"
    tool.write_text("import sys, unreal\nunreal.log_warning('warned')\nprint('argv', sys.argv[1:])\n",
                    encoding="utf-8")
    done = remote_cli(group_port, "exec", "--remote-execution", str(tool), "--arg", "level one")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["argv ['level one']"] and done.stderr.splitlines() == ["warned"]
    failed = remote_cli(group_port, "exec", "--remote-execution", "-c", "raise KeyError('mesh')")
    assert failed.returncode == 1 and "KeyError: 'mesh'" in failed.stderr
    listed = remote_cli(group_port, "remote-nodes", "--json", "--wait", "1.5")
    nodes = json.loads(listed.stdout)
    assert [Path(node["project_root"]) for node in nodes] == [first.project]

    second = remote_host(tmp_path, group_port)
    hosts.append(second)
    ambiguous = remote_cli(group_port, "exec", "--remote-execution", "-c", "print(1)")
    assert ambiguous.returncode == 2 and "2 editors answered" in ambiguous.stderr and "--project" in ambiguous.stderr
    picked = remote_cli(group_port, "exec", "--remote-execution", "--project", str(second.project), "-c",
                        "import unreal\nprint(unreal.Paths.project_dir())")
    assert picked.returncode == 0, picked.stderr
    assert Path(picked.stdout.strip()) == second.project


def test_no_editor_answering_is_explained(group_port: int) -> None:
    done = remote_cli(group_port, "exec", "--remote-execution", "-c", "print(1)")
    assert done.returncode == 2 and "no editor answered the remote-execution ping" in done.stderr
    assert "Enable Remote Execution" in done.stderr
