"""High-resolution screenshots: recorded in the project state and written as real PNG files."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path
from typing import Any, Optional

from ._state import PROJECT


def _png(width: int, height: int) -> bytes:
    """A mid-grey RGB image of the given size."""
    row = b"\x00" + b"\x80" * (3 * width)
    raw = zlib.compress(row * height, 6)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


def write_screenshot(res_x: int, res_y: int, filename: str, camera: Optional[Any]) -> None:
    """Record the request; write `Saved/Screenshots/<platform>/<filename>` (or `filename` if absolute)."""
    if not (0 < res_x <= 16384 and 0 < res_y <= 16384):
        raise ValueError(f"screenshot size must be between 1 and 16384 pixels, got {res_x}x{res_y}")
    from ._system import Paths, platform_name

    name = filename or "HighresScreenshot00000.png"
    path = Path(name)
    if not path.is_absolute():
        path = Path(Paths.screen_shot_dir()) / f"{platform_name()}Editor" / name
    if path.suffix.lower() != ".png":
        path = path.with_suffix(".png")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(_png(res_x, res_y))
    PROJECT.screenshots.append(
        {
            "res_x": res_x,
            "res_y": res_y,
            "filename": str(path),
            "camera": camera.get_name() if camera is not None else None,
        }
    )
