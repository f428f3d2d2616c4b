"""The PDF's fonts: a Unicode TTF (DejaVu Sans) where the system has one, else fpdf2's Latin-1 core font."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable, Optional

# Debian/Ubuntu (fonts-dejavu-core), Fedora, Arch; shipping our own copy would add ~1.5 MB to the package.
FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu-sans-fonts"),
             Path("/usr/share/fonts/dejavu"), Path("/usr/share/fonts/TTF"))
REPLACEMENT = "?"


@dataclass(frozen=True)
class FontFiles:
    regular: Path
    bold: Path


@lru_cache(maxsize=1)
def find_unicode_font() -> Optional[FontFiles]:
    """DejaVu Sans regular and bold, or None when neither directory has both."""
    for folder in FONT_DIRS:
        regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
        if regular.is_file() and bold.is_file():
            return FontFiles(regular, bold)
    return None


def printable(text: str, has_glyph: Callable[[str], bool]) -> str:
    """`text` as the font can draw it: newlines kept, tabs as spaces, control and invisible format characters
    dropped, and any other character the font lacks shown as `?` (so the reader sees that something was there)."""
    out = []
    for ch in unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n")):
        if ch in "\n ":
            out.append(ch)
        elif ch == "\t":
            out.append("    ")
        elif unicodedata.category(ch) in ("Cc", "Cs"):
            continue
        elif has_glyph(ch):
            out.append(ch)
        elif unicodedata.category(ch) != "Cf":  # zero-width joiners, direction marks: nothing to see
            out.append(REPLACEMENT)
    return "".join(out)


def latin1_glyph(ch: str) -> bool:
    """What fpdf2's core fonts (Helvetica in Latin-1) can encode."""
    return ord(ch) < 256
