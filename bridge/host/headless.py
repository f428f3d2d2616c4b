"""The headless host: the mock editor loop on the main thread, the server thread beside it."""
from __future__ import annotations

import importlib
import os
import signal
import sys
import threading
from pathlib import Path
from types import FrameType, ModuleType
from typing import Optional

from ..config import Settings
from ..editor.interrupt import JobInterrupted
from ..runs import StopReason
from .server_thread import BridgeHost


def import_unreal() -> ModuleType:
    """The real `unreal` module when there is one, else the mock in its place."""
    try:
        return importlib.import_module("unreal")
    except ImportError:
        import mock_unreal

        return mock_unreal.install()


def with_data_dir(settings: Settings, data_dir: Path) -> Settings:
    """The history kept in `data_dir`, unless the environment or the settings file already chose a place."""
    if settings.history.data_dir is not None:
        return settings
    history = settings.history.model_copy(update={"data_dir": Path(data_dir).resolve()})
    return settings.model_copy(update={"history": history})


def serve(settings: Settings, tick_rate: float = 60.0, data_dir: Optional[Path] = None) -> int:
    """Run until SIGINT or SIGTERM; returns the exit status. `data_dir`: see with_data_dir()."""
    from mock_unreal.editor import EditorLoop

    if data_dir is not None:
        settings = with_data_dir(settings, data_dir)
    unreal = import_unreal()
    editor = EditorLoop(tick_rate)
    host = BridgeHost(settings, unreal)
    try:
        host.start()
    except Exception as exc:
        print(f"ue-bridge: {exc}", file=sys.stderr)
        return 1
    signals_seen = []

    def on_signal(signum: int, frame: Optional[FrameType]) -> None:
        signals_seen.append(signum)
        if len(signals_seen) > 1:
            os._exit(128 + signum)  # a second Ctrl-C means now
        editor.stop()  # host.stop() below cancels what is still queued, off this signal handler
        job = host.runner.interrupter.current
        if job is not None and threading.current_thread() is threading.main_thread():
            # The job runs on this thread: raising here also breaks out of time.sleep and friends.
            job.request_stop(StopReason.SHUTDOWN)
            raise JobInterrupted()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    # Announced only once the handlers are in: a caller may signal as soon as it reads the line.
    kind = "mock_unreal" if getattr(unreal, "__mock__", False) else "unreal"
    print(f"Unreal Python bridge listening on {host.url} (headless, {kind}, {tick_rate:g} Hz)", flush=True)
    if host.token_file is not None:
        print(f"Bearer token file: {host.token_file}", flush=True)
    try:
        editor.run()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        host.stop()
    print("Unreal Python bridge stopped", flush=True)
    return 0
