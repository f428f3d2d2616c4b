"""The connected MCP clients to tell when the tool list changes, in either protocol era."""
from __future__ import annotations

from collections import deque
from typing import Deque

from mcp.server.session import ServerSession
from mcp.server.streamable_http_manager import DEFAULT_MAX_SESSIONS
from mcp.server.subscriptions import InMemorySubscriptionBus, ToolsListChanged
from mcp_types.version import MODERN_PROTOCOL_VERSIONS


class ToolListeners:
    """Handshake-era clients get `notifications/tools/list_changed` on their connection; 2026-era clients
    get it on the `subscriptions/listen` stream they opened (the bus)."""

    def __init__(self) -> None:
        self.bus = InMemorySubscriptionBus()
        # A session's connection cannot be watched for its end through the SDK, and a notification to one
        # that ended is dropped without harm: so the newest sessions are kept, as many as HTTP allows.
        self._sessions: Deque[ServerSession] = deque(maxlen=DEFAULT_MAX_SESSIONS)

    def joined(self, session: ServerSession) -> None:
        """A client finished its handshake (`notifications/initialized`)."""
        if session.protocol_version not in MODERN_PROTOCOL_VERSIONS:
            self._sessions.append(session)

    async def tools_changed(self) -> None:
        for session in list(self._sessions):
            await session.send_tool_list_changed()
        await self.bus.publish(ToolsListChanged())
