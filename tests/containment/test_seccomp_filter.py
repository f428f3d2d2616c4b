"""The seccomp program itself, run by a small classic-BPF interpreter for every architecture it has a table for.

The boxes on this machine exercise the host's table for real (tests/sandbox/test_hostile.py);
this checks each table's verdicts without the CPU it is written for.
"""

from __future__ import annotations

import errno
import os
import re
import struct
from typing import List, Sequence

import pytest

from bridge.containment import seccomp
from bridge.containment.seccomp import AF_VSOCK, ARCHES, CLONE_NEWUSER, RET_ALLOW, RET_ERRNO, X32_SYSCALL_BIT, Arch
from tests.needs import missing

ENOSYS, EPERM = RET_ERRNO | errno.ENOSYS, RET_ERRNO | errno.EPERM
AF_INET = 2
FOREIGN_ARCH = 0x40000003  # i386


def run_filter(program: bytes, arch: int, nr: int, args: Sequence[int] = ()) -> int:
    """Evaluate a classic BPF seccomp program over one struct seccomp_data."""
    words = list(args) + [0] * (6 - len(args))
    data = struct.pack("<iIQ6Q", nr, arch, 0, *words)
    insns = [struct.unpack("<HBBI", program[i : i + 8]) for i in range(0, len(program), 8)]
    acc, pc = 0, 0
    while True:
        code, jt, jf, k = insns[pc]
        if code == seccomp.LD_ABS_W:
            acc = struct.unpack_from("<I", data, k)[0]
        elif code == seccomp.RET_K:
            return k
        elif code in (seccomp.JEQ_K, seccomp.JGE_K, seccomp.JSET_K):
            taken = {seccomp.JEQ_K: acc == k, seccomp.JGE_K: acc >= k, seccomp.JSET_K: bool(acc & k)}[code]
            pc += jt if taken else jf
        else:
            raise AssertionError(f"unexpected BPF opcode {code:#x}")
        pc += 1


@pytest.mark.parametrize("name", sorted(ARCHES))
def test_each_table_gives_the_intended_verdicts(name: str) -> None:
    arch: Arch = ARCHES[name]
    program = seccomp.filter_bytes(arch)
    assert program is not None
    n = arch.numbers

    def verdict(call: str, args: List[int] = []) -> int:  # noqa: B006 - read only
        return run_filter(program, arch.audit, n[call], args)

    for call in seccomp.DENIED_ENOSYS:
        assert verdict(call) == ENOSYS, call
    for call in seccomp.DENIED_EPERM:
        assert verdict(call) == EPERM, call
    for call in seccomp.FLAG_CHECKED:
        assert verdict(call, [CLONE_NEWUSER]) == EPERM, call
        assert verdict(call, [0x11]) == RET_ALLOW, call  # SIGCHLD: an ordinary fork
    for call in seccomp.SOCKET_CHECKED:
        assert verdict(call, [AF_VSOCK]) == EPERM, call
        assert verdict(call, [AF_INET]) == RET_ALLOW, call
    # Calls the filter does not name are allowed; another ABI gets nothing at all.
    assert run_filter(program, arch.audit, 0) == RET_ALLOW
    assert run_filter(program, arch.audit, 63) == RET_ALLOW
    assert run_filter(program, FOREIGN_ARCH, 0) == EPERM
    assert run_filter(program, arch.audit, X32_SYSCALL_BIT | 1) == EPERM


def test_tables_name_the_same_calls() -> None:
    wanted = {*seccomp.DENIED_ENOSYS, *seccomp.DENIED_EPERM, *seccomp.FLAG_CHECKED, *seccomp.SOCKET_CHECKED}
    for name, arch in ARCHES.items():
        assert set(arch.numbers) == wanted, name
        assert len(set(arch.numbers.values())) == len(arch.numbers), f"{name}: a number is listed twice"


def test_an_architecture_without_a_table_gets_no_filter(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(seccomp.platform, "machine", lambda: "riscv64")
    assert seccomp.host_arch() is None and seccomp.filter_bytes() is None
    monkeypatch.setattr(seccomp.platform, "machine", lambda: "arm64")  # macOS-style name, same table
    assert seccomp.host_arch() is ARCHES["aarch64"]


HEADERS = {
    # aarch64 uses the generic table; x86_64 has its own. Both ship in Debian's linux-libc-dev.
    "aarch64": "/usr/include/asm-generic/unistd.h",
    "x86_64": "/usr/include/x86_64-linux-gnu/asm/unistd_64.h",
}


@pytest.mark.parametrize("name", sorted(HEADERS))
def test_numbers_match_the_kernel_headers(name: str) -> None:
    path = HEADERS[name]
    if not os.path.exists(path):
        missing(f"{path} (apt-get install linux-libc-dev)")
    with open(path) as f:
        defined = {m.group(1): int(m.group(2)) for m in re.finditer(r"#define __NR_(\w+)\s+(\d+)\b", f.read())}
    assert {call: defined.get(call) for call in ARCHES[name].numbers} == ARCHES[name].numbers
