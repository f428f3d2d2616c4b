"""Talking to a running bridge: BridgeClient and the `ue-bridge` command line."""
from __future__ import annotations

from .bridge_client import BridgeClient

__all__ = ["BridgeClient"]
