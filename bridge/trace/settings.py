"""Settings of the trace backend (nested in bridge.config.Settings as `trace`)."""

from __future__ import annotations

from typing import Optional

from pydantic import BaseModel, Field


class TraceSettings(BaseModel):
    """Limits and sizes of the tracer; env UE_BRIDGE_TRACE__<FIELD> when nested in the app settings."""

    pool_size: int = Field(default=2, ge=0, le=32, description="pre-started idle workers (zygote boxes)")
    zygote: bool = Field(
        default=True,
        description="fork each run from a pre-imported tracer in a prepared box (bubblewrap only); "
        "false: start a box and an interpreter per run",
    )
    max_concurrent_runs: int = Field(default=4, ge=1, le=64, description="programs running at the same time")
    default_max_steps: int = Field(default=1000, ge=1, description="max_steps when a request gives none")
    max_steps_limit: int = Field(
        default=10_000, ge=1, le=10_000, description="largest max_steps a request may ask for (at most 10000)"
    )
    wall_time_s: float = Field(default=10.0, gt=0, le=3600, description="wall limit, input waits included")
    cpu_time_s: int = Field(default=10, ge=1, le=3600, description="CPU limit of a worker (RLIMIT_CPU)")
    memory_mb: int = Field(default=512, ge=64, description="memory of one worker: cgroup limit and RLIMIT_AS")
    max_file_bytes: int = Field(default=10_000_000, ge=0, description="RLIMIT_FSIZE of a worker")
    use_bubblewrap: bool = Field(
        default=True, description="box workers with bubblewrap; false (or bwrap missing): the Landlock fallback"
    )
    bwrap_path: str = Field(default="bwrap", description="the bwrap binary")
    cgroup_mode: str = Field(default="auto", pattern="^(auto|v1|v2)$", description="cgroup hierarchy to use")
    box_uid: int = Field(default=65534, ge=1, description="unprivileged uid (and gid) traced code runs as")
    max_processes: int = Field(default=32, ge=4, description="cgroup pids.max of one worker")
    cpus: float = Field(default=1.0, gt=0, le=64, description="CPU share of one worker (cgroup cpu quota)")
    workdir_mb: int = Field(default=32, ge=1, description="size of a worker's tmpfs working directory")
    max_open_files: int = Field(default=64, ge=16, description="RLIMIT_NOFILE of a worker")
    max_stdout_chars: int = Field(default=100_000, ge=100, description="captured stdout/stderr, per stream")
    max_trace_bytes: int = Field(default=5_000_000, ge=10_000, description="trace size that stops a run")
    max_code_chars: int = Field(default=100_000, ge=1, description="largest program accepted")
    max_items: int = Field(default=100, ge=1, description="items shown per list/dict/set before eliding")
    max_depth: int = Field(default=50, ge=1, description="nesting shown before eliding")
    max_objects: int = Field(default=500, ge=1, description="heap objects shown per step before eliding")
    max_str: int = Field(default=1000, ge=10, description="characters shown per string or repr")
    worker_start_timeout_s: float = Field(default=10.0, gt=0, description="time a worker may take to start")
    session_ttl_s: float = Field(default=3600.0, gt=0, description="sessions unused this long are dropped")
    max_sessions: int = Field(default=200, ge=1, description="sessions kept (LRU)")
    python: Optional[str] = Field(default=None, description="worker interpreter; default: ours")
