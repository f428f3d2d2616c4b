"""Finding and poking a tracer worker from the host: its box hides its pid and files from us."""

from __future__ import annotations

import asyncio
import signal
from typing import List

import psutil

from bridge.trace import TraceRunner

# A program that waits until the test sends SIGUSR1 (see `release`): blocked first, so it cannot kill it.
WAIT_FOR_RELEASE = "import signal\nsignal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR1})\n"
WAIT_HERE = "signal.sigwait({signal.SIGUSR1})\n"


def processes_with(text: str) -> List[int]:
    """Host pids of processes whose command line contains `text`."""
    found = []
    for p in psutil.process_iter(["cmdline"]):
        try:
            if any(text in part for part in p.info["cmdline"] or []):
                found.append(p.pid)
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return found


async def gone(text: str, tries: int = 200) -> bool:
    """Whether every process with `text` in its command line has ended (a bounded wait, not a timing check)."""
    for _ in range(tries):
        if not processes_with(text):
            return True
        await asyncio.sleep(0.05)
    return False


def release(runner: TraceRunner) -> int:
    """Send SIGUSR1 to the code of every running worker; how many processes got it."""
    assert runner.pool is not None
    uid = runner.settings.box_uid
    sent = 0
    for worker in list(runner.pool._busy):
        try:
            # A box per worker: its pid is bwrap's, the code runs below it. A zygote's child: the code itself.
            top = psutil.Process(worker.proc.pid)
            tree = [top, *top.children(recursive=True)]
        except psutil.NoSuchProcess:
            continue
        for proc in tree:
            try:
                if proc.uids().real == uid:
                    proc.send_signal(signal.SIGUSR1)
                    sent += 1
            except psutil.NoSuchProcess:
                continue
    return sent
