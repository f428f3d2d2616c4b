"""Per-run cgroups (v1 or v2): memory, process-count and CPU limits, usage, and a kill switch.

The service creates its runs under its *own* cgroup so that an outer limit (a container,
a systemd unit) still applies. When no usable hierarchy exists, `CgroupManager.create`
raises: every backend fails closed instead of running unlimited.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import signal
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional

from ..processes import pid_alive
from .errors import ContainmentUnavailable

REQUIRED = ("memory", "pids")
OPTIONAL = ("cpu", "cpuacct")
CFS_PERIOD_US = 100_000


@dataclass
class CgroupStats:
    """What a run used, read after it ended."""

    memory_peak_bytes: Optional[int]
    oom_killed: bool
    cpu_time_ns: Optional[int]


def _read(path: Path) -> Optional[str]:
    try:
        return path.read_text()
    except OSError:
        return None


def _write(path: Path, value: str) -> None:
    with open(path, "w") as f:
        f.write(value)


def _keyed(text: Optional[str], key: str) -> Optional[int]:
    """Value of `key N` in a flat-keyed cgroup file."""
    for line in (text or "").splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[0] == key:
            return int(parts[1])
    return None


def _mounts() -> List[tuple[str, str, str]]:
    """(fstype, mount point, super options) of every cgroup mount of this process."""
    found = []
    for line in Path("/proc/self/mountinfo").read_text().splitlines():
        left, _, right = line.partition(" - ")
        fields, rfields = left.split(), right.split()
        if len(rfields) >= 3 and rfields[0] in ("cgroup", "cgroup2"):
            found.append((rfields[0], fields[4], rfields[2]))
    return found


def _own_paths() -> Dict[str, str]:
    """Controller (or "" for v2) -> this process's cgroup path, from /proc/self/cgroup."""
    own: Dict[str, str] = {}
    for line in Path("/proc/self/cgroup").read_text().splitlines():
        _, controllers, path = line.split(":", 2)
        for c in controllers.split(",") if controllers else [""]:
            own[c] = path
    return own


def _under(mount: str, own: str) -> Path:
    """This process's cgroup dir in a hierarchy mounted at `mount` (the mount root if unknown)."""
    candidate = Path(mount) / own.lstrip("/")
    return candidate if candidate.is_dir() else Path(mount)


class RunCgroup:
    """One run's cgroup: the same leaf name in each hierarchy (v1) or a single dir (v2)."""

    def __init__(self, mode: str, dirs: Dict[str, Path]) -> None:
        self.mode = mode
        self.dirs = dirs  # controller -> dir; v2 uses the key "" only

    def _dir(self, controller: str) -> Optional[Path]:
        return self.dirs.get("" if self.mode == "v2" else controller)

    def procs_files(self) -> List[str]:
        """cgroup.procs of every distinct dir: writing "0" there moves the writer in."""
        return sorted({str(d / "cgroup.procs") for d in self.dirs.values()})

    def add(self, pid: int) -> None:
        """Move a process (a host pid) into this cgroup; raises OSError if the kernel refuses."""
        for procs in self.procs_files():
            _write(Path(procs), str(pid))

    def set_limits(self, memory_bytes: int, pids: int, cpus: Optional[float]) -> None:
        """Apply limits; raises OSError if the kernel refuses one (the caller fails closed)."""
        mem, pid_dir, cpu = self._dir("memory"), self._dir("pids"), self._dir("cpu")
        assert mem is not None and pid_dir is not None
        if self.mode == "v2":
            _write(mem / "memory.max", str(memory_bytes))
            with contextlib.suppress(OSError):
                _write(mem / "memory.swap.max", "0")
            _write(pid_dir / "pids.max", str(pids))
            if cpus and cpu is not None and (cpu / "cpu.max").exists():
                _write(cpu / "cpu.max", f"{int(cpus * CFS_PERIOD_US)} {CFS_PERIOD_US}")
            return
        # memsw must stay >= the memory limit, so lower it last when shrinking, first when growing.
        memsw = mem / "memory.memsw.limit_in_bytes"
        try:
            _write(mem / "memory.limit_in_bytes", str(memory_bytes))
            if memsw.exists():
                _write(memsw, str(memory_bytes))
        except OSError:
            if memsw.exists():
                _write(memsw, str(memory_bytes))
            _write(mem / "memory.limit_in_bytes", str(memory_bytes))
        with contextlib.suppress(OSError):
            _write(mem / "memory.swappiness", "0")
        _write(pid_dir / "pids.max", str(pids))
        if cpus and cpu is not None and (cpu / "cpu.cfs_quota_us").exists():
            _write(cpu / "cpu.cfs_period_us", str(CFS_PERIOD_US))
            _write(cpu / "cpu.cfs_quota_us", str(int(cpus * CFS_PERIOD_US)))

    def stats(self) -> CgroupStats:
        """Peak memory, whether the OOM killer struck, and CPU time."""
        mem = self._dir("memory")
        assert mem is not None
        if self.mode == "v2":
            peak_text = _read(mem / "memory.peak")
            oom = _keyed(_read(mem / "memory.events"), "oom_kill") or 0
            return CgroupStats(int(peak_text) if peak_text else None, oom > 0, self.cpu_time_ns())
        peak_text = _read(mem / "memory.max_usage_in_bytes")
        oom = _keyed(_read(mem / "memory.oom_control"), "oom_kill") or 0
        return CgroupStats(int(peak_text) if peak_text else None, oom > 0, self.cpu_time_ns())

    def cpu_time_ns(self) -> Optional[int]:
        """CPU time used by everything in the cgroup so far."""
        if self.mode == "v2":
            usec = _keyed(_read(self.dirs[""] / "cpu.stat"), "usage_usec")
            return usec * 1000 if usec is not None else None
        acct = self._dir("cpuacct")
        usage = _read(acct / "cpuacct.usage") if acct is not None else None
        return int(usage) if usage else None

    def pids(self) -> List[int]:
        """Every process still in the run's cgroup."""
        seen: set[int] = set()
        for f in self.procs_files():
            seen.update(int(p) for p in (_read(Path(f)) or "").split())
        return sorted(seen)

    def kill(self) -> None:
        """SIGKILL everything in the cgroup, without ever signalling a recycled pid."""
        d = self._dir("")
        if self.mode == "v2" and d is not None and (d / "cgroup.kill").exists():
            with contextlib.suppress(OSError):
                _write(d / "cgroup.kill", "1")
                return
        for pid in self.pids():
            try:
                fd = os.pidfd_open(pid)
            except OSError:
                continue
            try:
                # The pidfd pins the process: check it is still ours before signalling.
                if self._owns(pid):
                    signal.pidfd_send_signal(fd, signal.SIGKILL)
            except OSError:
                pass
            finally:
                os.close(fd)

    def _owns(self, pid: int) -> bool:
        text = _read(Path(f"/proc/{pid}/cgroup")) or ""
        leaf = "/" + next(iter(self.dirs.values())).name
        return any(line.endswith(leaf) for line in text.splitlines())

    def remove(self) -> bool:
        """rmdir the cgroup dirs; False while processes linger."""
        ok = True
        for d in set(self.dirs.values()):
            try:
                d.rmdir()
            except FileNotFoundError:
                pass
            except OSError:
                ok = False
        return ok


def dir_prefix(backend: str) -> str:
    """`ue-bridge-<backend>-`: the start of every cgroup and temp dir a backend makes, followed by its pid."""
    return f"ue-bridge-{backend}-"


def remove_stale_dirs(parent: str, backend: str) -> None:
    """Remove `ue-bridge-<backend>-<pid>*` dirs (cgroups, temp dirs) of services that died uncleanly."""
    prefix = dir_prefix(backend)
    try:
        entries = list(os.scandir(parent))
    except OSError:
        return
    for entry in entries:
        if not entry.name.startswith(prefix) or not entry.is_dir(follow_symlinks=False):
            continue
        pid_text = entry.name[len(prefix) :].split("-", 1)[0]
        if not pid_text.isdigit() or pid_alive(int(pid_text)) or int(pid_text) == os.getpid():
            continue
        if os.path.realpath(parent).startswith("/sys/fs/cgroup"):
            # cgroup dirs go with rmdir, leaves first; a dir with processes in it stays.
            for run in [e for e in os.scandir(entry.path) if e.is_dir(follow_symlinks=False)]:
                with contextlib.suppress(OSError):
                    os.rmdir(run.path)
            with contextlib.suppress(OSError):
                os.rmdir(entry.path)
        else:
            shutil.rmtree(entry.path, ignore_errors=True)


class CgroupManager:
    """Finds a usable hierarchy once and makes a cgroup per run under the service's own."""

    def __init__(self, preferred: str = "auto", backend: str = "sandbox") -> None:
        self.backend = backend
        self.removals: set[asyncio.Task[None]] = set()
        self.mode = "none"
        self.reason: Optional[str] = None
        self.parents: Dict[str, Path] = {}
        self._detect(preferred)

    def _detect(self, preferred: str) -> None:
        try:
            mounts, own = _mounts(), _own_paths()
        except OSError as e:
            self.reason = f"cannot read cgroup mounts: {e}"
            return
        leaf = f"{dir_prefix(self.backend)}{os.getpid()}"
        errors = []
        if preferred in ("auto", "v2"):
            err = self._try_v2(mounts, own, leaf)
            if err is None:
                return
            errors.append(f"cgroup v2: {err}")
        if preferred in ("auto", "v1"):
            err = self._try_v1(mounts, own, leaf)
            if err is None:
                return
            errors.append(f"cgroup v1: {err}")
        self.reason = "; ".join(errors) or f"cgroup mode {preferred!r} not available"

    def _try_v2(self, mounts: List[tuple[str, str, str]], own: Dict[str, str], leaf: str) -> Optional[str]:
        mount = next((m for t, m, _ in mounts if t == "cgroup2"), None)
        if mount is None:
            return "no cgroup2 mount"
        base = _under(mount, own.get("", "/"))
        controllers = (_read(base / "cgroup.controllers") or "").split()
        missing = [c for c in REQUIRED if c not in controllers]
        if missing:
            return f"controllers {', '.join(missing)} not delegated to {base}"
        remove_stale_dirs(str(base), self.backend)
        parent = base / leaf
        wanted = " ".join("+" + c for c in ("memory", "pids", "cpu") if c in controllers)
        # Our own cgroup must hand the controllers down; the kernel refuses that ("no internal
        # processes") unless it is the root or already delegates them, e.g. systemd Delegate=yes.
        with contextlib.suppress(OSError):
            _write(base / "cgroup.subtree_control", wanted)
        try:
            parent.mkdir(exist_ok=True)
            have = (_read(parent / "cgroup.controllers") or "").split()
            if not all(c in have for c in REQUIRED):
                raise OSError(
                    f"{base} does not delegate memory and pids to its children; run the service "
                    "in a delegated cgroup (systemd Delegate=yes, or a container's own cgroup namespace)"
                )
            _write(parent / "cgroup.subtree_control", wanted)
        except OSError as e:
            with contextlib.suppress(OSError):
                parent.rmdir()
            return f"cannot create {parent} with memory and pids enabled ({e.strerror or e})"
        self.mode, self.parents = "v2", {"": parent}
        return None

    def _try_v1(self, mounts: List[tuple[str, str, str]], own: Dict[str, str], leaf: str) -> Optional[str]:
        parents: Dict[str, Path] = {}
        for controller in REQUIRED + OPTIONAL:
            mount = next((m for t, m, o in mounts if t == "cgroup" and controller in o.split(",")), None)
            if mount is None:
                if controller in REQUIRED:
                    return f"no {controller} hierarchy mounted"
                continue
            remove_stale_dirs(str(_under(mount, own.get(controller, "/"))), self.backend)
            parent = _under(mount, own.get(controller, "/")) / leaf
            try:
                parent.mkdir(exist_ok=True)
            except OSError as e:
                if controller in REQUIRED:
                    self._remove_dirs(parents)
                    return f"cannot create {parent} ({e.strerror or e})"
                continue
            parents[controller] = parent
        self.mode, self.parents = "v1", parents
        return None

    @property
    def available(self) -> bool:
        return self.mode != "none"

    def create(self) -> RunCgroup:
        """A fresh cgroup for one run; raises ContainmentUnavailable rather than run unlimited."""
        if not self.available:
            raise ContainmentUnavailable(f"cannot limit this run: no usable cgroup ({self.reason})")
        name = f"run-{uuid.uuid4().hex[:16]}"
        dirs: Dict[str, Path] = {}
        try:
            for controller, parent in self.parents.items():
                d = parent / name
                d.mkdir()
                dirs[controller] = d
        except OSError as e:
            self._remove_dirs(dirs)
            raise ContainmentUnavailable(f"cannot create the run's cgroup: {e}") from e
        return RunCgroup(self.mode, dirs)

    @staticmethod
    def _remove_dirs(dirs: Dict[str, Path]) -> None:
        for d in set(dirs.values()):
            with contextlib.suppress(OSError):
                d.rmdir()

    def track(self, task: asyncio.Task[None]) -> None:
        """Keep a background teardown (a box's close, a cgroup's removal) alive until it ends."""
        self.removals.add(task)
        task.add_done_callback(self.removals.discard)

    async def close(self) -> None:
        """Wait for pending removals, then remove the service's parent cgroups."""
        if self.removals:
            await asyncio.gather(*self.removals, return_exceptions=True)
        self.remove_parents()

    def remove_parents(self) -> None:
        """rmdir the service's parent cgroups (those still holding runs stay)."""
        self._remove_dirs(self.parents)
