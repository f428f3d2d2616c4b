"""The headless host's terminal: where the dashboard and the CLI are, and one line per request (never a
query string nor a body)."""
from __future__ import annotations

import logging
import os
import subprocess
import urllib.request
from typing import Iterator, List

import pytest

from bridge.api.accesslog import LOGGER_NAME

from .test_headless_process import post, start_server


def stop(proc: subprocess.Popen) -> str:
    """What it printed after the URL. Read through proc.stdout: communicate() would skip what its buffer holds."""
    proc.terminate()
    assert proc.stdout is not None
    with proc.stdout:
        rest = proc.stdout.read()
    proc.wait(30)
    return str(rest)


def test_the_terminal_shows_the_dashboard_the_cli_and_each_request() -> None:
    proc, url = start_server()
    try:
        post(url, {"code": "secret_program = 1\nprint('printed by the job')"})
        with urllib.request.urlopen(url + "/api/v1/health?token=hunter2", timeout=10) as response:
            response.read()
    finally:
        printed = stop(proc)
    assert f"Dashboard: {url}/" in printed
    assert "Command line: " in printed and "ue-bridge --help" in printed
    lines = printed.splitlines()
    assert any(line.endswith("ms") and " POST /api/v1/python/execute 200 " in line for line in lines), printed
    assert any(" GET /api/v1/health 200 " in line for line in lines), printed
    assert "printed by the job" in printed
    assert "secret_program" not in printed and "hunter2" not in printed


def test_access_log_false_keeps_the_terminal_quiet() -> None:
    os.environ["UE_BRIDGE_ACCESS_LOG"] = "false"
    try:
        proc, url = start_server()
    finally:
        del os.environ["UE_BRIDGE_ACCESS_LOG"]
    try:
        post(url, {"code": "1"})
    finally:
        printed = stop(proc)
    assert "/api/v1/python/execute" not in printed


@pytest.fixture
def access_lines() -> Iterator[List[str]]:
    lines: List[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(record.getMessage())

    logger = logging.getLogger(LOGGER_NAME)
    handler = Keep()
    logger.addHandler(handler)
    level = logger.level
    logger.setLevel(logging.INFO)
    yield lines
    logger.setLevel(level)
    logger.removeHandler(handler)


def test_an_invalid_access_log_setting_is_refused() -> None:
    from pydantic import ValidationError

    from bridge.config import Settings

    with pytest.raises(ValidationError, match="access_log"):
        Settings(access_log="sometimes")  # type: ignore[arg-type]


async def test_the_logger_writes_method_path_status_and_ms(access_lines: List[str]) -> None:
    import aiohttp
    from aiohttp import web

    from bridge.api.accesslog import AccessLogger, logger

    async def pong(request: web.Request) -> web.Response:
        return web.Response(text="pong")

    app = web.Application()
    app.router.add_get("/ping", pong)
    runner = web.AppRunner(app, access_log=logger(), access_log_class=AccessLogger)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        async with aiohttp.ClientSession(f"http://127.0.0.1:{port}") as http:
            assert (await http.get("/ping?code=print(1)")).status == 200
            assert (await http.get("/missing")).status == 404
    finally:
        await runner.cleanup()
    assert len(access_lines) == 2, access_lines
    _clock, remote, method, path, status, ms, unit = access_lines[0].split(" ")
    assert (remote, method, path, status, unit) == ("127.0.0.1", "GET", "/ping", "200", "ms") and float(ms) >= 0
    assert " GET /missing 404 " in access_lines[1] and "print(1)" not in " ".join(access_lines)
