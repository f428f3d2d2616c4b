"""`ue-bridge serve` as a real process in a folder of the test's own, read until it says it listens."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import urllib.request
from pathlib import Path
from typing import Any, Dict, List, Optional

UE_BRIDGE = str(Path(sys.executable).with_name("ue-bridge"))


def clean_env(**extra: str) -> Dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("UE_BRIDGE_", "UE_MOCK_")) and k != "PORT"}
    env.update(PYTHONUNBUFFERED="1", **extra)
    return env


class Host:
    """One headless host process; `stop()` ends it with SIGTERM, as Ctrl-C would."""

    def __init__(self, cwd: Path, *args: str, env: Optional[Dict[str, str]] = None) -> None:
        self.process = subprocess.Popen(
            [UE_BRIDGE, "serve", "--port", "0", "--tick-rate", "200", *args], cwd=str(cwd),
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env or clean_env(),
        )
        assert self.process.stdout is not None
        self.lines: List[str] = []
        self.url = ""
        for line in self.process.stdout:
            self.lines.append(line)
            match = re.search(r"listening on (http://\S+)", line)
            if match:
                self.url = match.group(1)
            if line.startswith("Command line:") or self.process.poll() is not None:
                break
        if not self.url:
            self.stop()
            raise AssertionError("the host did not start:\n" + "".join(self.lines))

    @property
    def project(self) -> Path:
        line = next(line for line in self.lines if line.startswith("Project: "))
        return Path(line.split(" ", 1)[1].strip())

    def execute(self, **body: Any) -> Dict[str, Any]:
        request = urllib.request.Request(self.url + "/api/v1/python/execute", data=json.dumps(body).encode(),
                                         headers={"Content-Type": "application/json"}, method="POST")
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with opener.open(request, timeout=30) as response:
            return dict(json.loads(response.read()))

    def stop(self) -> str:
        """SIGTERM, then what the host printed from its start."""
        if self.process.poll() is None:
            self.process.terminate()
        try:
            rest, _ = self.process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            rest, _ = self.process.communicate(timeout=20)
        return "".join(self.lines) + (rest or "")
