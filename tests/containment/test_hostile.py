"""Hostile programs against every backend's box: each is refused, nothing outlives its run, the server stays up.

The programs print `refused <what>` for each attempt the box stopped and `ALLOWED <what>` for any it
did not; a test fails on any `ALLOWED` and on a missing `refused`.
"""

from __future__ import annotations

import socket
import uuid
from pathlib import Path
from typing import List

import pytest

from tests.trace.boxes import gone

from .conftest import BOX_UID, Backend

pytestmark = pytest.mark.slow
PROJECT_FILE = str(Path(__file__).resolve().parents[2] / "README.md")
# Every probe is a call that returns; `attempt` turns it into one line of the verdict.
ATTEMPT = (
    "import ctypes, os, sys\n"
    "def attempt(what, call):\n"
    "    try:\n"
    "        result = call()\n"
    "    except Exception as e:\n"
    "        print('refused', what, type(e).__name__); return\n"
    "    print(('refused ' if isinstance(result, int) and result < 0 else 'ALLOWED ') + what)\n"
    "libc = ctypes.CDLL(None, use_errno=True)\n"
)


def marker() -> str:
    """A sleep duration no other process on the host has on its command line."""
    return f"{uuid.uuid4().int % 10**5 + 1000}.{uuid.uuid4().int % 10**6}"


def verdicts(stdout: str, expected: int) -> None:
    lines = [line for line in stdout.splitlines() if line.startswith(("refused", "ALLOWED"))]
    assert not [line for line in lines if line.startswith("ALLOWED")], stdout
    assert len(lines) == expected, stdout


async def test_host_files_are_out_of_reach(backend: Backend, tmp_path: Path) -> None:
    token = tmp_path / "token"  # where a bridge keeps its bearer token (0600)
    token.write_text("token-canary-91c2")
    token.chmod(0o600)
    secrets: List[str] = ["/etc/shadow", PROJECT_FILE, "/root/.bashrc", "/proc/1/environ", str(token),
                          "/proc/1/root/etc/hostname"]
    assert Path("/root/.bashrc").exists() and Path(PROJECT_FILE).exists()  # the probes aim at real files
    code = ATTEMPT + f"for p in {secrets!r}:\n    attempt('read ' + p, lambda: open(p, 'rb').read())\n" \
        "print(sorted(os.environ))\n"
    ran = await backend.run(code)
    verdicts(ran.stdout, len(secrets))
    assert "token-canary" not in ran.stdout and "UE_BRIDGE" not in ran.stdout
    await backend.assert_healthy()


async def test_kernel_settings_cannot_be_written(backend: Backend) -> None:
    targets = ["/proc/sys/kernel/core_pattern", "/proc/sys/vm/drop_caches", "/proc/sysrq-trigger",
               "/sys/kernel/mm/transparent_hugepage/enabled", "/sys/fs/cgroup/cgroup.procs"]
    code = ATTEMPT + f"for p in {targets!r}:\n    attempt('write ' + p, lambda: open(p, 'w'))\n"
    ran = await backend.run(code)
    verdicts(ran.stdout, len(targets))
    with open("/proc/sys/kernel/core_pattern") as f:
        assert not f.read().startswith("|")  # nothing was piped to a program as host root
    await backend.assert_healthy()


async def test_no_network_not_even_the_bridge_itself(backend: Backend) -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        targets = [("127.0.0.1", backend.bridge.port), ("127.0.0.1", listener.getsockname()[1]), ("1.1.1.1", 53),
                   ("169.254.169.254", 80), ("10.0.0.1", 80)]
        code = ATTEMPT + (
            "import socket\n"
            f"for host, port in {targets!r}:\n"
            "    s = socket.socket(); s.settimeout(2)\n"
            "    attempt(f'connect {host}:{port}', lambda: s.connect((host, port)))\n"
            "attempt('dns', lambda: socket.getaddrinfo('example.com', 80))\n"
        )
        ran = await backend.run(code, timeout_s=20)
    verdicts(ran.stdout, len(targets) + 1)
    await backend.assert_healthy()


async def test_kernel_attack_surface_is_closed(backend: Backend) -> None:
    code = ATTEMPT + (
        "buf = ctypes.create_string_buffer(120)\n"
        "attempt('io_uring', lambda: libc.syscall(425, 1, buf))\n"
        "attempt('keyctl', lambda: libc.syscall(250, 0, 0))\n"
        "attempt('add_key', lambda: libc.syscall(248, 0, 0, 0, 0, 0))\n"
        "attempt('vsock', lambda: libc.socket(40, 1, 0))\n"
        "attempt('user namespace', lambda: libc.unshare(0x10000000))\n"
        "attempt('mount namespace', lambda: libc.unshare(0x00020000))\n"
        "attempt('mount', lambda: libc.mount(b'tmpfs', b'/tmp', b'tmpfs', 0, None))\n"
        "attempt('ptrace traceme', lambda: libc.ptrace(0, 0, 0, 0))\n"
        "attempt('ptrace the parent', lambda: libc.ptrace(16, os.getppid(), 0, 0))\n"
        "attempt('read another process', lambda: libc.syscall(310, 1, 0, 0, 0, 0, 0))\n"
        "import subprocess\n"
        "attempt('unshare -U', lambda: -subprocess.run(['unshare', '-U', 'true'], capture_output=True).returncode)\n"
    )
    ran = await backend.run(code)
    verdicts(ran.stdout, 11)
    await backend.assert_healthy()


async def test_code_runs_as_the_box_uid_without_privileges(backend: Backend) -> None:
    code = (
        "import os\n"
        "print(os.getresuid(), os.getresgid(), os.getgroups())\n"
        "status = dict(l.split(':', 1) for l in open('/proc/self/status').read().splitlines())\n"
        "print(*(status[k].strip() for k in ('CapEff', 'CapPrm', 'CapBnd', 'NoNewPrivs', 'Seccomp')))\n"
    )
    ran = await backend.run(code)
    uid = f"({BOX_UID}, {BOX_UID}, {BOX_UID})"
    assert ran.stdout.splitlines() == [f"{uid} {uid} []", "0000000000000000 0000000000000000 0000000000000000 1 2"], \
        ran.stdout
    await backend.assert_healthy()


async def test_fork_bomb_hits_the_process_cap_and_leaves_no_survivors(backend: Backend) -> None:
    sleep = marker()
    code = (
        "import os\n"
        "n = 0\n"
        "for _ in range(100000):\n"
        "    try:\n"
        "        if os.fork() == 0:\n"
        f"            os.execv('/bin/sleep', ['sleep', {sleep!r}])\n"
        "        n += 1\n"
        "    except OSError as e:\n"
        "        print('fork refused after', n, e.errno); break\n"
    )
    ran = await backend.run(code, timeout_s=15)
    assert "fork refused after" in ran.stdout, ran
    assert int(ran.stdout.split()[3]) < 100, ran.stdout
    assert await gone(sleep), "a forked process outlived its run"
    await backend.assert_healthy()


async def test_memory_bombs_are_stopped(backend: Backend) -> None:
    in_process = "chunks = []\nwhile True:\n    chunks.append(b'y' * (1024 * 1024))\n"
    ran = await backend.run(in_process, memory_mb=128, timeout_s=15)
    # Killed by the cgroup, or refused the allocation (RLIMIT_AS) and failed with MemoryError.
    assert ran.status == "memory_limit" or (ran.status == "error" and "MemoryError" in str(ran.reply)), ran
    # Each child stays under its own address-space limit; together they are far past the box's memory.
    children = (
        "import os\n"
        "kids = []\n"
        "for _ in range(6):\n"
        "    pid = os.fork()\n"
        "    if pid == 0:\n"
        "        block = bytearray(100 * 1024 * 1024)\n"
        "        for i in range(0, len(block), 4096): block[i] = 1\n"
        "        import time; time.sleep(3); os._exit(0)\n"
        "    kids.append(pid)\n"
        "held = sum(os.waitpid(pid, 0)[1] == 0 for pid in kids)\n"
        "print('children that kept their memory:', held)\n"
    )
    ran = await backend.run(children, memory_mb=256, timeout_s=15)
    assert ran.status == "memory_limit" or "kept their memory: 6" not in ran.stdout, ran
    assert "kept their memory: 6" not in ran.stdout
    await backend.assert_healthy()


async def test_disk_fill_is_stopped_and_nothing_persists(backend: Backend) -> None:
    code = (
        "import os\n"
        "for path in ['fill', '/tmp/fill', '/dev/shm/fill']:\n"
        "    try:\n"
        "        with open(path, 'wb') as f:\n"
        "            for _ in range(200):\n"
        "                f.write(b'd' * (1024 * 1024))\n"
        "        print('ALLOWED', path)\n"
        "    except OSError as e:\n"
        "        print('refused', path, e.errno)\n"
    )
    ran = await backend.run(code, memory_mb=512, timeout_s=15)
    assert "ALLOWED" not in ran.stdout, ran
    again = await backend.run("import os\nprint([os.path.exists(p) for p in ['fill', '/tmp/fill', '/dev/shm/fill']])")
    assert again.stdout == "[False, False, False]\n", again
    await backend.assert_healthy()


async def test_a_daemon_left_behind_does_not_outlive_the_run(backend: Backend) -> None:
    sleeps = [marker() for _ in range(3)]
    code = (
        "import os, subprocess\n"
        f"subprocess.Popen(['/bin/sh', '-c', 'sleep {sleeps[0]}'], start_new_session=True)\n"
        f"subprocess.Popen(['/bin/sh', '-c', '(setsid sleep {sleeps[1]} &)'])\n"
        "if os.fork() == 0:\n"
        "    if os.fork() == 0:\n"
        f"        os.execv('/bin/sleep', ['sleep', {sleeps[2]!r}])\n"  # a double fork
        "    os._exit(0)\n"
        "print('main done')\n"
    )
    ran = await backend.run(code, timeout_s=15)
    assert (ran.status, ran.stdout) == ("ok", "main done\n"), ran
    for sleep in sleeps:
        assert await gone(sleep), f"sleep {sleep} outlived its run"
    await backend.assert_healthy()


async def test_system_files_are_read_only(backend: Backend) -> None:
    targets = ["/usr/bin/evil", "/etc/evil", "/evil", "/bin/sh"]
    code = ATTEMPT + f"for p in {targets!r} + [sys.executable]:\n    attempt('write ' + p, lambda: open(p, 'ab'))\n"
    ran = await backend.run(code)
    verdicts(ran.stdout, len(targets) + 1)
    await backend.assert_healthy()


async def test_killing_everything_only_kills_the_box(backend: Backend) -> None:
    code = (
        "import os, subprocess\n"
        "child = subprocess.Popen(['sleep', '30'])\n"
        "os.kill(-1, 9)\n"  # every process this uid may signal, except the caller: only the box's own
        "print('child', child.wait())\n"
    )
    ran = await backend.run(code)
    assert (ran.status, ran.stdout) == ("ok", "child -9\n"), ran
    await backend.assert_healthy()
