"""JSON lines between the worker and the server, on private copies of fds 0 and 1."""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
import time
from typing import Any, BinaryIO, Dict, List, Optional

FLUSH_INTERVAL_S = 0.015
FLUSH_BYTES = 256 * 1024

try:
    import orjson
except ImportError:  # the worker may run on an interpreter without orjson
    orjson = None  # type: ignore[assignment]


def dumps(message: Dict[str, Any]) -> bytes:
    """One message as a JSON line; odd strings (lone surrogates) are replaced rather than fatal."""
    if orjson is not None:
        try:
            return orjson.dumps(message) + b"\n"
        except TypeError:
            pass
    return json.dumps(message, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "replace") + b"\n"


class Channel:
    """The worker's side of the pipe pair; the user's program cannot reach it through fds 0 and 1.

    Steps are buffered and flushed by size or by a background thread every few milliseconds: one write
    per step made the tracer wait on the server far more than it traced. The thread keeps steps
    flowing while the program sleeps or waits, so streaming stays live.
    """

    def __init__(self, reader: BinaryIO, writer: BinaryIO):
        self.reader = reader
        self.writer = writer
        self.sent_bytes = 0
        self._pending: List[bytes] = []
        self._pending_size = 0
        self._lock = threading.RLock()
        self._flusher: Optional[threading.Thread] = None

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

    def start_flusher(self) -> None:
        """Flush buffered steps every FLUSH_INTERVAL_S, and on the limit signals before dying of them."""
        self._flusher = threading.Thread(target=self._flush_loop, name="bridge-trace-flusher", daemon=True)
        self._flusher.start()
        for signum in (signal.SIGTERM, signal.SIGXCPU):
            signal.signal(signum, self._flush_and_die)

    def _flush_and_die(self, signum: int, frame: Any) -> None:
        # The server sends SIGTERM at the wall limit and the kernel SIGXCPU at the CPU limit: hand over the
        # steps still buffered, then die of the same signal so the server sees why.
        try:
            self.flush()
        except Exception:  # re-entered in the middle of a write: die anyway
            pass
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)

    def _flush_loop(self) -> None:
        while True:
            time.sleep(FLUSH_INTERVAL_S)
            if self._pending:
                self.flush()

    def send(self, message: Dict[str, Any]) -> int:
        """Write one control message at once; returns the total bytes sent so far."""
        return self._queue(dumps(message), urgent=True)

    def send_step(self, step: Dict[str, Any]) -> int:
        """Queue one step as an `S`-prefixed JSON line, so the server can keep its bytes without parsing."""
        return self._queue(b"S" + dumps(step), urgent=False)

    def _queue(self, data: bytes, urgent: bool) -> int:
        with self._lock:
            self._pending.append(data)
            self._pending_size += len(data)
            self.sent_bytes += len(data)
            if urgent or self._pending_size >= FLUSH_BYTES or self._flusher is None:
                self._write_pending()
        return self.sent_bytes

    def flush(self) -> None:
        """Write everything queued."""
        with self._lock:
            self._write_pending()

    def _write_pending(self) -> None:
        if self._pending:
            self.writer.write(b"".join(self._pending))
            self._pending, self._pending_size = [], 0
        self.writer.flush()

    def recv(self) -> Optional[Dict[str, Any]]:
        """The next message from the parent, or None at end of file."""
        line = self.reader.readline()
        if not line:
            return None
        message = json.loads(line)
        return message if isinstance(message, dict) else None

    def close(self) -> None:
        """Flush what is left."""
        self.flush()
