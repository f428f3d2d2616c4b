"""Editor code for the dashboard's tests: jobs the test moves on by creating files, never by waiting."""
from __future__ import annotations

import struct
import zlib
from pathlib import Path


def wait_for(marker: Path) -> str:
    """Python that blocks the job until `marker` exists (bounded: it times out with the job)."""
    return f"while not __import__('os').path.exists({str(marker)!r}):\n    __import__('time').sleep(0.02)\n"


def png(width: int, height: int) -> bytes:
    """A valid RGB PNG of a colour gradient."""
    rows = b"".join(b"\x00" + bytes(v for x in range(width) for v in (255 * x // width, 255 * y // height, 160))
                    for y in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")
