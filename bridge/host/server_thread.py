"""BridgeHost: starts the server thread and the game-thread tick callback, and stops both."""
from __future__ import annotations

import asyncio
import logging
import os
import sys
import threading
from pathlib import Path
from types import ModuleType
from typing import Any, Optional

from aiohttp import web

from ..api import accesslog, state
from ..api.connections import ConnectionLimits, GuardedSite
from ..api.enginelog import attach_engine_log
from ..api.metrics import Metrics
from ..api.security import ensure_token
from ..api.server import create_app
from ..api.state import EditorInfo
from ..config import Settings
from ..editor.capture import OutputRouter
from ..editor.logtail import engine_log_path
from ..editor.prefs import BackgroundThrottle
from ..editor.pythonpath import add_to_sys_path, configured_folders
from ..editor.runner import JobRunner
from ..editor.tickqueue import TickQueue
from ..runs import RunHistory
from ..runs.artifacts import ArtifactFiles
from ..runs.open import data_dir, open_store
from ..runs.retention import Retention
from .instance import publish_instance, remove_instance

log = logging.getLogger("bridge")


def read_editor_info(unreal: ModuleType) -> EditorInfo:
    """Game thread: who this editor is. Missing figures read as "unknown" rather than failing start-up."""

    def ask(read: Any) -> str:
        try:
            return str(read())
        except Exception as exc:  # an engine build without one of these must still serve
            return f"unknown ({type(exc).__name__})"

    return EditorInfo(
        engine_version=ask(unreal.SystemLibrary.get_engine_version),
        project_name=ask(unreal.SystemLibrary.get_game_name),
        project_dir=ask(lambda: os.path.abspath(unreal.Paths.project_dir())),
        python_version=sys.version.split()[0],
        pid=os.getpid(),
        mock=bool(getattr(unreal, "__mock__", False)),
    )


def new_event_loop() -> asyncio.AbstractEventLoop:
    """uvloop where the platform has it: it roughly halves the loop's own overhead."""
    try:
        import uvloop

        return uvloop.new_event_loop()
    except ImportError:
        return asyncio.new_event_loop()


def _cancel_leftover_tasks(loop: asyncio.AbstractEventLoop) -> None:
    """Tasks libraries leave behind (Socket.IO pings, say) are cancelled, not destroyed pending."""
    tasks = [task for task in asyncio.all_tasks(loop) if not task.done()]
    for task in tasks:
        task.cancel()
    if tasks:
        loop.run_until_complete(asyncio.gather(*tasks, return_exceptions=True))


class BridgeHost:
    """The bridge inside one editor process (or the headless host)."""

    def __init__(self, settings: Settings, unreal: ModuleType) -> None:
        self.settings = settings
        self.unreal = unreal
        self.metrics = Metrics()
        saved = Path(unreal.Paths.project_saved_dir()) / "PythonBridge"
        self.history = RunHistory(
            open_store(settings.history, saved),
            output_limit=settings.output_limit_bytes,
            log_limit=settings.log_entry_limit,
        )
        self.artifact_files = ArtifactFiles(
            data_dir(settings.history, saved) / "artifacts",
            settings.history.artifact_max_bytes,
            settings.history.artifact_retention_days,
        )
        self.router = OutputRouter()
        self.tickqueue = TickQueue(
            settings.tick_budget_ms, settings.queue_limit, self.metrics.observe_drain,
            linger_ms=min(settings.tick_linger_ms, settings.tick_budget_ms),
        )
        self.runner = JobRunner(
            self.tickqueue,
            self.history,
            router=self.router,
            artifacts=getattr(self, "artifact_files", None),
            stall_seconds=settings.tick_stall_seconds,
            interrupt_grace_seconds=settings.interrupt_grace_seconds,
            output_limit=settings.output_limit_bytes,
            job_ttl_seconds=settings.job_ttl_seconds,
            job_max_kept=settings.job_max_kept,
            session_ttl_seconds=settings.session_ttl_seconds,
        )
        self.token_file: Optional[Path] = None
        self.port: Optional[int] = None
        self.app: Optional[web.Application] = None
        self._loop: Optional[asyncio.AbstractEventLoop] = None
        self._stop_event: Optional[asyncio.Event] = None
        self._thread: Optional[threading.Thread] = None
        self._ready = threading.Event()
        self._startup_error: Optional[BaseException] = None
        self._tick_handle: Any = None
        self.throttle = BackgroundThrottle(unreal)
        self.instance_file: Optional[Path] = None

    @property
    def url(self) -> str:
        host = self.settings.host
        shown = f"[{host}]" if ":" in host else host
        return f"http://{shown}:{self.port}"

    def start(self, token_dir: Optional[Path] = None) -> None:
        """Game thread: register the tick callback and start serving. Raises if the port cannot be bound."""
        if self._thread is not None:
            raise RuntimeError("the bridge is already running")
        default_token = (token_dir or Path(self.unreal.Paths.project_saved_dir()) / "PythonBridge") / "token"
        self.token_file = ensure_token(self.settings, default_token)
        if not self.settings.is_loopback and not self.settings.token:  # ensure_token's promise, checked again
            raise RuntimeError("binding a non-loopback address requires a token")
        info = read_editor_info(self.unreal)
        # The editor's own Additional Paths are on sys.path already; python.paths adds the same kind.
        add_to_sys_path(configured_folders(self.settings.python.paths, Path(info.project_dir)))
        self.history.recover()  # runs a killed process left pending or running end failed (restart)
        self.router.install(self.unreal)
        self.app = create_app(self.settings, self.runner, info, self.metrics, self.history)
        self.app[state.ARTIFACT_FILES] = self.artifact_files
        retention = Retention(self.history, self.artifact_files, self.settings.history)
        self.app.cleanup_ctx.append(state.background_task(lambda app: retention.run_forever()))
        if self.settings.editor.attach_engine_log:
            attach_engine_log(self.app, self.runner, engine_log_path(self.unreal))
        self._tick_handle = self.unreal.register_slate_post_tick_callback(self.tickqueue.drain)
        self._thread = threading.Thread(target=self._serve_thread, name="ue-bridge-server", daemon=True)
        self._thread.start()
        self._ready.wait(30)
        if self._startup_error is not None or self.port is None:
            error = self._startup_error or RuntimeError("the server thread did not start within 30 s")
            self._undo_start()
            raise error
        if self.settings.editor.disable_background_throttle:
            self.throttle.disable()
        self.instance_file = publish_instance(
            url=self.url, port=self.port, project=info.project_name, project_dir=info.project_dir,
            engine_version=info.engine_version, token_file=self.token_file,
        )

    def stop(self, timeout: float = 5.0) -> None:
        """Stop accepting, cancel pending jobs, interrupt the running one, release the port."""
        if self._thread is None:
            return
        self.runner.cancel_all()
        self.throttle.restore()
        if self.instance_file is not None and self.port is not None:
            remove_instance(self.instance_file, os.getpid(), self.port)
            self.instance_file = None
        loop, stop_event = self._loop, self._stop_event
        if loop is not None and stop_event is not None and not loop.is_closed():
            try:
                loop.call_soon_threadsafe(stop_event.set)
            except RuntimeError:
                pass  # the loop already closed
        self._thread.join(timeout)
        self._undo_start()
        self._close_history(timeout)

    def _close_history(self, timeout: float) -> None:
        """After the server thread: nothing serves from the store any more. Flushed first, so a close
        that cannot finish (a wedged writer) still leaves every event applied so far on disk."""
        try:
            self.history.flush().result(timeout)
        except Exception:
            log.exception("the run history could not be flushed at stop")
        self.history.store.close()

    def _undo_start(self) -> None:
        if self._tick_handle is not None:
            self.unreal.unregister_slate_post_tick_callback(self._tick_handle)
            self._tick_handle = None
        self.router.uninstall()
        self._thread = None

    def _serve_thread(self) -> None:
        loop = new_event_loop()
        self._loop = loop
        asyncio.set_event_loop(loop)
        try:
            loop.run_until_complete(self._serve())
        except BaseException as exc:
            self._startup_error = self._startup_error or exc
            log.exception("bridge server thread stopped with an error")
        finally:
            self._ready.set()
            _cancel_leftover_tasks(loop)
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()

    async def _serve(self) -> None:
        assert self.app is not None
        self._stop_event = asyncio.Event()
        limits = ConnectionLimits.from_settings(self.settings)
        # Idle kept-alive connections count against max_connections: they get no longer than a slow head.
        access = accesslog.logger() if self.settings.access_log else None
        runner = web.AppRunner(self.app, access_log=access, access_log_class=accesslog.AccessLogger,
                               handle_signals=False, shutdown_timeout=2.0,
                               keepalive_timeout=limits.header_timeout_seconds)
        await runner.setup()
        site = GuardedSite(runner, self.settings.host, self.settings.port, limits)
        try:
            await site.start()
        except OSError as exc:
            self._startup_error = OSError(
                exc.errno, f"cannot listen on {self.settings.host}:{self.settings.port}: {exc.strerror}"
            )
            await runner.cleanup()
            return
        self.port = site.port
        self._ready.set()
        await self._stop_event.wait()
        await runner.cleanup()
