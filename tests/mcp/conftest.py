"""`ue-bridge mcp` driven by the official SDK's own client, as a real subprocess, against real headless hosts."""
from __future__ import annotations

import contextlib
import importlib.util
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, AsyncIterator, Callable, Dict, Iterator, List, Optional

import pytest

from mock_unreal.testing import unreal_project
from tests.needs import IN_CI

if importlib.util.find_spec("mcp") is None:
    if IN_CI and sys.version_info >= (3, 10):
        raise ImportError("CI=true: tests/mcp needs the mcp package on Python 3.10+ (pip install -e '.[dev]')")
    collect_ignore_glob = ["test_*.py"]  # the py39 venv, or an install without the [mcp] extra
else:
    import anyio
    import mcp_types as types
    from mcp import ClientSession, StdioServerParameters
    from mcp.client.stdio import stdio_client

__all__ = ["unreal_project"]  # a project folder of the test's own: its instance.json is no one else's
UE_BRIDGE = str(Path(sys.executable).with_name("ue-bridge"))


class Inbox:
    """Every notification the server sent this client."""

    def __init__(self) -> None:
        self.messages: List[Any] = []

    async def __call__(self, message: Any) -> None:
        self.messages.append(message)

    def tool_list_changes(self) -> int:
        return sum(isinstance(m, types.ToolListChangedNotification) for m in self.messages)


@contextlib.asynccontextmanager
async def mcp_stdio(log: Path, *args: str, inbox: Optional[Inbox] = None) -> AsyncIterator[ClientSession]:
    """A ClientSession, past its handshake, with `ue-bridge mcp ARGS` as a subprocess over stdio."""
    params = StdioServerParameters(command=UE_BRIDGE, args=["mcp", *args])
    with log.open("a", encoding="utf-8") as errlog:
        async with stdio_client(params, errlog=errlog) as (read, write), \
                ClientSession(read, write, message_handler=inbox) as session:
            await session.initialize()
            yield session


async def eventually(check: Callable[[], Any], timeout: float = 20.0, what: str = "the condition") -> Any:
    """Poll `check` until it returns something true; fail with `what` after `timeout` seconds."""
    with anyio.move_on_after(timeout):
        while True:
            value = check()
            if value:
                return value
            await anyio.sleep(0.05)
    pytest.fail(f"{what} did not happen within {timeout:g} s")


def text_of(result: Any) -> str:
    return "\n".join(block.text for block in result.content if block.type == "text")


@contextlib.contextmanager
def mcp_http(log: Path, *args: str) -> Iterator[str]:
    """`ue-bridge mcp --http 127.0.0.1:0 ARGS` as a subprocess; the URL of its endpoint."""
    with log.open("w+", encoding="utf-8") as errlog:
        proc = subprocess.Popen([UE_BRIDGE, "mcp", "--http", "127.0.0.1:0", *args], stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL, stderr=errlog)
        try:
            url = _announced(log, proc)
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def _announced(log: Path, proc: subprocess.Popen[bytes], timeout: float = 30.0) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = re.search(r"Streamable HTTP on (http://\S+)", log.read_text(encoding="utf-8"))
        if found:
            return found.group(1)
        if proc.poll() is not None:
            break
        time.sleep(0.05)
    pytest.fail(f"ue-bridge mcp --http did not start: {log.read_text(encoding='utf-8')}")


async def read_text(session: ClientSession, uri: str) -> Any:
    """The text content of a resource, and the content itself (for its mime type)."""
    content = (await session.read_resource(uri)).contents[0]
    assert isinstance(content, types.TextResourceContents), content
    return content.text, content


def structured(result: Any) -> Dict[str, Any]:
    assert isinstance(result.structured_content, dict), result
    return dict(result.structured_content)


@pytest.fixture
def mcp_log(tmp_path: Path) -> Path:
    return tmp_path / "mcp-stderr.log"
