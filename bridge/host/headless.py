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

from ..api import accesslog
from ..config import Settings
from ..editor.interrupt import JobInterrupted
from ..runs import StopReason
from .project import choose_project, put_python_folders_on_path, run_init_scripts, use_project
from .remote import start_remote_execution
from .server_thread import BridgeHost


def import_unreal() -> ModuleType:
    """The real `unreal` module when there is one, else the mock in its place."""
    try:
        return importlib.import_module("unreal")
    except ImportError:
        import mock_unreal

        return mock_unreal.install()


def cli_command() -> str:
    """How to reach `ue-bridge` from this terminal: `make run` installs it in .venv/bin, not on PATH."""
    beside = Path(sys.executable).parent / "ue-bridge"
    if not beside.exists():
        return "ue-bridge"
    try:
        return os.path.relpath(beside)
    except ValueError:  # another drive (Windows)
        return str(beside)


def with_data_dir(settings: Settings, data_dir: Path) -> Settings:
    """The history kept in `data_dir`, unless the environment or the settings file already chose a place."""
    if settings.history.data_dir is not None:
        return settings
    history = settings.history.model_copy(update={"data_dir": Path(data_dir).resolve()})
    return settings.model_copy(update={"history": history})


def start_seeded(unreal: ModuleType, seed: Path) -> str:
    """Fill the mock project from a seed file before anything runs; a line saying what it holds."""
    if not getattr(unreal, "__mock__", False):
        raise ValueError("--seed needs mock_unreal, but a real `unreal` module is imported: "
                         "the editor's own project cannot be seeded")
    from mock_unreal.snapshots import start_from_seed

    held = start_from_seed(seed)
    return f"Seeded from {seed}: {held['assets']} assets, {held['actors']} actors in {held['level'] or 'no level'}"


def serve(
    settings: Settings, tick_rate: float = 60.0, data_dir: Optional[Path] = None, seed: Optional[Path] = None,
    project: Optional[Path] = None,
) -> int:
    """Run until SIGINT or SIGTERM; returns the exit status. `data_dir`: see with_data_dir(); `seed`: a
    project file (JSON or YAML) the mock project starts from and POST /api/v1/mock/reset returns to;
    `project`: the project folder (see bridge.host.project)."""
    from mock_unreal.editor import EditorLoop

    if data_dir is not None:
        settings = with_data_dir(settings, data_dir)
    try:
        use_project(choose_project(project, settings.history.data_dir))
    except (OSError, ValueError, RuntimeError) as exc:
        print(f"ue-bridge: {exc}", file=sys.stderr)
        return 2
    if settings.access_log is None:  # a terminal is watching: say what each request got
        settings = settings.model_copy(update={"access_log": True})
    if settings.access_log:
        accesslog.to_stream(sys.stdout)
    unreal = import_unreal()
    seeded = None
    if seed is not None:
        try:
            seeded = start_seeded(unreal, seed)
        except ValueError as exc:  # mock_unreal.snapshots.SeedError is one
            print(f"ue-bridge: {exc}", file=sys.stderr)
            return 2
    editor = EditorLoop(tick_rate)
    put_python_folders_on_path(unreal)
    host = BridgeHost(settings, unreal)
    try:
        host.start()
    except Exception as exc:
        print(f"ue-bridge: {exc}", file=sys.stderr)
        return 1
    run_init_scripts()  # this thread is the game thread; the editor runs them on its first tick
    try:
        remote = start_remote_execution(host.runner, unreal, settings)
    except OSError as exc:
        host.stop()
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
    if seeded is not None:
        print(seeded, flush=True)
    print(f"Project: {unreal.Paths.project_dir()}", flush=True)
    if remote is not None:
        group = f"{settings.remote_execution.multicast_group}:{settings.remote_execution.multicast_port}"
        print(f"Remote execution: answering on {group} ({settings.remote_execution.multicast_bind_address})",
              flush=True)
    print(f"Dashboard: {host.url}/   API reference: {host.url}/api/docs", flush=True)
    print(f"Command line: {cli_command()} --help", flush=True)
    try:
        editor.run()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if remote is not None:
            remote.stop()
        host.stop()
    print("Unreal Python bridge stopped", flush=True)
    return 0
