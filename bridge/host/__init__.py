"""The processes the bridge runs in: the server thread (BridgeHost), the headless host, sandbox-serve."""
from __future__ import annotations

from .server_thread import BridgeHost

__all__ = ["BridgeHost"]
