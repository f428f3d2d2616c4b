"""The cgroup v2 path against a directory laid out like a delegated cgroup2 mount.

This host's cgroup2 mount has no memory controller, so real v2 runs cannot happen here; these
tests hold what the v2 code writes and reads, file by file, as the kernel documents them.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import List, Tuple

import pytest

from bridge.containment import ContainmentUnavailable, cgroups
from bridge.containment.cgroups import CFS_PERIOD_US, CgroupManager, RunCgroup


@pytest.fixture
def v2_mount(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fake cgroup2 mount where the service sits in /service.slice with memory, pids and cpu delegated."""
    mount = tmp_path / "cgroup2"
    own = mount / "service.slice"
    own.mkdir(parents=True)
    (own / "cgroup.controllers").write_text("cpuset cpu io memory pids\n")
    mounts: List[Tuple[str, str, str]] = [("cgroup2", str(mount), "rw,nsdelegate")]
    monkeypatch.setattr(cgroups, "_mounts", lambda: mounts)
    monkeypatch.setattr(cgroups, "_own_paths", lambda: {"": "/service.slice"})
    # The kernel fills a new cgroup dir with its interface files; a plain mkdir does not, so the
    # service's parent dir is made ahead with what the kernel would show there.
    parent = own / f"{cgroups.dir_prefix('sandbox')}{os.getpid()}"
    parent.mkdir()
    (parent / "cgroup.controllers").write_text("cpu memory pids\n")
    return own


def test_v2_is_chosen_and_delegates_controllers(v2_mount: Path) -> None:
    manager = CgroupManager("auto")
    assert manager.mode == "v2" and manager.reason is None
    parent = manager.parents[""]
    assert (v2_mount / "cgroup.subtree_control").read_text() == "+memory +pids +cpu"
    assert (parent / "cgroup.subtree_control").read_text() == "+memory +pids +cpu"


def test_v2_run_limits_and_usage(v2_mount: Path) -> None:
    run = CgroupManager("v2").create()
    d = run.dirs[""]
    (d / "cpu.max").write_text("max 100000\n")  # present when the cpu controller is enabled
    run.set_limits(256 << 20, 64, 1.5)
    assert (d / "memory.max").read_text() == str(256 << 20)
    assert (d / "memory.swap.max").read_text() == "0"
    assert (d / "pids.max").read_text() == "64"
    assert (d / "cpu.max").read_text() == f"{int(1.5 * CFS_PERIOD_US)} {CFS_PERIOD_US}"
    assert run.procs_files() == [str(d / "cgroup.procs")]

    (d / "memory.peak").write_text("12345678\n")
    (d / "memory.events").write_text("low 0\nhigh 0\nmax 3\noom 1\noom_kill 1\noom_group_kill 0\n")
    (d / "cpu.stat").write_text("usage_usec 2500\nuser_usec 2000\nsystem_usec 500\n")
    stats = run.stats()
    assert (stats.memory_peak_bytes, stats.oom_killed, stats.cpu_time_ns) == (12345678, True, 2_500_000)


def test_v2_kill_uses_cgroup_kill(v2_mount: Path) -> None:
    run = CgroupManager("v2").create()
    (run.dirs[""] / "cgroup.kill").write_text("")
    run.kill()
    assert (run.dirs[""] / "cgroup.kill").read_text() == "1"


def test_v2_without_delegated_memory_fails_closed(v2_mount: Path) -> None:
    (v2_mount / "cgroup.controllers").write_text("cpu io pids\n")
    manager = CgroupManager("v2")
    assert manager.mode == "none" and "memory" in (manager.reason or "")
    with pytest.raises(ContainmentUnavailable, match="no usable cgroup"):
        manager.create()


def test_v2_parent_that_does_not_hand_down_controllers_fails_closed(v2_mount: Path) -> None:
    parent = next(p for p in v2_mount.iterdir() if p.name.startswith(cgroups.dir_prefix('sandbox')))
    (parent / "cgroup.controllers").write_text("cpu\n")  # e.g. not systemd Delegate=yes
    manager = CgroupManager("v2")
    assert manager.mode == "none" and "delegate" in (manager.reason or "")


def test_run_cgroup_v2_reads_only_its_own_dir(tmp_path: Path) -> None:
    run = RunCgroup("v2", {"": tmp_path})
    assert run.stats().memory_peak_bytes is None and run.cpu_time_ns() is None
