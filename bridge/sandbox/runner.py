"""SandboxRunner: validate a request, build (cached), run in a box, shape the reply. No HTTP here."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import time
import uuid
from functools import partial
from typing import Dict, List, Optional, Tuple

from ..containment import SECCOMP, BoxHost, ContainmentInfo, describe, memfd_with, prepare
from ..containment.cgroups import CgroupManager
from .box import BoxOutcome, RunningBox
from .cache import ArtifactRejected, BuildCache, cache_key
from .errors import LIMITS_EXCEEDED, UNSUPPORTED, BadRunRequest, ExecutionTimedOut, SandboxUnavailable
from .limiter import RunLimiter
from .models import ExecuteRequest, ExecuteResponse, HealthResponse, Limits, RuntimeInfo, RuntimesResponse
from .runtimes import ALIASES, MAXIMA, Language, RunLimits, Toolchain, discover_once
from .settings import SandboxSettings
from .stages import MIB, compile_stage, run_limits, run_stage
from .warmpool import WarmPool, boot_argv, boot_fits

POOL_START_TIMEOUT_S = 20.0
POOL_WAIT_S = 1.0  # how long a run waits for a warm box that is starting before going cold
DEFAULT_LIMITS = Limits(timeout_ms=5000, memory_mb=128, cpu_count=1)


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("unreal-python-bridge")
    except Exception:
        return "0.1.0"


class BuildResult:
    """A compile: either a cache entry to run, or the compiler's complaint."""

    def __init__(self, entry: Optional[str], output: str, exit_code: Optional[int], cached: bool) -> None:
        self.entry, self.output, self.exit_code, self.cached = entry, output, exit_code, cached


class SandboxRunner:
    """Runs untrusted code in eight languages, each run in its own bubblewrap box."""

    def __init__(
        self, settings: Optional[SandboxSettings] = None, languages: Optional[Dict[str, Language]] = None
    ) -> None:
        self.settings = settings or SandboxSettings()
        self.languages: Dict[str, Language] = languages or {}
        self.reason: Optional[str] = None
        self.host: Optional[BoxHost] = None
        self.cgroups: Optional[CgroupManager] = None
        self._found: Optional[BoxHost] = None  # kept for teardown even when runs are refused
        self.cache: Optional[BuildCache] = None
        self.pools: Dict[Tuple[str, str], WarmPool] = {}
        self._private = ""
        self._pools_started = False
        self._building: Dict[str, asyncio.Future[BuildResult]] = {}
        slots = self.settings.max_concurrency or os.cpu_count() or 1
        self.limiter = RunLimiter(slots, self.settings.queue_size, self.settings.retry_after_s)

    # -- lifecycle -------------------------------------------------------------------------------------

    async def start(self) -> None:
        """Find bwrap, cgroups and toolchains; start warm pools. Never raises: problems go to `reason`."""
        if not self.languages:
            self.languages = await asyncio.to_thread(discover_once)
        under_etc = {
            path
            for lang in self.languages.values()
            for toolchain in lang.toolchains.values()
            for path in toolchain.binds
            if path.startswith("/etc/")
        }
        s = self.settings
        found = await asyncio.to_thread(
            prepare, "sandbox", s.box_uid, bwrap_path=s.bwrap_path, cgroup_mode=s.cgroup_mode, etc_mounts=under_etc
        )
        self.cgroups = found.cgroups
        problems = [] if s.enabled else ["the sandbox is disabled in settings (sandbox.enabled)"]
        problems += found.problems
        if found.host is not None:
            self._private = found.host.private_dir
            cache_dir = s.cache_dir or os.path.join(self._private, "build-cache")
            try:
                self.cache = BuildCache(cache_dir, s.cache_max_entries)
            except (OSError, RuntimeError) as e:
                problems.append(f"build cache unusable: {e}")
        self.reason = "; ".join(problems) or None
        self._found = found.host
        if self.reason is None:
            self.host = found.host

    def warm_up(self) -> None:
        """Warm pools start with the first run, so a bridge that never runs sandboxed code pays nothing."""
        if self._pools_started or self.settings.warm_pool_size <= 0:
            return
        self._pools_started = True
        for name in self.settings.warm_pool_languages:
            lang = self.languages.get(name)
            if lang is None or lang.default_version is None:
                continue
            toolchain = lang.toolchains[lang.default_version]
            if boot_argv(toolchain, 128) is None:
                continue
            pool = WarmPool(
                f"{name} {toolchain.version}",
                self.settings.warm_pool_size,
                partial(self._start_pooled, toolchain),
            )
            self.pools[(name, toolchain.version)] = pool
            pool.start()

    async def _start_pooled(self, toolchain: Toolchain) -> RunningBox:
        """A box with the default limits: most requests then use it as it is, without retuning."""
        assert self.host is not None
        d = DEFAULT_LIMITS
        stage = run_stage(self.settings, toolchain, "main", d.memory_mb, d.cpu_count, d.timeout_ms)
        argv = boot_argv(toolchain, d.memory_mb)
        assert argv is not None
        stage.layout.argv = argv
        box = await RunningBox.start(self.host, stage.layout, stage.limits, input_pipe=True)
        try:
            await box.wait_ready(POOL_START_TIMEOUT_S)
        except BaseException:
            await box.close()
            raise
        return box

    async def close(self) -> None:
        """Tear down pools and the service's cgroups."""
        for pool in self.pools.values():
            await pool.close()
        self.pools.clear()
        if self._found is not None:
            await self._found.close()

    # -- queries ---------------------------------------------------------------------------------------

    def runtimes(self) -> RuntimesResponse:
        """Every language, its versions, aliases and limits, and why it is unavailable if it is."""
        out = []
        for name, lang in self.languages.items():
            mem, cpu, ms = MAXIMA[name]
            reason = lang.reason or self.reason
            out.append(
                RuntimeInfo(
                    language=name,
                    versions=sorted(lang.toolchains, key=_version_key),
                    aliases=ALIASES[name],
                    default_version=lang.default_version,
                    compiled=lang.compiled,
                    available=bool(lang.toolchains) and self.reason is None,
                    reason=reason,
                    default_limits=DEFAULT_LIMITS,
                    max_limits=Limits(timeout_ms=ms, memory_mb=mem, cpu_count=cpu),
                )
            )
        return RuntimesResponse(runtimes=out)

    def health(self) -> HealthResponse:
        """Seed shape; `status` is "healthy" only when at least one language can run."""
        found = [n for n, lang in self.languages.items() if lang.toolchains]
        ok = self.reason is None and bool(found)
        return HealthResponse(
            status="healthy" if ok else "unhealthy",
            version=_version(),
            isolation_available=self.host is not None,
            seccomp_filter=SECCOMP is not None,
            cgroup_mode=self.cgroups.mode if self.cgroups else "none",
            runtimes_found=found,
            runs_in_flight=self.limiter.in_flight,
            runs_queued=self.limiter.waiting,
            reason=self.reason or (None if found else "no language toolchain found"),
            containment=self.containment(),
        )

    def containment(self) -> ContainmentInfo:
        """What boxes each run, for health."""
        return describe(self._found, self.reason, self.cgroups.mode if self.cgroups else "none")

    # -- running ---------------------------------------------------------------------------------------

    def resolve(self, req: ExecuteRequest) -> Toolchain:
        """The toolchain for the request, or BadRunRequest with the seed's message."""
        name = req.language.strip().lower()
        for lang_name, aliases in ALIASES.items():
            if name in aliases:
                name = lang_name
        version = req.language_version
        lang = self.languages.get(name)
        unsupported = UNSUPPORTED.format(language=req.language, version=version or "").rstrip()
        if lang is None:
            raise BadRunRequest(unsupported)
        if not lang.toolchains:
            raise BadRunRequest(f"{unsupported} ({lang.reason})")
        chosen = version or lang.default_version
        if chosen not in lang.toolchains:
            raise BadRunRequest(f"{unsupported} (available: {', '.join(sorted(lang.toolchains, key=_version_key))})")
        mem, cpu, ms = MAXIMA[name]
        if req.memory_mb > mem or req.cpu_count > cpu or req.timeout_ms > ms:
            raise BadRunRequest(LIMITS_EXCEEDED)
        if len(req.code.encode()) > self.settings.max_code_bytes:
            raise BadRunRequest(f"code is {len(req.code.encode())} bytes; the limit is {self.settings.max_code_bytes}")
        if len(req.stdin.encode()) > self.settings.max_stdin_bytes:
            raise BadRunRequest(f"stdin is over the limit of {self.settings.max_stdin_bytes} bytes")
        return lang.toolchains[str(chosen)]

    async def run(self, req: ExecuteRequest) -> ExecuteResponse:
        """Run one request; raises ExecutionTimedOut (with the partial result) past the wall clock."""
        toolchain = self.resolve(req)
        if self.host is None:
            raise SandboxUnavailable(f"Sandbox cannot run code on this host: {self.reason}")
        request_id = str(uuid.uuid4())
        self.warm_up()
        async with self.limiter.slot():
            started = time.monotonic()
            build_dir, compile_output = "", ""
            if toolchain.compile is not None:
                build = await self._build(toolchain, req.code)
                compile_output = build.output
                if build.entry is None:
                    return ExecuteResponse(
                        request_id=request_id,
                        stdout="",
                        stderr="",
                        exit_code=build.exit_code,
                        execution_time_ms=int((time.monotonic() - started) * 1000),
                        language=toolchain.language,
                        language_version=toolchain.version,
                        status="compile_error",
                        compile_output=compile_output,
                    )
                build_dir = build.entry
            outcome = await self._execute(toolchain, req, build_dir)
        result = _shape(request_id, toolchain, outcome, compile_output)
        if outcome.timed_out:
            raise ExecutionTimedOut(result)
        return result

    async def _execute(self, toolchain: Toolchain, req: ExecuteRequest, build_dir: str) -> BoxOutcome:
        assert self.host is not None
        pool = self.pools.get((toolchain.language, toolchain.version))
        if pool is not None and boot_fits(toolchain, req.memory_mb, DEFAULT_LIMITS.memory_mb):
            outcome = await self._execute_warm(pool, toolchain, req)
            if outcome is not None:
                return outcome
        source_name = toolchain.source_name(req.code)
        fd = -1 if build_dir else memfd_with(req.code.encode(), source_name)
        try:
            main = source_name.rsplit(".", 1)[0]
            stage = run_stage(
                self.settings,
                toolchain,
                main,
                req.memory_mb,
                req.cpu_count,
                req.timeout_ms,
                source_fd=fd,
                source_name=source_name,
                build_dir=build_dir,
            )
            box = await RunningBox.start(self.host, stage.layout, stage.limits)
        finally:
            if fd >= 0:
                os.close(fd)
        return await box.finish(req.stdin.encode(), stage.wall_s)

    async def _execute_warm(self, pool: WarmPool, toolchain: Toolchain, req: ExecuteRequest) -> Optional[BoxOutcome]:
        """Run in a warm box, or None when none came in time or the one that came could not take the run."""
        box = await pool.acquire(POOL_WAIT_S)
        if box is None:
            return None
        try:
            try:
                box.retune(run_limits(self.settings, toolchain, req.memory_mb, req.cpu_count, req.timeout_ms))
                box.send_input(req.code.encode())
            except OSError:
                await box.close()
                return None
            return await box.finish(req.stdin.encode(), req.timeout_ms / 1000)
        finally:
            pool.refill()  # the box is used up either way

    async def _build(self, toolchain: Toolchain, code: str) -> BuildResult:
        """Compile once per (toolchain, flags, source); identical concurrent builds share one compile."""
        assert self.host is not None and self.cache is not None and toolchain.compile is not None
        source_name = toolchain.source_name(code)
        argv = toolchain.compile(source_name, _COMPILE_LIMITS)
        key = cache_key([toolchain.language, toolchain.version, toolchain.identity, *argv], code)
        entry = self.cache.get(key)
        if entry is not None:
            return BuildResult(entry, "", 0, True)
        pending = self._building.get(key)
        if pending is not None:
            return await asyncio.shield(pending)
        future: asyncio.Future[BuildResult] = asyncio.get_running_loop().create_future()
        self._building[key] = future
        try:
            result = await self._compile(toolchain, code, source_name, key)
            future.set_result(result)
            return result
        except BaseException as e:
            future.set_exception(e)
            future.exception()  # retrieved: waiters get it, nobody logs "never retrieved"
            raise
        finally:
            del self._building[key]

    async def _compile(self, toolchain: Toolchain, code: str, source_name: str, key: str) -> BuildResult:
        assert self.host is not None and self.cache is not None
        fd = memfd_with(code.encode(), source_name)
        try:
            stage = compile_stage(self.settings, toolchain, fd, source_name)
            box = await RunningBox.start(
                self.host, stage.layout, stage.limits, artifact_cap=self.settings.max_artifact_mb * MIB
            )
        finally:
            os.close(fd)
        out = await box.finish(b"", stage.wall_s)
        text = out.stdout + out.stderr
        if out.timed_out:
            return BuildResult(None, text + "\nCompilation time limit exceeded.", None, False)
        if out.oom_killed:
            return BuildResult(None, text + "\nThe compiler ran out of memory.", out.exit_code, False)
        if out.output_exceeded:
            return BuildResult(None, text + "\nCompiler output limit exceeded.", out.exit_code, False)
        if out.exit_code != 0 or not out.artifact:
            return BuildResult(None, text, out.exit_code, False)
        if out.artifact_exceeded:
            return BuildResult(None, text + f"\nBuild output exceeds {self.settings.max_artifact_mb} MiB.", 1, False)
        try:
            entry = await asyncio.to_thread(self.cache.put, key, out.artifact)
        except ArtifactRejected as e:
            return BuildResult(None, f"{text}\n{e}", 1, False)
        return BuildResult(entry, text, 0, False)


_COMPILE_LIMITS = RunLimits(0, 0)  # compile argv does not depend on limits; keeps cache keys stable


def _version_key(v: str) -> List[int]:
    return [int(x) for x in re.findall(r"\d+", v)]


def _shape(request_id: str, toolchain: Toolchain, out: BoxOutcome, compile_output: str) -> ExecuteResponse:
    status, sig = "ok", None
    code = out.exit_code
    if code is not None and code > 128 and code - 128 in signal.valid_signals():
        sig = signal.Signals(code - 128).name
    if out.timed_out:
        status, sig = "timeout", "SIGKILL"
    elif out.output_exceeded:
        status, sig = "output_limit", "SIGKILL"
    elif out.oom_killed:
        status, sig = "memory_limit", sig or "SIGKILL"
    elif sig == "SIGXCPU":
        status = "timeout"
    elif sig is not None:
        status = "signal"
    elif code != 0:
        status = "runtime_error"
    return ExecuteResponse(
        request_id=request_id,
        stdout=out.stdout,
        stderr=out.stderr,
        exit_code=code,
        execution_time_ms=out.wall_ms,
        language=toolchain.language,
        language_version=toolchain.version,
        status=status,
        signal=sig,
        compile_output=compile_output,
        cpu_time_ms=out.cpu_time_ns // 1_000_000 if out.cpu_time_ns is not None else None,
        memory_kb=out.memory_peak_bytes // 1024 if out.memory_peak_bytes is not None else None,
        stdout_truncated=out.stdout_truncated,
        stderr_truncated=out.stderr_truncated,
    )
