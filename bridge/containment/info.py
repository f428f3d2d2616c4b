"""What containment is in force for a backend, as `GET /api/v1/health` and `GET /api/health` report it."""

from __future__ import annotations

from typing import Literal, Optional

from pydantic import BaseModel, Field

from .host import SECCOMP, BoxHost

BoxKind = Literal["bubblewrap", "landlock", "remote", "none"]


class ContainmentInfo(BaseModel):
    """One backend's box: what isolates each untrusted run, or why runs are refused."""

    available: bool = Field(description="runs are accepted; false: every run is refused with `reason`")
    box: BoxKind = Field(description="bubblewrap; landlock (the fallback without bwrap); remote; none")
    uid: Optional[int] = Field(None, description="the unprivileged uid (and gid) the code runs as")
    seccomp_filter: bool = Field(description="the syscall filter (io_uring, keyctl, vsock, ptrace, userns ...)")
    cgroup_mode: str = Field(description="v1 or v2: per-run memory, pids and CPU limits; none")
    network: Literal["none", "unknown"] = Field(description="none: an empty network namespace per run")
    proc_sys: Literal["read-only", "unknown"] = Field(description="/proc/sys inside the box")
    no_new_privileges: bool = Field(description="no setuid binary or file capability can raise privileges")
    capabilities: Literal["none", "unknown"] = Field(description="capabilities left to the code")
    reason: Optional[str] = Field(None, description="why runs are refused, when they are")


def describe(host: Optional[BoxHost], reason: Optional[str], cgroup_mode: str = "none") -> ContainmentInfo:
    """The report for a backend that found `host` (or, with `reason`, none)."""
    if host is None:
        return ContainmentInfo(available=False, box="none", uid=None, seccomp_filter=SECCOMP is not None,
                               cgroup_mode=cgroup_mode, network="unknown", proc_sys="unknown",
                               no_new_privileges=False, capabilities="unknown", reason=reason)
    return ContainmentInfo(available=reason is None, box=host.kind, uid=host.uid,  # type: ignore[arg-type]
                           seccomp_filter=SECCOMP is not None, cgroup_mode=host.cgroups.mode, network="none",
                           proc_sys="read-only", no_new_privileges=True, capabilities="none", reason=reason)
