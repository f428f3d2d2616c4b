"""A small seccomp filter for boxes (bwrap --seccomp): no nested user namespaces, io_uring, keyrings, vsock.

bubblewrap has no policy of its own. This denylist closes the cross-box channels and
kernel attack surface that isolate blocks too (io_uring, keyctl), plus creating user
namespaces inside the box. Everything else is allowed, so every runtime still works.
"""

from __future__ import annotations

import errno
import platform
import struct
from typing import List, Optional, Tuple

AUDIT_ARCH_X86_64 = 0xC000003E
X32_SYSCALL_BIT = 0x40000000
CLONE_NEWUSER = 0x10000000

LD_ABS_W = 0x20
JEQ_K = 0x15
JGE_K = 0x35
JSET_K = 0x45
RET_K = 0x06
RET_ALLOW = 0x7FFF0000
RET_ERRNO = 0x00050000

# x86_64 syscall numbers
DENIED_ENOSYS = {
    425: "io_uring_setup",
    426: "io_uring_enter",
    427: "io_uring_register",
    248: "add_key",
    249: "request_key",
    250: "keyctl",
    435: "clone3",  # its flags live in memory a filter cannot read: ENOSYS makes libc fall back to clone
}
DENIED_EPERM = {
    321: "bpf",
    298: "perf_event_open",
    323: "userfaultfd",
    165: "mount",
    166: "umount2",
    155: "pivot_root",
    161: "chroot",
    308: "setns",
}
FLAG_CHECKED = {56: "clone", 272: "unshare"}  # denied only with CLONE_NEWUSER in the first argument
SOCKET_CHECKED = {41: "socket", 53: "socketpair"}  # denied only for AF_VSOCK: vsock is not namespaced
AF_VSOCK = 40

Insn = Tuple[int, int, int, int]


def _program() -> List[Insn]:
    """Classic BPF: foreign ABIs -> EPERM; denied calls -> ENOSYS/EPERM; clone/unshare(NEWUSER) -> EPERM."""
    allow, enosys, eperm = RET_ALLOW, RET_ERRNO | errno.ENOSYS, RET_ERRNO | errno.EPERM
    checks: List[Tuple[int, str]] = [(nr, "enosys") for nr in DENIED_ENOSYS]
    checks += [(nr, "eperm") for nr in DENIED_EPERM]
    checks += [(nr, "flags") for nr in FLAG_CHECKED]
    checks += [(nr, "socket") for nr in SOCKET_CHECKED]
    n = len(checks)
    # Indices: 0-3 header, 4 x32 check, 5..5+n-1 one JEQ per syscall, then the shared tail:
    # 5+n ALLOW, 6+n ENOSYS, 7+n EPERM, 8+n load args[0], 9+n JSET NEWUSER, 10+n ALLOW, 11+n EPERM,
    # 12+n load args[0], 13+n JEQ AF_VSOCK, 14+n ALLOW, 15+n EPERM.
    # A jump offset is relative: target = pc + 1 + offset.
    tail_index = {"enosys": 6 + n, "eperm": 7 + n, "flags": 8 + n, "socket": 12 + n}
    program: List[Insn] = [
        (LD_ABS_W, 0, 0, 4),  # arch
        (JEQ_K, 1, 0, AUDIT_ARCH_X86_64),
        (RET_K, 0, 0, eperm),  # a foreign ABI (i386 via int 0x80): nothing may run through it
        (LD_ABS_W, 0, 0, 0),  # syscall number
        (JGE_K, (7 + n) - 4 - 1, 0, X32_SYSCALL_BIT),  # the x32 ABI: EPERM
    ]
    for i, (nr, kind) in enumerate(checks):
        program.append((JEQ_K, tail_index[kind] - (5 + i) - 1, 0, nr))
    program += [
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
    return program


def filter_bytes() -> Optional[bytes]:
    """The compiled BPF program for bwrap --seccomp, or None on architectures it was not written for."""
    if platform.machine() not in ("x86_64", "AMD64"):
        return None
    return b"".join(struct.pack("<HBBI", *insn) for insn in _program())
