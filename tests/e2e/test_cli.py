"""`ue-bridge runs` and `ue-bridge run ID [--follow]`: the real console script against a running bridge."""
from __future__ import annotations

import json
import subprocess
import sys
import urllib.request
from pathlib import Path
from typing import Any, Dict

from bridge.host import BridgeHost
from bridge.runs import RunKind, RunStatus

from .conftest import python_command

UE_BRIDGE = str(Path(sys.executable).with_name("ue-bridge"))


def cli(bridge: BridgeHost, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([UE_BRIDGE, *args, "--url", bridge.url], capture_output=True, text=True, timeout=60)


def post(bridge: BridgeHost, path: str, body: Dict[str, Any]) -> Dict[str, Any]:
    request = urllib.request.Request(bridge.url + path, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request) as response:
        return dict(json.load(response))


def command_run(bridge: BridgeHost, code: str) -> str:
    created = post(bridge, "/api/executions", {"command": python_command(code), "name": "cli"})
    return str(created["data"]["execution_id"])


def test_runs_lists_the_history_as_a_table(bridge: BridgeHost) -> None:
    history = bridge.history
    editor = history.create(RunKind.EDITOR, command="print(1)", started=True)
    history.finish(editor.id, RunStatus.COMPLETED)
    failed = history.create(RunKind.COMMAND, name="cook", command="cook", started=True)
    history.finish(failed.id, RunStatus.FAILED, error_message="no")
    table = cli(bridge, "runs")
    assert table.returncode == 0, table.stderr
    header, *rows = table.stdout.splitlines()
    assert header.split() == ["ID", "KIND", "STATUS", "NAME", "STARTED", "DURATION"]
    assert [row.split()[:4] for row in rows] == [[failed.id, "command", "failed", "cook"],
                                                [editor.id, "editor", "completed", "print(1)"]]
    only = cli(bridge, "runs", "--kind", "editor", "--json")
    page = json.loads(only.stdout)
    assert [e["id"] for e in page["executions"]] == [editor.id] and page["total_count"] == 1
    assert cli(bridge, "runs", "--status", "failed", "--limit", "1").stdout.count(failed.id) == 1
    bad = cli(bridge, "runs", "--limit", "0")
    assert bad.returncode == 2 and "limit must be between 1 and 1000" in bad.stderr


def test_run_id_shows_details_and_output(bridge: BridgeHost) -> None:
    run_id = command_run(bridge, "print('hello from the command')")
    shown = cli(bridge, "run", run_id, "--follow")  # waits for the end
    assert shown.returncode == 0, shown.stderr
    detail = cli(bridge, "run", run_id)
    assert detail.returncode == 0, detail.stderr
    assert run_id in detail.stdout and "command  completed" in detail.stdout
    assert "hello from the command" in detail.stdout.split("--- output", 1)[1]
    as_json = json.loads(cli(bridge, "run", run_id, "--json").stdout)
    assert as_json["execution"]["id"] == run_id and as_json["output"] == "hello from the command\n"
    unknown = cli(bridge, "run", "00000000-0000-4000-8000-000000000000")
    assert unknown.returncode == 2 and "not found" in unknown.stderr


def test_follow_prints_output_live_until_the_run_ends(bridge: BridgeHost, tmp_path: Path) -> None:
    go = tmp_path / "go"
    code = ("import os, time\nprint('first', flush=True)\n"
            f"while not os.path.exists({str(go)!r}): time.sleep(0.01)\nprint('second')")
    run_id = command_run(bridge, code)
    follower = subprocess.Popen([UE_BRIDGE, "run", run_id, "--follow", "--url", bridge.url],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert follower.stdout is not None
        assert follower.stdout.readline() == "first\n"  # while the run waits: it came live
        go.touch()
        rest, errors = follower.communicate(timeout=60)
    finally:
        follower.kill()
    assert follower.returncode == 0, errors
    assert rest == "second\n"


def test_follow_exits_1_for_a_failed_run(bridge: BridgeHost) -> None:
    run_id = command_run(bridge, "import sys\nprint('bye')\nsys.exit(3)")
    followed = cli(bridge, "run", run_id, "--follow")
    assert followed.returncode == 1
    assert followed.stdout == "bye\n" and f"run {run_id} failed" in followed.stderr


def test_a_script_name_still_runs_the_script(bridge: BridgeHost) -> None:
    misuse = cli(bridge, "run", "take_screenshot", "--follow")
    assert misuse.returncode == 2 and "--follow and --json are for a run ID" in misuse.stderr
