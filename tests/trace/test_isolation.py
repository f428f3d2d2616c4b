"""Worker isolation and failure handling: the server side stays healthy whatever the program does."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path
from typing import Any, Dict, List

import orjson
import pytest

from bridge.trace import TraceRunner, TraceSettings
from tests.needs import missing

from .boxes import WAIT_FOR_RELEASE, WAIT_HERE, gone, processes_with, release


async def test_a_worker_that_kills_itself_gives_a_clean_error_with_steps_so_far(runner: TraceRunner) -> None:
    # Steps are flushed every few ms; the sleep lets them out before the kill, which nothing can intercept.
    out = await runner.run("print('hi')\nimport os, time\ntime.sleep(0.2)\nos.kill(os.getpid(), 9)\n")
    assert out.status == "error"
    assert out.error is not None and out.error["type"] == "WorkerCrashed"
    assert "SIGKILL" in out.error["message"]
    assert out.steps[-1]["stdout"] == "hi\n"
    after = await runner.run("print('still fine')\n")
    assert after.stdout == "still fine\n"


async def test_memory_limit_is_a_memory_error_not_a_dead_server(runner: TraceRunner) -> None:
    out = await runner.run("x = bytearray(2 * 1024 ** 3)\n")
    assert out.status == "error"
    assert out.error is not None and out.error["type"] == "MemoryError"


async def test_cpu_limit_stops_untraced_busy_loop() -> None:
    runner = TraceRunner(TraceSettings(pool_size=1, wall_time_s=30, cpu_time_s=1))
    await runner.start()
    try:
        out = await runner.run("print('go')\nwhile True:\n    pass\n", trace=False)
    finally:
        await runner.close()
    assert out.status == "timeout"
    assert out.error is not None and "CPU" in out.error["message"]


async def test_each_run_gets_a_fresh_process_and_an_empty_work_dir(runner: TraceRunner) -> None:
    # A builtin set by one run would survive into the next only in the same interpreter.
    code = ("import builtins, os\nseen = hasattr(builtins, 'left_behind')\nbuiltins.left_behind = 1\n"
            "before = os.listdir('.')\nopen('mark.txt', 'w').write('x')\nprint(seen, before, os.listdir('.'))\n")
    first = await runner.run(code, trace=False)
    second = await runner.run(code, trace=False)
    assert first.stdout == second.stdout == "False [] ['mark.txt']\n"


async def test_server_environment_does_not_leak_into_the_program(runner: TraceRunner,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("UE_BRIDGE_TOKEN", "secret-value")
    fresh = TraceRunner(TraceSettings(pool_size=0))
    await fresh.start()
    try:
        out = await fresh.run("import os\nprint(sorted(os.environ))\n", trace=False)
    finally:
        await fresh.close()
    assert "UE_BRIDGE_TOKEN" not in out.stdout and "secret-value" not in out.stdout


async def test_writing_to_raw_file_descriptors_cannot_corrupt_the_protocol(runner: TraceRunner) -> None:
    code = ("import os, sys\nos.write(1, b'garbage\\n')\nos.write(2, b'noise' * 50000)\n"
            "print(sys.stdin.read())\n")
    out = await runner.run(code)
    assert out.status == "completed"
    assert out.stdout == "\n"


async def test_steps_stream_while_the_program_is_still_running(runner: TraceRunner) -> None:
    # The program waits for a signal that the test sends only after it has seen a streamed step;
    # without live streaming it would wait until the wall limit.
    code = WAIT_FOR_RELEASE + "print('waiting')\n" + WAIT_HERE + "print('done')\n"
    seen: List[Dict[str, Any]] = []

    async def on_step(raw: bytes) -> None:
        step = orjson.loads(raw)
        seen.append(step)
        if step["stdout"] == "waiting\n" and step["line"] == 4:
            assert release(runner) == 1

    out = await runner.run(code, on_step=on_step, max_steps=5000)
    assert out.status == "completed"
    assert out.stdout == "waiting\ndone\n"
    assert len(seen) == len(out.steps)


async def test_cancelling_a_run_kills_its_worker_and_what_it_started(runner: TraceRunner) -> None:
    marker = f"{uuid.uuid4().int % 10**6}.{uuid.uuid4().int % 10**6}"  # found on the host by its command line
    started = asyncio.Event()

    async def on_step(raw: bytes) -> None:
        if orjson.loads(raw)["stdout"]:
            started.set()

    code = f"import subprocess, time\nsubprocess.Popen(['sleep', {marker!r}])\nprint('started')\ntime.sleep(60)\n"
    task = asyncio.ensure_future(runner.run(code, on_step=on_step))
    await asyncio.wait_for(started.wait(), 20)
    assert processes_with(marker)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert await gone(marker), "the worker's box still runs after its run was cancelled"


async def test_concurrent_runs_do_not_mix(runner: TraceRunner) -> None:
    outs = await asyncio.gather(*(runner.run(f"v = {i}\nprint(v * 2)\n") for i in range(6)))
    assert [o.stdout for o in outs] == [f"{i * 2}\n" for i in range(6)]


async def test_limits_from_settings_are_enforced(runner: TraceRunner) -> None:
    from bridge.trace import InvalidRunRequest

    with pytest.raises(InvalidRunRequest, match="max_steps must be between 1 and 10000, got 20000"):
        await runner.run("x = 1", max_steps=20000)


async def test_program_cannot_reach_the_network_or_the_bridge_port(runner: TraceRunner) -> None:
    import socket

    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        port = server.getsockname()[1]
        code = ("import socket\ns = socket.socket()\ns.settimeout(2)\ntry:\n"
                f"    s.connect(('127.0.0.1', {port}))\n    print('reached')\nexcept OSError:\n"
                "    print('refused')\n")
        out = await runner.run(code, trace=False)
    assert out.stdout == "refused\n"


OTHER_PYTHONS = [p for p in (f"/root/.pyenv/versions/{v}/bin/python" for v in ("3.9.18", "3.13.0"))
                 if Path(p).exists()]


NO_OTHER_PYTHON = [pytest.param("", marks=pytest.mark.skip(reason="no other Python installed"))]


@pytest.mark.parametrize("python", OTHER_PYTHONS or NO_OTHER_PYTHON)
async def test_workers_run_on_other_python_versions(python: str) -> None:
    runner = TraceRunner(TraceSettings(pool_size=1, python=python))
    await runner.start()
    try:
        out = await runner.run("def f(n):\n    return [n] * 2\nx = f(3)\nprint(x)\n")
    finally:
        await runner.close()
    assert (out.status, out.stdout) == ("completed", "[3, 3]\n")
    assert out.steps[-1]["heap"][str(out.steps[-1]["globals"]["x"][1])] == ["LIST", 3, 3]


async def test_program_can_write_only_in_its_temp_dir(runner: TraceRunner, tmp_path: Path) -> None:
    outside = tmp_path / "escaped.txt"
    code = ("open('inside.txt', 'w').write('ok')\nprint(open('inside.txt').read())\ntry:\n"
            f"    open({str(outside)!r}, 'w').write('x')\n    print('wrote outside')\n"
            "except OSError:\n    print('denied')\n")
    out = await runner.run(code, trace=False)
    assert out.stdout == "ok\ndenied\n"
    assert not outside.exists()


async def test_a_worker_interpreter_that_cannot_start_is_a_clear_error() -> None:
    from bridge.trace.pool import WorkerUnavailable

    runner = TraceRunner(TraceSettings(pool_size=1, python="/nonexistent/python", worker_start_timeout_s=1))
    await runner.start()
    try:
        with pytest.raises(WorkerUnavailable, match="no tracer worker started within 1 s"):
            await runner.run("x = 1")
    finally:
        await runner.close()


@pytest.mark.parametrize("trace", [True, False])
async def test_a_program_stuck_in_one_builtin_call_keeps_its_steps_and_output(runner: TraceRunner,
                                                                              trace: bool) -> None:
    # sum() over a huge range never returns to the interpreter loop: no thread of the worker can run
    # meanwhile, so only what was already on the server's side survives the kill.
    out = await runner.run("print('a')\nsum(range(10**13))\n", trace=trace)
    assert out.status == "timeout", out
    assert out.stdout == "a\n"
    assert out.error is not None and "CPU time" in out.error["message"]
    if trace:
        assert [s["line"] for s in out.steps] == [1, 2] and out.steps[-1]["stdout"] == "a\n"
        assert out.error["line"] == 2


async def test_the_wall_clock_keeps_the_steps_of_a_sleeping_program(runner: TraceRunner) -> None:
    out = await runner.run("print('a')\nimport time\ntime.sleep(100)\n")
    assert out.status == "timeout" and out.stdout == "a\n", out
    assert out.error is not None and "wall-time" in out.error["message"] and out.error["line"] == 3
    assert [s["line"] for s in out.steps] == [1, 2, 3]


async def test_a_worker_killed_for_memory_keeps_its_steps_and_says_why() -> None:
    runner = TraceRunner(TraceSettings(pool_size=0, memory_mb=256, wall_time_s=20, cpu_time_s=10))
    await runner.start()
    if runner.reason is not None:
        await runner.close()
        missing(runner.reason)
    # Three children hold 40 MB each, then the worker grows past the box's memory (never past its own
    # address-space limit): the cgroup's OOM killer ends the biggest process of the box, the worker.
    code = ("import os, time\nprint('a')\n"
            "for _ in range(3):\n"
            "    if os.fork() == 0:\n"
            "        more = bytearray(40 * 1024 * 1024)\n"
            "        for i in range(0, len(more), 4096): more[i] = 1\n"
            "        time.sleep(30)\n"
            "time.sleep(0.5)\n"
            "held = []\n"
            "for _ in range(16):\n"
            "    held.append(bytearray(10 * 1024 * 1024))\n"
            "    for i in range(0, len(held[-1]), 4096): held[-1][i] = 1\n"
            "time.sleep(30)\n")
    try:
        out = await runner.run(code, trace=False)
    finally:
        await runner.close()
    assert out.status == "memory_limit", out
    assert out.stdout == "a\n"
    assert out.error is not None and "256 MB memory limit" in out.error["message"]


async def test_a_forked_child_neither_ends_the_run_nor_writes_into_its_trace(runner: TraceRunner) -> None:
    # The child runs off the end of the program, as the parent does; only the parent is the run.
    code = "import os\npid = os.fork()\nif pid == 0:\n    print('child')\nelse:\n    os.waitpid(pid, 0)\n" \
        "    print('parent')\nx = 1\n"
    out = await runner.run(code)
    assert (out.status, out.stdout) == ("completed", "parent\n"), out
    assert [s["step"] for s in out.steps] == list(range(1, len(out.steps) + 1))
    assert out.steps[-1]["event"] == "return" and out.steps[-1]["globals"]["x"] == 1


async def test_runs_repeat_exactly_hashes_and_random_included(runner: TraceRunner) -> None:
    code = "import random\nprint(hash('abc'), sorted({'x', 'y', 'z'}) == list({'x', 'y', 'z'}), random.random())\n"
    first = await runner.run(code, trace=False)
    second = await runner.run(code, trace=False)
    assert first.status == "completed" and first.stdout == second.stdout, (first, second)


LEAVE_BEHIND = (
    "import json, os, subprocess, threading, time\n"
    "for path in ('left.txt', '/tmp/left.txt', '/dev/shm/left.txt'):\n"
    "    open(path, 'w').write('x')\n"
    "json.left_behind = 1\n"
    "os.environ['LEFT_BEHIND'] = '1'\n"
    "threading.Thread(target=time.sleep, args=(60,)).start()\n"
    "subprocess.Popen(['sleep', '60'])\n"
)
LOOK_AROUND = (
    "import json, os, threading\n"
    "print([os.path.exists(p) for p in ('left.txt', '/tmp/left.txt', '/dev/shm/left.txt')], os.listdir('.'),\n"
    "      hasattr(json, 'left_behind'), 'LEFT_BEHIND' in os.environ, threading.active_count(),\n"
    "      [p for p in os.listdir('/proc') if p.isdigit() and open(f'/proc/{p}/cmdline').read().startswith('sleep')],\n"
    "      open('/proc/self/cgroup').read().count('run-') > 0)\n"
)


@pytest.mark.parametrize("trace", [True, False])
async def test_nothing_one_run_leaves_reaches_the_next_in_the_same_box(trace: bool) -> None:
    # One box, one run at a time: every run is a child of the same zygote, so only its fresh process,
    # namespaces and cgroup keep them apart.
    runner = TraceRunner(TraceSettings(pool_size=1, max_concurrent_runs=1, wall_time_s=10))
    await runner.start()
    if runner.reason is not None:
        await runner.close()
        missing(runner.reason)
    try:
        cgroups = []
        for _ in range(3):
            left = await runner.run(LEAVE_BEHIND + "print(open('/proc/self/cgroup').read())\n", trace=trace)
            assert left.status == "completed", left
            cgroups.append(left.stdout)
            seen = await runner.run(LOOK_AROUND, trace=trace)
            assert seen.stdout == "[False, False, False] [] False False 1 [] True\n", seen
        boxes = getattr(runner.pool, "_boxes", set())
        if boxes:  # the zygote design (bubblewrap): all of it happened in one box
            assert len(boxes) == 1 and next(iter(boxes)).runs >= 6  # (it may have forked the next run too)
        assert len(set(cgroups)) == 3, "each run gets a cgroup of its own"
    finally:
        await runner.close()
