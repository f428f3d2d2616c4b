"""The one box every untrusted run gets (tracer and sandbox alike): namespaces, cgroup, seccomp, box uid."""

from __future__ import annotations

from .bwrap import BoxLayout, memfd_with
from .errors import ContainmentUnavailable
from .host import SECCOMP, BoxHost, Launch, Preparation, prepare
from .info import ContainmentInfo, describe
from .limits import PROLOGUE_FAILED, Rlimits
from .process import BoxLimits, ContainedProcess, SpawnFds, close_all

__all__ = [
    "PROLOGUE_FAILED",
    "SECCOMP",
    "BoxHost",
    "BoxLayout",
    "BoxLimits",
    "ContainedProcess",
    "ContainmentInfo",
    "ContainmentUnavailable",
    "Launch",
    "Preparation",
    "Rlimits",
    "SpawnFds",
    "close_all",
    "describe",
    "memfd_with",
    "prepare",
]
