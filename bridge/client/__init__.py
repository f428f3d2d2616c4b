"""Talking to a running bridge: BridgeClient and the `ue-bridge` command line; RemoteExecutionClient for an
editor without the plugin (Epic's remote execution)."""
from __future__ import annotations

from ..remote_exec.client import RemoteExecutionClient
from .bridge_client import BridgeClient

__all__ = ["BridgeClient", "RemoteExecutionClient"]
