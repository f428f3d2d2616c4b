"""`ue-bridge serve` as a real process: start-up, a request over a socket, signals, port release."""
from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any, Dict, Iterator, Tuple

import pytest

UE_BRIDGE = str(Path(sys.executable).with_name("ue-bridge"))


def start_server(*args: str) -> Tuple[subprocess.Popen, str]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    env.pop("UE_BRIDGE_PORT", None)
    env.pop("PORT", None)
    proc = subprocess.Popen(
        [UE_BRIDGE, "serve", "--port", "0", *args],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
    )
    assert proc.stdout is not None
    line, match = "", None
    for _ in range(20):  # start-up may print warnings before the URL
        line += proc.stdout.readline()
        match = re.search(r"listening on (http://\S+)", line)
        if match is not None or proc.poll() is not None:
            break
    if match is None:
        proc.kill()
        rest, _ = proc.communicate()
        raise AssertionError(f"server did not start: {line}{rest}")
    return proc, match.group(1)


def post(url: str, body: Dict[str, Any], timeout: float = 30) -> Dict[str, Any]:
    request = urllib.request.Request(
        url + "/api/v1/python/execute", data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"}, method="POST",
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read())  # type: ignore[no-any-return]


@pytest.fixture
def server() -> Iterator[Tuple[subprocess.Popen, str]]:
    proc, url = start_server("--tick-rate", "120")
    yield proc, url
    proc.kill()
    proc.communicate()


def test_serves_over_a_real_socket(server: Tuple[subprocess.Popen, str]) -> None:
    _, url = server
    reply = post(url, {"code": "import unreal\nprint(unreal.SystemLibrary.get_engine_version())\n6 * 7"})
    assert reply["success"] is True and reply["result"] == "42"
    assert reply["output"].startswith("5.")


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_signal_stops_cleanly_and_releases_the_port(signum: int) -> None:
    proc, url = start_server()
    port = int(url.rsplit(":", 1)[1])
    # A job stuck in a native call, and one queued behind it.
    for code in ("import time\ntime.sleep(60)", "print('never')"):
        request = urllib.request.Request(
            url + "/api/v1/python/execute", data=json.dumps({"code": code, "async": True}).encode(),
            headers={"Content-Type": "application/json"}, method="POST",
        )
        urllib.request.urlopen(request, timeout=10).read()
    time.sleep(0.3)
    proc.send_signal(signum)
    try:
        status = proc.wait(timeout=10)  # a bound against hanging, not a speed check
    except subprocess.TimeoutExpired:
        proc.kill()
        raise
    assert status == 0
    assert "Unreal Python bridge stopped" in proc.communicate()[0]
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as any server, aiohttp included, does
        sock.bind(("127.0.0.1", port))  # nothing listens there any more
        sock.listen()


def test_port_in_use_is_a_clear_error() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        result = subprocess.run([UE_BRIDGE, "serve", "--port", str(port)], capture_output=True, text=True,
                                timeout=60)
    assert result.returncode == 1
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr


def test_bad_tick_rate_is_refused() -> None:
    result = subprocess.run([UE_BRIDGE, "serve", "--tick-rate", "0"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "tick rate must be between 1 and 10000 Hz" in result.stderr


def test_python_dash_m_bridge_serves(tmp_path: Path) -> None:
    proc = subprocess.Popen([sys.executable, "-m", "bridge", "--port", "0"], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    try:
        assert proc.stdout is not None
        lines = []
        while len(lines) < 5 and not any("listening on" in line for line in lines):
            lines.append(proc.stdout.readline())
        assert "listening on http://127.0.0.1:" in lines[-1], lines
    finally:
        proc.send_signal(signal.SIGINT)
        proc.communicate(timeout=10)
    assert proc.returncode == 0


def test_captured_output_still_reaches_the_console(server: Tuple[subprocess.Popen, str]) -> None:
    proc, url = server
    reply = post(url, {"code": "import unreal\nprint('printed-by-job')\nunreal.log_warning('logged-by-job')"})
    assert reply["output"] == "printed-by-job\nWarning: logged-by-job\n"
    proc.send_signal(signal.SIGTERM)
    console = proc.communicate(timeout=10)[0]
    assert "printed-by-job" in console  # the headless host's console is the editor's Output Log
    assert "LogPython: Warning: logged-by-job" in console
