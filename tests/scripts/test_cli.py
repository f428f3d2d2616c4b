"""`ue-bridge` client commands as a CI pipeline runs them: subprocesses against a real headless server."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import Dict, Iterator, List, Optional

import pytest

ROOT = Path(__file__).resolve().parents[2]


class Server:
    def __init__(self, process: subprocess.Popen[str], url: str, project: Path, token: str) -> None:
        self.process = process
        self.url = url
        self.project = project
        self.token = token


def _env(**extra: str) -> Dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("UE_BRIDGE_", "UE_MOCK_"))}
    env.update(PYTHONPATH=str(ROOT), PYTHONUNBUFFERED="1", **extra)
    return env


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """`python -m bridge --port 0` with a token file, in its own mock project folder."""
    project = tmp_path_factory.mktemp("cli") / "MockProject"
    token_file = project.parent / "token"
    process = subprocess.Popen(
        [sys.executable, "-m", "bridge", "--port", "0", "--tick-rate", "200"],
        env=_env(UE_MOCK_PROJECT_DIR=str(project), UE_BRIDGE_TOKEN_FILE=str(token_file)),
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=str(ROOT),
    )
    assert process.stdout is not None
    url = None
    seen: List[str] = []
    for line in process.stdout:
        seen.append(line)
        if line.startswith("Unreal Python bridge listening on "):
            url = line.split()[5]
            break
    if url is None:
        process.kill()
        process.wait(15)
        process.stdout.close()
        pytest.fail("the server did not start:\n" + "".join(seen))
    # Its access log goes on being written: read it, so a full pipe can never block the server.
    reader = threading.Thread(target=seen.extend, args=(process.stdout,), daemon=True)
    reader.start()
    yield Server(process, url, project, token_file.read_text(encoding="utf-8").strip())
    process.terminate()
    try:
        process.wait(60)  # a loaded machine: a clean stop removes instance.json, a kill could not
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(15)
    reader.join(15)
    process.stdout.close()
    assert not (project / "Saved" / "PythonBridge" / "instance.json").exists(), "".join(seen[-40:])


def cli(
    *args: str, token: Optional[str] = None, stdin: Optional[str] = None
) -> subprocess.CompletedProcess[str]:
    extra = {"UE_BRIDGE_TOKEN": token} if token else {}
    return subprocess.run(
        [sys.executable, "-m", "bridge", *args], env=_env(**extra), capture_output=True, text=True,
        timeout=60, input=stdin, cwd=str(ROOT),
    )


def test_instance_file_describes_the_running_server(server: Server) -> None:
    path = server.project / "Saved" / "PythonBridge" / "instance.json"
    info = json.loads(path.read_text(encoding="utf-8"))
    assert info["url"] == server.url and info["port"] == int(server.url.rsplit(":", 1)[1])
    assert info["pid"] == server.process.pid
    assert info["project"] == "MockProject" and info["engine_version"].startswith("5.")
    assert Path(info["token_file"]).read_text(encoding="utf-8").strip() == server.token
    assert info["started_at"].endswith("Z")


def test_exec_code_prints_output_and_trailing_value(server: Server) -> None:
    done = cli("exec", "--project", str(server.project), "-c", "print('hello from the editor')\n6 * 7")
    assert done.returncode == 0, done.stderr
    assert done.stdout == "hello from the editor\n42\n"


def test_exec_file_failure_exits_1_with_traceback_on_stderr(server: Server, tmp_path: Path) -> None:
    script = tmp_path / "broken.py"
    script.write_text("print('before')\nraise RuntimeError('asset missing')\n", encoding="utf-8")
    done = cli("exec", str(script), "--url", server.url, token=server.token)
    assert done.returncode == 1
    assert done.stdout == "before\n"
    assert "Traceback" in done.stderr and "RuntimeError: asset missing" in done.stderr


def test_exec_from_stdin(server: Server) -> None:
    code = "import unreal\nunreal.log_warning('hm')\n"
    done = cli("exec", "-", "--project", str(server.project), stdin=code)
    assert done.returncode == 0 and done.stdout == "Warning: hm\n"


def test_exec_streams_output_while_the_job_runs(server: Server, tmp_path: Path) -> None:
    flag = tmp_path / "go"
    code = (
        "import os, time\nprint('first', flush=True)\n"
        f"while not os.path.exists({str(flag)!r}):\n    time.sleep(0.02)\nprint('second')\n"
    )
    with subprocess.Popen(
        [sys.executable, "-m", "bridge", "exec", "--project", str(server.project), "-c", code],
        env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=str(ROOT),
    ) as process:
        assert process.stdout is not None
        try:
            assert process.stdout.readline() == "first\n"
            assert process.poll() is None  # still following the job: it cannot finish before the flag exists
            flag.write_text("", encoding="utf-8")
            assert process.stdout.read() == "second\n"
            assert process.wait(30) == 0
        finally:
            flag.write_text("", encoding="utf-8")  # let the job end even when an assertion failed
            if process.poll() is None:
                process.kill()


def test_async_job_then_job_jobs_and_cancel(server: Server) -> None:
    started = cli("exec", "--project", str(server.project), "--async", "-c",
                  "import time\nwhile True:\n    time.sleep(0.01)")
    assert started.returncode == 0, started.stderr
    job_id = started.stdout.strip()
    listed = cli("jobs", "--project", str(server.project))
    assert job_id in listed.stdout
    cancelled = cli("cancel", job_id, "--project", str(server.project))
    assert cancelled.returncode == 0 and "cancel" in cancelled.stdout.lower()
    detail = json.loads(cli("job", job_id, "--project", str(server.project)).stdout)
    assert detail["id"] == job_id and detail["status"] == "cancelled"
    again = cli("cancel", job_id, "--project", str(server.project))
    assert again.returncode == 2 and "already cancelled" in again.stderr


def test_scripts_and_run(server: Server) -> None:
    listed = cli("scripts", "--project", str(server.project))
    assert listed.returncode == 0, listed.stderr
    assert "list_assets(directory?: string" in listed.stdout
    listed_json = cli("scripts", "--json", "--project", str(server.project))
    assert listed_json.returncode == 0, listed_json.stderr
    raw = json.loads(listed_json.stdout)
    assert {"batch_rename", "take_screenshot"} <= {script["name"] for script in raw}
    shot = cli("run", "take_screenshot", "--project", str(server.project),
               "-p", "width=320", "-p", "height=200", "--param", "filename=007.png")
    assert shot.returncode == 0, shot.stderr
    result = json.loads(shot.stdout)
    assert result["width"] == 320 and result["filename"] == "007.png"  # a string parameter stays a string


def test_run_reports_bad_params_and_unknown_scripts(server: Server) -> None:
    bad = cli("run", "take_screenshot", "--project", str(server.project), "-p", "width=wide")
    assert bad.returncode == 2 and "params.width" in bad.stderr, bad.stderr
    unknown = cli("run", "nope", "--project", str(server.project))
    assert unknown.returncode == 2 and "no script named 'nope'" in unknown.stderr
    malformed = cli("run", "take_screenshot", "--project", str(server.project), "-p", "width")
    assert malformed.returncode == 2 and "NAME=VALUE" in malformed.stderr


def test_failing_script_run_exits_1(server: Server) -> None:
    done = cli("run", "list_assets", "--project", str(server.project), "-p", "directory=/Game/Nope")
    assert done.returncode == 1
    assert "ValueError: content folder /Game/Nope does not exist" in done.stderr


def test_connection_and_auth_errors_say_what_to_do(server: Server, tmp_path: Path) -> None:
    nothing = cli("jobs", "--project", str(tmp_path))
    assert nothing.returncode == 2 and "no running bridge found" in nothing.stderr
    refused = cli("jobs", "--url", "http://127.0.0.1:9")
    assert refused.returncode == 2 and "cannot reach the bridge" in refused.stderr
    no_token = cli("jobs", "--url", server.url)
    assert no_token.returncode == 2 and "Bearer" in no_token.stderr
