"""Hostile programs: each ends with a clean status, the sandbox keeps answering, nothing is left behind."""

from __future__ import annotations

import asyncio
import os
import random
import string
from typing import Any

import pytest

from bridge.sandbox import ExecuteRequest, ExecutionTimedOut, SandboxRunner

from .conftest import need, run

HELLO = "print('still here')"


async def assert_still_serving(runner: SandboxRunner) -> None:
    res = await run(runner, "python", HELLO)
    assert (res.status, res.stdout) == ("ok", "still here\n")


async def test_shell_fork_bomb_is_contained(runner: SandboxRunner) -> None:
    code = (
        "import subprocess, time\n"
        "subprocess.run(['/bin/bash', '-c', ':(){ :|:& };:'])\n"
        "time.sleep(1.5)\n"  # the bomb runs into pids.max meanwhile
        "print('bomb returned')\n"
    )
    try:
        res = await run(runner, "python", code, timeout_ms=5000)
        assert (res.status, res.stdout) == ("ok", "bomb returned\n"), res
    except ExecutionTimedOut as e:  # on a loaded host the bomb may starve the parent within its CPU quota
        assert e.result.status == "timeout"
    await assert_still_serving(runner)


async def test_thread_bomb_is_refused(runner: SandboxRunner) -> None:
    code = (
        "import threading, time\n"
        "n = 0\n"
        "try:\n"
        "    while True:\n"
        "        threading.Thread(target=time.sleep, args=(30,), daemon=True).start(); n += 1\n"
        "except RuntimeError as e:\n"
        "    print('threads refused after', n)\n"
        "import os; os._exit(0)\n"
    )
    res = await run(runner, "python", code, timeout_ms=10000)
    assert "threads refused after" in res.stdout, res
    await assert_still_serving(runner)


@pytest.mark.parametrize(
    "code",
    [
        "x = b'x' * (400 * 1024 * 1024)\nprint('survived')",
        "chunks = []\nwhile True:\n    chunks.append(b'y' * (1024 * 1024))",
        "f = open('/dev/shm/fill', 'wb')\nwhile True:\n    f.write(b'z' * (1024 * 1024)); f.flush()",
    ],
)
async def test_memory_bomb_is_killed_with_memory_status(runner: SandboxRunner, code: str) -> None:
    res = await run(runner, "python", code, memory_mb=64, timeout_ms=15000)
    if "/dev/shm" in code:
        # /dev/shm is a capped tmpfs charged to the box: it fills (ENOSPC) or the box is OOM-killed.
        assert res.status in ("memory_limit", "runtime_error"), res
    else:
        assert res.status == "memory_limit" and res.signal == "SIGKILL", res
    assert "survived" not in res.stdout
    await assert_still_serving(runner)


async def test_jvm_go_and_node_start_under_the_default_memory_limit(runner: SandboxRunner) -> None:
    for language, code in [
        ("java", 'public class Main { public static void main(String[] a) { System.out.println("ok"); } }'),
        ("go", 'package main\nimport "fmt"\nfunc main(){ fmt.Println("ok") }'),
        ("javascript", "console.log('ok')"),
    ]:
        res = await run(runner, language, code, memory_mb=128)
        assert res.stdout == "ok\n", res


@pytest.mark.parametrize(
    "code,stream",
    [
        ("while True:\n    print('flood ' * 20)", "stdout"),
        ("import sys\nsys.stdout.write('x' * 50_000_000)", "stdout"),
        ("import sys\nwhile True:\n    sys.stderr.write('e' * 1000 + '\\n')", "stderr"),
    ],
)
async def test_output_flood_is_capped_per_stream(runner: SandboxRunner, code: str, stream: str) -> None:
    res = await run(runner, "python", code, timeout_ms=20000)
    cap = runner.settings.output_limit_bytes
    assert res.status == "output_limit", res.status
    assert getattr(res, f"{stream}_truncated") is True
    assert len(getattr(res, stream).encode()) == cap
    other = "stderr" if stream == "stdout" else "stdout"
    assert getattr(res, f"{other}_truncated") is False
    await assert_still_serving(runner)


async def test_yes_in_a_shell_is_capped(runner: SandboxRunner) -> None:
    res = await run(runner, "python", "import os\nos.execv('/usr/bin/yes', ['yes'])", timeout_ms=20000)
    assert res.status == "output_limit" and res.stdout.startswith("y\ny\n") and res.stdout_truncated


async def test_sleep_past_the_timeout_keeps_partial_output(runner: SandboxRunner) -> None:
    code = "import sys, time\nprint('before sleep')\nprint('err side', file=sys.stderr)\ntime.sleep(100)"
    with pytest.raises(ExecutionTimedOut) as info:
        await run(runner, "python", code, timeout_ms=1000)
    result = info.value.result
    assert result.status == "timeout" and result.stdout == "before sleep\n" and result.stderr == "err side\n"
    assert result.exit_code is None and result.signal == "SIGKILL"
    assert info.value.detail == "Execution timed out after multiple attempts"


async def test_stop_signal_to_own_group_is_ended_by_the_wall_clock(runner: SandboxRunner) -> None:
    with pytest.raises(ExecutionTimedOut):
        await run(
            runner,
            "python",
            "import os, signal\nprint('stopping', flush=True)\nos.kill(0, signal.SIGSTOP)",
            timeout_ms=1500,
        )
    await assert_still_serving(runner)


async def test_killing_itself_or_its_parent_is_reported_cleanly(runner: SandboxRunner) -> None:
    # Killing everything (-1) is in tests/containment/test_hostile.py, for every backend.
    suicide = await run(runner, "python", "import os\nprint('bye', flush=True)\nos.kill(os.getpid(), 9)")
    assert (suicide.stdout, suicide.status, suicide.signal) == ("bye\n", "signal", "SIGKILL"), suicide
    ppid = await run(
        runner,
        "python",
        "import os\nprint(os.getppid())\ntry:\n    os.kill(os.getppid(), 9)\n"
        "except OSError as e:\n    print('denied', e.errno)",
    )
    assert "denied" in ppid.stdout, ppid
    await assert_still_serving(runner)


async def test_host_secrets_are_not_visible(
    runner: SandboxRunner, monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    monkeypatch.setenv("UE_BRIDGE_TOKEN_SECRET_CANARY", "canary-7f3a")
    token_file = tmp_path / "token"  # where a bridge keeps its bearer token (0600)
    token_file.write_text("token-canary-91c2")
    token_file.chmod(0o600)
    source_file = os.path.abspath(__file__)
    code = (
        "import os\n"
        f"for p in ['/etc/shadow', '/proc/1/environ', '/root/.ssh', {source_file!r}, {str(token_file)!r}, "
        "'/work', '/var/run/docker.sock', '/run', '/home']:\n"
        "    try:\n"
        "        with open(p, 'rb') as f: data = f.read()\n"
        "        print('READ', p, data[:40])\n"
        "    except OSError as e:\n"
        "        print('denied', p, e.errno)\n"
        "print(dict(os.environ))\n"
    )
    res = await run(runner, "python", code)
    assert "READ" not in res.stdout and res.stdout.count("denied ") == 9, res
    assert "canary-7f3a" not in res.stdout and "UE_BRIDGE" not in res.stdout and "token-canary" not in res.stdout
    passwd = await run(runner, "python", "print(open('/etc/passwd').read())")
    assert "sandbox" in passwd.stdout and "root:x:0:0" in passwd.stdout and len(passwd.stdout.splitlines()) <= 4
    etc = await run(runner, "python", "import os\nprint(sorted(os.listdir('/etc')))")
    seen = set(eval(etc.stdout))
    prepared = {"passwd", "group", "hosts", "ld.so.cache", "ld.so.conf", "ld.so.conf.d", "localtime", "alternatives"}
    # Beyond what the service prepared, only the mount points of toolchain dirs (e.g. java-17-openjdk).
    assert {name for name in seen - prepared if not name.startswith("java-")} == set(), seen
    assert {"passwd", "group", "hosts", "ld.so.cache"} <= seen


async def test_planted_symlinks_are_never_followed_by_the_host(runner: SandboxRunner) -> None:
    code = (
        "import os\n"
        "for name in ['main.py', 'out', 'out/main', 'link']:\n"
        "    try:\n"
        "        os.remove(name) if not os.path.isdir(name) else os.rename(name, name + '.old')\n"
        "    except OSError:\n"
        "        pass\n"
        "    try:\n"
        "        os.symlink('/etc/shadow', name)\n"
        "    except OSError as e:\n"
        "        print('symlink refused', name, e.errno)\n"
        "print(sorted(os.listdir('.')))\n"
    )
    res = await run(runner, "python", code)
    assert res.status == "ok", res
    with open("/etc/passwd") as f:
        assert f.read().startswith("root:")  # the host file is untouched
    # The compile stage's output leaves the box only as a tar the host validates: a link there is refused.
    need(runner, "c")
    evil = "#include <stdio.h>\nint main(void){return 0;}\n"
    ok = await run(runner, "c", evil)
    assert ok.status == "ok"


async def test_fifty_concurrent_mixed_runs_without_cross_talk(runner: SandboxRunner) -> None:
    need(runner, "c")
    need(runner, "javascript")
    programs = {
        "python": "import sys\nprint('py', sys.stdin.read().strip())",
        "javascript": "console.log('js', require('fs').readFileSync(0, 'utf8').trim())",
        "c": '#include <stdio.h>\nint main(void){char b[64]; scanf("%63s", b); printf("c %s\\n", b);}',
    }
    jobs = []
    for i in range(50):
        language = list(programs)[i % 3]
        token = f"t{i}-" + "".join(random.choices(string.ascii_lowercase, k=8))
        jobs.append((language, token))
    results = await asyncio.gather(
        *(runner.run(ExecuteRequest(code=programs[lang], language=lang, stdin=token + "\n")) for lang, token in jobs)
    )
    prefix = {"python": "py", "javascript": "js", "c": "c"}
    for (language, token), res in zip(jobs, results):
        assert res.stdout == f"{prefix[language]} {token}\n", (language, token, res)
    assert len({r.request_id for r in results}) == 50


async def test_too_many_open_files_hits_the_cap(runner: SandboxRunner) -> None:
    code = (
        "fs = []\n"
        "try:\n"
        "    while True: fs.append(open('/dev/null'))\n"
        "except OSError as e:\n"
        "    print('EMFILE after', len(fs), e.errno)\n"
    )
    res = await run(runner, "python", code)
    assert res.stdout.startswith("EMFILE after") and res.stdout.split()[-1] == "24", res
    assert int(res.stdout.split()[2]) < runner.settings.max_open_files


async def test_compile_time_include_of_host_files_fails(runner: SandboxRunner) -> None:
    need(runner, "c")
    res = await run(runner, "c", '#include "/etc/shadow"\nint main(void){return 0;}')
    assert res.status == "compile_error" and "shadow" in res.compile_output, res
    res = await run(runner, "c", '#include "/dev/zero"\nint main(void){return 0;}')
    assert res.status == "compile_error", res


