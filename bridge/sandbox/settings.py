"""Settings of the multi-language sandbox (nested in the bridge Settings as `sandbox`)."""

from __future__ import annotations

from typing import List, Optional

from pydantic import BaseModel, Field


class SandboxSettings(BaseModel):
    """How untrusted code is isolated, limited and scheduled."""

    enabled: bool = True
    bwrap_path: str = "bwrap"
    cgroup_mode: str = Field("auto", pattern="^(auto|v1|v2)$")
    box_uid: int = Field(65534, ge=1, description="Unprivileged uid (and gid) the code runs as.")
    max_concurrency: int = Field(0, ge=0, description="Runs at once; 0 means the number of CPU cores.")
    queue_size: int = Field(64, ge=0, description="Runs waiting for a slot before 503.")
    retry_after_s: int = Field(1, ge=1)
    output_limit_bytes: int = Field(64 * 1024, ge=1024, le=16 * 1024 * 1024)
    max_code_bytes: int = Field(256 * 1024, ge=1)
    max_stdin_bytes: int = Field(1024 * 1024, ge=0)
    max_processes: int = Field(64, ge=4, description="cgroup pids.max of one box.")
    max_open_files: int = Field(256, ge=16)
    file_size_mb: int = Field(16, ge=1, description="RLIMIT_FSIZE of a run.")
    workdir_mb: int = Field(64, ge=1, description="Size of the tmpfs work dir and /tmp.")
    compile_timeout_ms: int = Field(30000, ge=1000)
    compile_memory_mb: int = Field(1536, ge=64)
    compile_output_limit_bytes: int = Field(64 * 1024, ge=1024)
    max_artifact_mb: int = Field(64, ge=1)
    cache_dir: Optional[str] = Field(None, description="Build cache; default a private dir under /var/tmp.")
    cache_max_entries: int = Field(256, ge=1)
    warm_pool_size: int = Field(2, ge=0, description="Pre-started boxes per pooled runtime; 0 disables.")
    warm_pool_languages: List[str] = ["python", "javascript"]
    sandbox_url: Optional[str] = Field(None, description="Forward runs to a remote `ue-bridge sandbox-serve`.")
    sandbox_token: Optional[str] = Field(None, description="Token sent to (or required by) the remote sandbox.")
    remote_timeout_s: float = Field(120.0, gt=0)
