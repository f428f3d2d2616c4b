"""Landlock (Linux 5.13+): let a process read only beneath some paths and write only beneath others.

Used by the fallback box when bubblewrap is missing. Only syscalls through ctypes: it runs in the
last moments before exec.
"""

from __future__ import annotations

import ctypes
import os
from typing import Iterable, Optional

SYS_CREATE_RULESET, SYS_ADD_RULE, SYS_RESTRICT_SELF = 444, 445, 446  # the same on every architecture
CREATE_RULESET_VERSION = 1
RULE_PATH_BENEATH = 1
PR_SET_NO_NEW_PRIVS = 38

EXECUTE, WRITE_FILE, READ_FILE, READ_DIR = 1 << 0, 1 << 1, 1 << 2, 1 << 3
REMOVE_DIR, REMOVE_FILE = 1 << 4, 1 << 5
MAKE_ALL = sum(1 << bit for bit in range(6, 13))  # char, dir, reg, sock, fifo, block, sym
REFER, TRUNCATE = 1 << 13, 1 << 14  # ABI 2 and 3
FILE_RIGHTS = EXECUTE | WRITE_FILE | READ_FILE  # the only rights a rule on a regular file may carry (+TRUNCATE)


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


def all_rights(abi: int) -> int:
    """Every filesystem right this ABI knows (ioctl on devices, ABI 5, is left alone)."""
    rights = EXECUTE | WRITE_FILE | READ_FILE | READ_DIR | REMOVE_DIR | REMOVE_FILE | MAKE_ALL
    if abi >= 2:
        rights |= REFER
    if abi >= 3:
        rights |= TRUNCATE
    return rights


def restrict(libc: ctypes.CDLL, abi: int, readable: Iterable[str], writable: Iterable[str],
             devices: Iterable[str] = (os.devnull,)) -> None:
    """Confine the calling process: read and execute beneath `readable`, anything beneath `writable`,
    read and write the `devices`; raises OSError if the kernel refuses (the caller must not run then)."""
    if abi < 1:
        raise OSError("Landlock is not available on this kernel")
    handled = all_rights(abi)
    attr = _RulesetAttr(handled)
    ruleset = libc.syscall(SYS_CREATE_RULESET, ctypes.byref(attr), ctypes.sizeof(attr), 0)
    if ruleset < 0:
        raise OSError(ctypes.get_errno(), "landlock_create_ruleset failed")
    device_rights = READ_FILE | WRITE_FILE | (TRUNCATE if abi >= 3 else 0)
    try:
        rules = [(path, EXECUTE | READ_FILE | READ_DIR) for path in readable]
        rules += [(path, handled) for path in writable]
        rules += [(path, device_rights) for path in devices]
        for path, allowed in rules:
            try:
                fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
            except FileNotFoundError:
                continue
            try:
                if not os.path.isdir(path):
                    allowed &= FILE_RIGHTS | (TRUNCATE if abi >= 3 else 0)
                rule = _PathBeneathAttr(allowed, fd)
                if libc.syscall(SYS_ADD_RULE, ruleset, RULE_PATH_BENEATH, ctypes.byref(rule), 0) != 0:
                    raise OSError(ctypes.get_errno(), f"landlock_add_rule failed for {path}")
            finally:
                os.close(fd)
        if libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_SET_NO_NEW_PRIVS) failed")
        if libc.syscall(SYS_RESTRICT_SELF, ruleset, 0) != 0:
            raise OSError(ctypes.get_errno(), "landlock_restrict_self failed")
    finally:
        os.close(ruleset)
