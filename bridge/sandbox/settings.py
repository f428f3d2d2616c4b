"""Settings of the multi-language sandbox (nested in the bridge Settings as `sandbox`)."""

from __future__ import annotations

from typing import List, Optional

from pydantic import BaseModel, ConfigDict, Field


class SandboxSettings(BaseModel):
    """How untrusted code is isolated, limited and scheduled."""

    model_config = ConfigDict(extra="forbid")

    enabled: bool = True
    bwrap_path: str = "bwrap"
    cgroup_mode: str = Field(default="auto", pattern="^(auto|v1|v2)$")
    box_uid: int = Field(default=65534, ge=1, description="Unprivileged uid (and gid) the code runs as.")
    max_concurrency: int = Field(default=0, ge=0, description="Runs at once; 0 means the number of CPU cores.")
    queue_size: int = Field(default=64, ge=0, description="Runs waiting for a slot before 503.")
    retry_after_s: int = Field(default=1, ge=1)
    output_limit_bytes: int = Field(default=64 * 1024, ge=1024, le=16 * 1024 * 1024)
    max_code_bytes: int = Field(default=256 * 1024, ge=1)
    max_stdin_bytes: int = Field(default=1024 * 1024, ge=0)
    max_processes: int = Field(default=64, ge=4, description="cgroup pids.max of one box.")
    max_open_files: int = Field(default=256, ge=16)
    file_size_mb: int = Field(default=16, ge=1, description="RLIMIT_FSIZE of a run.")
    workdir_mb: int = Field(default=64, ge=1, description="Size of the tmpfs work dir and /tmp.")
    compile_timeout_ms: int = Field(default=30000, ge=1000)
    compile_memory_mb: int = Field(default=1536, ge=64)
    compile_output_limit_bytes: int = Field(default=64 * 1024, ge=1024)
    max_artifact_mb: int = Field(default=64, ge=1)
    cache_dir: Optional[str] = Field(default=None, description="Build cache dir; default: private, per process.")
    cache_max_entries: int = Field(default=256, ge=1)
    warm_pool_size: int = Field(default=2, ge=0, description="Pre-started boxes per pooled runtime; 0 disables.")
    warm_pool_languages: List[str] = ["python", "javascript", "ruby"]
    sandbox_url: Optional[str] = Field(default=None, description="Forward to a remote `ue-bridge sandbox-serve`.")
    sandbox_token: Optional[str] = Field(
        default=None,
        repr=False,
        description="Token sent to the remote sandbox, or required by sandbox-serve.",
    )
    remote_timeout_s: float = Field(default=120.0, gt=0)
