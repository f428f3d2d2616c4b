"""Control messages between the worker and the server: JSON lines on private copies of fds 0 and 1.

Steps and output do not travel here: they go into the shared step log (steplog.py) as they are made.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any, BinaryIO, Dict, Optional

try:
    import orjson
except ImportError:  # the worker may run on an interpreter without orjson
    orjson = None  # type: ignore[assignment]


def dumps(message: Dict[str, Any]) -> bytes:
    """One message as compact JSON; odd strings (lone surrogates) are replaced rather than fatal."""
    if orjson is not None:
        try:
            return orjson.dumps(message)
        except TypeError:
            pass
    return json.dumps(message, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "replace")


class Channel:
    """The worker's side of the pipe pair; the user's program cannot reach it through fds 0 and 1."""

    def __init__(self, reader: BinaryIO, writer: BinaryIO):
        self.reader = reader
        self.writer = writer

    @classmethod
    def from_standard_streams(cls) -> Channel:
        """Move the protocol off fds 0/1 so that os.write(1, ...) or reading stdin cannot corrupt it."""
        reader = os.fdopen(os.dup(0), "rb")
        writer = os.fdopen(os.dup(1), "wb")
        null = os.open(os.devnull, os.O_RDWR)
        os.dup2(null, 0)
        os.dup2(null, 1)
        os.close(null)
        sys.stdin = open(os.devnull)  # noqa: SIM115 - lives as long as the process
        return cls(reader, writer)

    def send(self, message: Dict[str, Any]) -> None:
        """Write one message at once."""
        self.writer.write(dumps(message) + b"\n")
        self.writer.flush()

    def recv(self) -> Optional[Dict[str, Any]]:
        """The next message from the parent, or None at end of file."""
        line = self.reader.readline()
        if not line:
            return None
        message = json.loads(line)
        return message if isinstance(message, dict) else None
