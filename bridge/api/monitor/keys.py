"""The monitor's services in the app: the command runner and the WebSocket hub."""
from __future__ import annotations

from aiohttp import web

from ...commands import CommandRunner
from .hub import EventHub

COMMAND_RUNNER = web.AppKey("command_runner", CommandRunner)
EVENT_HUB = web.AppKey("event_hub", EventHub)
