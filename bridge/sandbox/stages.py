"""Box layouts and limits of the two stages of a run: compile (if any) and run."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import List, Tuple

from ..containment import BoxLayout, BoxLimits, Rlimits
from .runtimes import RunLimits, Toolchain
from .settings import SandboxSettings

MIB = 1 << 20
# The compile script is ours; user data only ever arrives as file contents, never in argv or a shell word.
# bash, not dash: dash cannot redirect to a descriptor above 9.
COMPILE_SCRIPT = 'cd /box && "$@" && cd /box/out && exec tar -cf - . >&"$ARTIFACT_FD"'


@dataclass
class Stage:
    """A layout plus the limits and clock it runs under."""

    layout: BoxLayout
    limits: BoxLimits
    wall_s: float


def _binds(toolchain: Toolchain) -> List[Tuple[str, str]]:
    return [(path, path) for path in toolchain.binds]


def compile_stage(settings: SandboxSettings, toolchain: Toolchain, source_fd: int, source_name: str) -> Stage:
    """Compile in a box of its own, with the compile limits; the output leaves as a tar on a pipe."""
    assert toolchain.compile is not None
    lim = RunLimits(settings.compile_memory_mb, 2)
    layout = BoxLayout(
        argv=["/bin/bash", "-c", COMPILE_SCRIPT, "compile", *toolchain.compile(source_name, lim)],
        env=dict(toolchain.env),
        ro_binds=_binds(toolchain),
        files=[(source_fd, f"/box/{source_name}")],
        workdir_bytes=max(settings.workdir_mb, 256) * MIB,
    )
    seconds = math.ceil(settings.compile_timeout_ms / 1000)
    limits = BoxLimits(
        memory_bytes=settings.compile_memory_mb * MIB,
        pids=max(settings.max_processes, 256),
        cpus=2.0,
        rlimits=Rlimits(cpu_seconds=seconds * 2 + 1, file_size_bytes=settings.max_artifact_mb * MIB, open_files=4096),
        output_cap=settings.compile_output_limit_bytes,
    )
    return Stage(layout, limits, settings.compile_timeout_ms / 1000)


def run_limits(
    settings: SandboxSettings, toolchain: Toolchain, memory_mb: int, cpu_count: int, timeout_ms: int
) -> BoxLimits:
    """cgroup and rlimits of a run: CPU time may use every granted core for the whole wall time."""
    memory = memory_mb * MIB
    return BoxLimits(
        memory_bytes=memory,
        pids=settings.max_processes,
        cpus=float(cpu_count),
        rlimits=Rlimits(
            cpu_seconds=math.ceil(timeout_ms / 1000) * cpu_count + 1,
            file_size_bytes=settings.file_size_mb * MIB,
            open_files=settings.max_open_files,
            address_space_bytes=memory + 256 * MIB if toolchain.rlimit_as else None,
        ),
        output_cap=settings.output_limit_bytes,
    )


def run_stage(
    settings: SandboxSettings,
    toolchain: Toolchain,
    main: str,
    memory_mb: int,
    cpu_count: int,
    timeout_ms: int,
    source_fd: int = -1,
    source_name: str = "",
    build_dir: str = "",
) -> Stage:
    """Run the program: interpreted code arrives as a file, compiled code as a read-only /build."""
    binds = _binds(toolchain)
    files = []
    if build_dir:
        binds.append((build_dir, "/build"))
    if source_fd >= 0:
        files.append((source_fd, f"/box/{source_name}"))
    layout = BoxLayout(
        argv=toolchain.run(main, RunLimits(memory_mb, cpu_count)),
        env=dict(toolchain.env),
        ro_binds=binds,
        files=files,
        workdir_bytes=settings.workdir_mb * MIB,
    )
    limits = run_limits(settings, toolchain, memory_mb, cpu_count, timeout_ms)
    return Stage(layout, limits, timeout_ms / 1000)
