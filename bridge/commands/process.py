"""Spawn a command in a process group of its own, and end the whole group, on POSIX and Windows."""
from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
from typing import Any, Dict

from .prepare import WINDOWS, PreparedCommand

EXIT_POLL_S = 0.02


async def spawn(command: PreparedCommand) -> asyncio.subprocess.Process:
    """Start the command with piped output and no stdin; OSError when it cannot start."""
    options: Dict[str, Any] = {}
    if WINDOWS:
        options["creationflags"] = subprocess.CREATE_NEW_PROCESS_GROUP  # type: ignore[attr-defined]
    else:
        # Its own session: the editor's terminal signals do not reach it, and killpg reaches its children.
        options["start_new_session"] = True
    return await asyncio.create_subprocess_exec(
        *command.argv, cwd=command.working_directory, env=command.environment,
        stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        **options,
    )


def terminate_group(proc: asyncio.subprocess.Process) -> None:
    """Ask every process of the group to stop (SIGTERM; CTRL_BREAK on Windows)."""
    if WINDOWS:
        with contextlib.suppress(OSError):
            proc.send_signal(signal.CTRL_BREAK_EVENT)  # type: ignore[attr-defined]
        return
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGTERM)


def kill_group(proc: asyncio.subprocess.Process) -> None:
    """Kill every process of the group at once, the leader's children included even when it has exited."""
    if WINDOWS:
        _kill_tree(proc.pid)
        return
    # The group id outlives its leader while any member lives: background children are still reached.
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)


def _kill_tree(pid: int) -> None:
    # Windows has no process groups to signal; the tree is what the command started.
    import psutil

    try:
        parent = psutil.Process(pid)
        family = [*parent.children(recursive=True), parent]
    except psutil.Error:
        return
    for member in family:
        with contextlib.suppress(psutil.Error):
            member.kill()


async def exited(proc: asyncio.subprocess.Process) -> int:
    """The leader's exit code, once it has exited.

    Not `proc.wait()`: that also waits until every pipe is closed, which a background child that
    inherited them may never do.
    """
    while proc.returncode is None:
        await asyncio.sleep(EXIT_POLL_S)
    return proc.returncode


async def stop_group(proc: asyncio.subprocess.Process, grace: float) -> None:
    """SIGTERM the group, give the leader `grace` seconds to exit, then SIGKILL whatever is left."""
    if proc.returncode is None:
        terminate_group(proc)
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(exited(proc), grace)
    kill_group(proc)
    await exited(proc)


def signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"
