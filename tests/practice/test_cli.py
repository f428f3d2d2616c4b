"""`ue-bridge practice serve` as a real process: it migrates, listens, answers and stops on SIGTERM."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import aiohttp
import pytest

pytestmark = pytest.mark.slow


async def test_serve_answers_and_stops_on_sigterm(tmp_path: Path) -> None:
    env = {**os.environ, "UE_BRIDGE_PRACTICE__SANDBOX__WARM_POOL_SIZE": "0"}
    log = tmp_path / "stderr.log"
    with log.open("w") as stderr, subprocess.Popen(
        [sys.executable, "-m", "bridge", "practice", "serve", "--port", "0", "--data-dir", str(tmp_path)],
        stdout=subprocess.PIPE, stderr=stderr, text=True, env=env,
    ) as process:
        try:
            assert process.stdout is not None
            line = process.stdout.readline()
            found = re.search(r"listening on (http://127\.0\.0\.1:\d+)", line)
            assert found, (line, log.read_text())
            async with aiohttp.ClientSession(found.group(1)) as http, http.get("/api/health") as r:
                assert r.status == 200 and (await r.json())["status"] in ("healthy", "degraded")
            assert (tmp_path / "practice.db").exists() and (tmp_path / "jwt-secret").exists()
        finally:
            process.send_signal(signal.SIGTERM)
            assert process.wait(30) == 0


def test_non_loopback_needs_public(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bridge", "practice", "serve", "--host", "0.0.0.0", "--data-dir", str(tmp_path)],
        capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 2 and "--public" in done.stderr


def test_bad_setting_is_reported(tmp_path: Path) -> None:
    env = {**os.environ, "UE_BRIDGE_PRACTICE__RATE_LIMIT_IP": "many"}
    done = subprocess.run([sys.executable, "-m", "bridge", "practice", "serve", "--data-dir", str(tmp_path)],
                          capture_output=True, text=True, timeout=60, env=env)
    assert done.returncode == 2 and "invalid settings" in done.stderr and "100/minute" in done.stderr
