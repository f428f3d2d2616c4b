"""A small seccomp filter for every box: no nested user namespaces, io_uring, keyrings, vsock, ptrace.

bubblewrap has no policy of its own. This denylist closes the cross-box channels and
kernel attack surface that isolate blocks too (io_uring, keyctl), plus creating user
namespaces inside the box and reading or writing another process's memory (ptrace,
process_vm_*: every box runs as the same uid). Everything else is allowed, so every
runtime still works. bwrap loads it with --seccomp; the fallback without bwrap with `install`.
"""

from __future__ import annotations

import ctypes
import errno
import platform
import struct
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Tuple

X32_SYSCALL_BIT = 0x40000000  # x86_64's x32 ABI; no aarch64 syscall number comes near it
CLONE_NEWUSER = 0x10000000
AF_VSOCK = 40

LD_ABS_W = 0x20
JEQ_K = 0x15
JGE_K = 0x35
JSET_K = 0x45
RET_K = 0x06
RET_ALLOW = 0x7FFF0000
RET_ERRNO = 0x00050000


@dataclass(frozen=True)
class Arch:
    """One architecture's audit id and the numbers of the syscalls the filter looks at."""

    audit: int
    numbers: Dict[str, int]


# How each denied call fails: ENOSYS reads as "not supported here" (so libc falls back, e.g. clone3 ->
# clone, whose flags a filter can read), EPERM as "not allowed"; the last two kinds check an argument.
DENIED_ENOSYS = ("io_uring_setup", "io_uring_enter", "io_uring_register", "add_key", "request_key", "keyctl", "clone3")
DENIED_EPERM = ("bpf", "perf_event_open", "userfaultfd", "mount", "umount2", "pivot_root", "chroot", "setns",
                "ptrace", "process_vm_readv", "process_vm_writev", "kcmp")
FLAG_CHECKED = ("clone", "unshare")  # denied only with CLONE_NEWUSER in the first argument
SOCKET_CHECKED = ("socket", "socketpair")  # denied only for AF_VSOCK: vsock is not namespaced

ARCHES = {
    "x86_64": Arch(
        0xC000003E,
        {
            "io_uring_setup": 425, "io_uring_enter": 426, "io_uring_register": 427,
            "add_key": 248, "request_key": 249, "keyctl": 250, "clone3": 435,
            "bpf": 321, "perf_event_open": 298, "userfaultfd": 323, "mount": 165, "umount2": 166,
            "pivot_root": 155, "chroot": 161, "setns": 308,
            "ptrace": 101, "process_vm_readv": 310, "process_vm_writev": 311, "kcmp": 312,
            "clone": 56, "unshare": 272, "socket": 41, "socketpair": 53,
        },
    ),
    # asm-generic numbering
    "aarch64": Arch(
        0xC00000B7,
        {
            "io_uring_setup": 425, "io_uring_enter": 426, "io_uring_register": 427,
            "add_key": 217, "request_key": 218, "keyctl": 219, "clone3": 435,
            "bpf": 280, "perf_event_open": 241, "userfaultfd": 282, "mount": 40, "umount2": 39,
            "pivot_root": 41, "chroot": 51, "setns": 268,
            "ptrace": 117, "process_vm_readv": 270, "process_vm_writev": 271, "kcmp": 272,
            "clone": 220, "unshare": 97, "socket": 198, "socketpair": 199,
        },
    ),
}
MACHINE_ALIASES = {"AMD64": "x86_64", "arm64": "aarch64"}

Insn = Tuple[int, int, int, int]


def program(arch: Arch) -> List[Insn]:
    """Classic BPF: foreign ABIs -> EPERM; denied calls -> ENOSYS/EPERM; clone/unshare(NEWUSER) -> EPERM."""
    allow, enosys, eperm = RET_ALLOW, RET_ERRNO | errno.ENOSYS, RET_ERRNO | errno.EPERM
    checks: List[Tuple[int, str]] = [(arch.numbers[name], "enosys") for name in DENIED_ENOSYS]
    checks += [(arch.numbers[name], "eperm") for name in DENIED_EPERM]
    checks += [(arch.numbers[name], "flags") for name in FLAG_CHECKED]
    checks += [(arch.numbers[name], "socket") for name in SOCKET_CHECKED]
    n = len(checks)
    # Indices: 0-3 header, 4 x32 check, 5..5+n-1 one JEQ per syscall, then the shared tail:
    # 5+n ALLOW, 6+n ENOSYS, 7+n EPERM, 8+n load args[0], 9+n JSET NEWUSER, 10+n ALLOW, 11+n EPERM,
    # 12+n load args[0], 13+n JEQ AF_VSOCK, 14+n ALLOW, 15+n EPERM.
    # A jump offset is relative: target = pc + 1 + offset.
    tail_index = {"enosys": 6 + n, "eperm": 7 + n, "flags": 8 + n, "socket": 12 + n}
    insns: List[Insn] = [
        (LD_ABS_W, 0, 0, 4),  # arch
        (JEQ_K, 1, 0, arch.audit),
        (RET_K, 0, 0, eperm),  # a foreign ABI (i386 via int 0x80, arm32 compat): nothing may run through it
        (LD_ABS_W, 0, 0, 0),  # syscall number
        (JGE_K, (7 + n) - 4 - 1, 0, X32_SYSCALL_BIT),  # the x32 ABI: EPERM
    ]
    for i, (nr, kind) in enumerate(checks):
        insns.append((JEQ_K, tail_index[kind] - (5 + i) - 1, 0, nr))
    insns += [
        (RET_K, 0, 0, allow),
        (RET_K, 0, 0, enosys),
        (RET_K, 0, 0, eperm),
        (LD_ABS_W, 0, 0, 16),  # low 32 bits of args[0] (the flags)
        (JSET_K, 1, 0, CLONE_NEWUSER),
        (RET_K, 0, 0, allow),
        (RET_K, 0, 0, eperm),
        (LD_ABS_W, 0, 0, 16),  # the address family
        (JEQ_K, 1, 0, AF_VSOCK),
        (RET_K, 0, 0, allow),
        (RET_K, 0, 0, eperm),
    ]
    return insns


def host_arch() -> Optional[Arch]:
    """The filter's table for this machine, or None where none is written."""
    machine = platform.machine()
    return ARCHES.get(MACHINE_ALIASES.get(machine, machine))


def filter_bytes(arch: Optional[Arch] = None) -> Optional[bytes]:
    """The compiled BPF program for bwrap --seccomp, or None on an architecture without a table."""
    arch = arch or host_arch()
    if arch is None:
        return None
    return b"".join(struct.pack("<HBBI", *insn) for insn in program(arch))


PR_SET_NO_NEW_PRIVS = 38
PR_SET_SECCOMP = 22
SECCOMP_MODE_FILTER = 2


def install(libc: Any, program_bytes: bytes) -> bool:
    """Load the filter into the calling process (no_new_privs first, as the kernel requires); False if refused.

    For a preexec_fn: ctypes calls only, no imports.
    """

    class SockFprog(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_char_p)]

    prog = SockFprog(len(program_bytes) // 8, program_bytes)
    if libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        return False
    return libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.byref(prog), 0, 0) == 0
