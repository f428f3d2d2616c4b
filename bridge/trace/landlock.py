"""Landlock (Linux 5.13+): let a worker write only beneath its temporary directory, without privileges."""

from __future__ import annotations

import ctypes
import os
from typing import Optional

SYS_CREATE_RULESET, SYS_ADD_RULE, SYS_RESTRICT_SELF = 444, 445, 446  # the same on every architecture
CREATE_RULESET_VERSION = 1
RULE_PATH_BENEATH = 1
PR_SET_NO_NEW_PRIVS = 38

WRITE_FILE = 1 << 1
REMOVE_DIR, REMOVE_FILE = 1 << 4, 1 << 5
MAKE_ALL = sum(1 << bit for bit in range(6, 13))  # char, dir, reg, sock, fifo, block, sym
REFER, TRUNCATE = 1 << 13, 1 << 14  # ABI 2 and 3


class _RulesetAttr(ctypes.Structure):
    _fields_ = [("handled_access_fs", ctypes.c_uint64)]


class _PathBeneathAttr(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


def abi_version(libc: Optional[ctypes.CDLL]) -> int:
    """The kernel's Landlock ABI version, or 0 when Landlock is unavailable."""
    if libc is None:
        return 0
    version = libc.syscall(SYS_CREATE_RULESET, None, 0, CREATE_RULESET_VERSION)
    return max(int(version), 0)


def write_rights(abi: int) -> int:
    """Every write-like right this ABI knows; reading and executing stay unrestricted."""
    rights = WRITE_FILE | REMOVE_DIR | REMOVE_FILE | MAKE_ALL
    if abi >= 2:
        rights |= REFER
    if abi >= 3:
        rights |= TRUNCATE
    return rights


def restrict_writes(libc: Optional[ctypes.CDLL], abi: int, writable_dir: str) -> bool:
    """Allow the calling process writes only beneath `writable_dir` and to /dev/null; False if unsupported.

    Runs in a preexec_fn, so it uses only syscalls: no imports, no allocation-heavy work.
    """
    if libc is None or abi < 1:
        return False
    rights = write_rights(abi)
    attr = _RulesetAttr(rights)
    ruleset = libc.syscall(SYS_CREATE_RULESET, ctypes.byref(attr), ctypes.sizeof(attr), 0)
    if ruleset < 0:
        return False
    try:
        null_rights = WRITE_FILE | (TRUNCATE if abi >= 3 else 0)
        for path, allowed in ((writable_dir, rights), (os.devnull, null_rights)):
            fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
            try:
                rule = _PathBeneathAttr(allowed, fd)
                if libc.syscall(SYS_ADD_RULE, ruleset, RULE_PATH_BENEATH, ctypes.byref(rule), 0) != 0:
                    return False
            finally:
                os.close(fd)
        if libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
            return False
        return libc.syscall(SYS_RESTRICT_SELF, ruleset, 0) == 0
    finally:
        os.close(ruleset)
