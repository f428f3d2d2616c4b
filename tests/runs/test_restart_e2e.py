"""The history survives `kill -9` of a real headless host: what was answered is there after a restart."""
from __future__ import annotations

import json
import signal
import subprocess
import urllib.request
from pathlib import Path
from typing import Any, Dict, Optional, Tuple

import pytest

from ..core.test_headless_process import post, start_server


def get(url: str) -> Tuple[int, Dict[str, Any]]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def kill(proc: subprocess.Popen[str]) -> None:
    proc.send_signal(signal.SIGKILL)
    proc.communicate()


@pytest.mark.slow
def test_runs_answered_before_kill_9_are_there_after_restart(tmp_path: Path) -> None:
    data = tmp_path / "data"
    proc, url = start_server("--tick-rate", "120", "--data-dir", str(data))
    running: Optional[str] = None
    try:
        done = post(url, {"code": "print('kept')\n6 * 7", "tags": ["restart-test"]})
        assert done["success"] and done["output"] == "kept\n"
        failed = post(url, {"code": "raise ValueError('kept too')"})
        assert failed["success"] is False
        queued = post(url, {"code": "import time\nwhile True: time.sleep(0.01)", "async": True, "timeout": 600})
        running = queued["job_id"]
        # Running for sure before the kill: the job's own status says so.
        for _ in range(500):
            if get(f"{url}/api/v1/python/job?id={running}")[1]["job"]["status"] == "running":
                break
        else:
            raise AssertionError("the job never started")
    finally:
        kill(proc)

    proc, url = start_server("--tick-rate", "120", "--data-dir", str(data))
    try:
        status, reply = get(f"{url}/api/v1/python/job?id={done['job_id']}")
        job = reply["job"]
        assert status == 200 and job["status"] == "completed" and job["output"] == "kept\n" and job["result"] == "42"
        status, reply = get(f"{url}/api/v1/python/job?id={failed['job_id']}")
        job = reply["job"]
        assert status == 200 and job["status"] == "failed" and "kept too" in job["error"]
        status, reply = get(f"{url}/api/v1/python/job?id={running}")
        assert status == 200 and reply["job"]["status"] == "failed"
        status, detail = get(f"{url}/api/executions/{running}")
        assert status == 200
        execution = detail["data"]["execution"]
        assert (execution["kind"], execution["status"], execution["stop_reason"]) == ("editor", "failed", "restart")
        status, page = get(f"{url}/api/executions?tag=restart-test")
        assert [e["id"] for e in page["data"]["executions"]] == [done["job_id"]]
    finally:
        kill(proc)
