"""The stdio transport's pipes: lines in and out on the event loop, the wire kept off fd 0 and fd 1."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from bridge.mcp.pipes import loop_can_serve

REPO = Path(__file__).resolve().parents[2]  # the children import bridge from the checkout

# A child serving its stdin back, upper-cased, through loop_stdio, while stray writes try to reach the wire.
ECHO = textwrap.dedent("""
    import asyncio, os, sys
    from bridge.mcp.pipes import loop_stdio

    async def main():
        async with loop_stdio() as pipes:
            assert pipes is not None, "pipes were not served on the loop"
            lines, out = pipes
            async for line in lines:
                print("stray print")              # fd 1 is stderr now
                os.write(1, b"stray write\\n")
                assert os.read(0, 10) == b""      # fd 0 is /dev/null now
                await out.write(line.upper())
                await out.flush()
        # Restored: the wire is fd 1 again, and blocking as it was.
        assert os.get_blocking(0) and os.get_blocking(1)
        os.write(1, b"after\\n")

    asyncio.run(main())
""")


def test_lines_go_through_and_stray_output_misses_the_wire() -> None:
    long_line = "x" * 300_000  # beyond asyncio's 64 KiB default line limit
    done = subprocess.run([sys.executable, "-c", ECHO], input=f"one\n{long_line}\ntwo\n", capture_output=True,
                          text=True, timeout=60, cwd=REPO)
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"ONE\n{long_line.upper()}\nTWO\nafter\n"
    assert done.stderr.count("stray print\n") == 3 and done.stderr.count("stray write\n") == 3


def test_a_regular_file_is_left_to_the_sdk(tmp_path: Path) -> None:
    regular = tmp_path / "requests.jsonl"
    regular.write_text("{}\n")
    with regular.open("rb") as file:
        assert not loop_can_serve(file.fileno())
    read, write = os.pipe()
    try:
        assert loop_can_serve(read) and loop_can_serve(write)
    finally:
        os.close(read)
        os.close(write)
    assert not loop_can_serve(9999)  # not open at all


def test_loop_stdio_yields_none_when_stdin_is_a_file(tmp_path: Path) -> None:
    regular = tmp_path / "stdin.txt"
    regular.write_text("")
    script = textwrap.dedent("""
        import asyncio
        from bridge.mcp.pipes import loop_stdio

        async def main():
            async with loop_stdio() as pipes:
                print("none" if pipes is None else "pipes")

        asyncio.run(main())
    """)
    with regular.open("rb") as stdin:
        done = subprocess.run([sys.executable, "-c", script], stdin=stdin, capture_output=True, text=True,
                              timeout=60, cwd=REPO)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "none\n"

