"""One line per request, for the terminal of a host: method, path, status, milliseconds.

Never the query string nor a body: `/api/v1/execute/stream?code=...` carries a program, and a token
or a program must not land in a log a user pastes into a bug report.
"""
from __future__ import annotations

import logging
import time
from typing import TextIO

from aiohttp.abc import AbstractAccessLogger
from aiohttp.web import BaseRequest, StreamResponse

LOGGER_NAME = "bridge.access"


class AccessLogger(AbstractAccessLogger):
    def log(self, request: BaseRequest, response: StreamResponse, time_taken: float) -> None:
        self.logger.info("%s %s %s %s %d %.1f ms", time.strftime("%H:%M:%S"), request.remote or "-",
                         request.method, request.path, response.status, time_taken * 1000)


def logger() -> logging.Logger:
    """The access log's logger, at INFO unless an operator chose its level (the lines are INFO)."""
    access = logging.getLogger(LOGGER_NAME)
    if access.level == logging.NOTSET:
        access.setLevel(logging.INFO)
    return access


def to_stream(stream: TextIO) -> logging.Logger:
    """The access log printed as plain lines on `stream` (the headless host's terminal)."""
    logger = logging.getLogger(LOGGER_NAME)
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False  # the editor's own handlers must not print each line twice
    return logger
