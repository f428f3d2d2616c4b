"""Turn a child just forked by the zygote into one run's box, before it reads its program.

The zygote is root in its bubblewrap box with CAP_SYS_ADMIN, CAP_SETUID, CAP_SETGID and CAP_SETPCAP
and no seccomp filter; a child gets, in this order: its own mount and IPC namespaces with fresh
size-capped tmpfs over /box, /tmp and /dev/shm (so no file or SysV/POSIX IPC object of an earlier
run exists), the run's rlimits, an empty bounding set, the box uid with no groups and no
capabilities, no_new_privs, and the same seccomp filter every box gets. The network, PID and UTS
namespaces are the box's: one run at a time uses a box, and the host kills everything of a run
(its own cgroup) before the next one is forked. Plain stdlib and ctypes: it runs on any Python 3.9+.
"""

import ctypes
import os
import resource
import signal
from typing import Any, Dict

CLONE_NEWNS = 0x00020000
CLONE_NEWIPC = 0x08000000
MS_NOSUID, MS_NODEV, MS_REC, MS_PRIVATE = 0x2, 0x4, 0x4000, 1 << 18
PR_SET_PDEATHSIG = 1
PR_CAPBSET_DROP = 24
PR_SET_NO_NEW_PRIVS = 38
PR_SET_SECCOMP = 22
SECCOMP_MODE_FILTER = 2
CAPABILITY_VERSION_3 = 0x20080522
FRESH_DIRS = ("/box", "/tmp", "/dev/shm")

libc = ctypes.CDLL(None, use_errno=True)


class RunBoxError(OSError):
    """A step of building the run's box failed: the child must exit without running anything."""


def _check(result: int, what: str) -> None:
    if result != 0:
        err = ctypes.get_errno()
        raise RunBoxError(err, f"{what}: {os.strerror(err)}")


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_char_p)]


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]


def _fresh_filesystems(size: int) -> None:
    _check(libc.unshare(CLONE_NEWNS | CLONE_NEWIPC), "unshare(mount, ipc)")
    # Private first, so the tmpfs mounts below never propagate back into the zygote's namespace.
    _check(libc.mount(None, b"/", None, MS_REC | MS_PRIVATE, None), "make / private")
    options = f"size={size},mode=1777".encode()
    for path in FRESH_DIRS:
        _check(libc.mount(b"tmpfs", path.encode(), b"tmpfs", MS_NOSUID | MS_NODEV, options), f"mount {path}")
    os.chdir("/box")


def _lower(kind: int, soft: int, hard: int) -> None:
    """Set a limit, never above the box's own hard limit (the kernel refuses a raise, even a rounded one)."""
    ceiling = resource.getrlimit(kind)[1]
    if ceiling != resource.RLIM_INFINITY:
        hard, soft = min(hard, ceiling), min(soft, ceiling)
    resource.setrlimit(kind, (soft, hard))


def _set_rlimits(limits: Dict[str, Any]) -> None:
    cpu = int(limits["cpu_seconds"])
    _lower(resource.RLIMIT_CPU, cpu, cpu + 1)  # SIGXCPU at the soft limit, SIGKILL a second later
    size = int(limits["file_size_bytes"])
    _lower(resource.RLIMIT_FSIZE, size, size)
    files = int(limits["open_files"])
    _lower(resource.RLIMIT_NOFILE, files, files)
    _lower(resource.RLIMIT_CORE, 0, 0)
    _lower(resource.RLIMIT_MEMLOCK, 0, 0)
    if limits.get("address_space_bytes"):
        memory = int(limits["address_space_bytes"])
        _lower(resource.RLIMIT_AS, memory, memory)


def _become(uid: int) -> None:
    cap = 0
    while libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) == 0:  # EINVAL past the kernel's last capability
        cap += 1
    os.setgroups([])
    os.setresgid(uid, uid, uid)
    os.setresuid(uid, uid, uid)  # root -> an ordinary uid: permitted and effective capabilities go with it
    none = (_CapData * 2)()
    _check(libc.capset(ctypes.byref(_CapHeader(CAPABILITY_VERSION_3, 0)), none), "capset (clear inheritable)")
    if os.getresuid() != (uid, uid, uid) or os.getresgid() != (uid, uid, uid):
        raise RunBoxError(0, "could not drop to the box uid")
    # Set after the uid change, which clears it: a run never outlives its zygote.
    _check(libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0), "prctl(PR_SET_PDEATHSIG)")
    _check(libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "prctl(PR_SET_NO_NEW_PRIVS)")


def _load_seccomp(program: bytes) -> None:
    prog = _SockFprog(len(program) // 8, program)
    _check(libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.byref(prog), 0, 0), "load the seccomp filter")


def enter(config: Dict[str, Any]) -> None:
    """Build the run's box around the calling process; raises RunBoxError on any failure."""
    _fresh_filesystems(int(config["workdir_bytes"]))
    _set_rlimits(config["rlimits"])
    os.umask(0o022)
    _become(int(config["uid"]))
    if config.get("seccomp"):
        _load_seccomp(bytes.fromhex(config["seccomp"]))
