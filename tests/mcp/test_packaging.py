"""The MCP server stays out of the editor: the in-editor package never imports it, nor the SDK."""
from __future__ import annotations

import subprocess
import sys

CHECK = """
import sys
import bridge, bridge.host, bridge.api.server, bridge.client.cli
loaded = sorted(name for name in sys.modules if name == "mcp" or name.startswith(("mcp.", "bridge.mcp")))
print(loaded)
"""


def test_the_editors_bridge_does_not_load_the_mcp_server() -> None:
    done = subprocess.run([sys.executable, "-c", CHECK], capture_output=True, text=True, timeout=60, check=True)
    assert done.stdout.strip() == "[]", done.stdout
