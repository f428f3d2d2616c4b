"""Worker isolation and failure handling: the server side stays healthy whatever the program does."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import Any, Dict, List

import orjson
import psutil
import pytest

from bridge.trace import TraceRunner, TraceSettings


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


async def test_each_run_gets_a_fresh_process_and_temp_dir(runner: TraceRunner) -> None:
    # A builtin set by one run would survive into the next only in the same interpreter.
    code = ("import builtins, os\nseen = hasattr(builtins, 'left_behind')\nbuiltins.left_behind = 1\n"
            "open('mark.txt', 'w').write('x')\nprint(seen, os.getcwd(), os.listdir('.'))\n")
    first = await runner.run(code, trace=False)
    second = await runner.run(code, trace=False)
    seen1, cwd1, files1 = first.stdout.split(" ", 2)
    seen2, cwd2, files2 = second.stdout.split(" ", 2)
    assert seen1 == seen2 == "False" and cwd1 != cwd2
    assert files1.strip() == files2.strip() == "['mark.txt']"
    assert not Path(cwd1).exists()


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
    # The program waits for a file that the test creates only after it has seen a streamed step;
    # without live streaming it would wait until the wall limit.
    code = ("import os, time\nprint(os.getcwd())\nwhile not os.path.exists('go'):\n"
            "    time.sleep(0.02)\nprint('done')\n")
    seen: List[Dict[str, Any]] = []

    async def on_step(raw: bytes) -> None:
        step = orjson.loads(raw)
        seen.append(step)
        if step.get("stdout") and len(seen) == 4:
            Path(step["stdout"].strip(), "go").write_text("")

    out = await runner.run(code, on_step=on_step, max_steps=5000)
    assert out.status == "completed"
    assert out.stdout.endswith("done\n")
    assert len(seen) == len(out.steps)


async def test_cancelling_a_run_kills_its_worker(runner: TraceRunner) -> None:
    cwds: List[str] = []

    async def on_step(raw: bytes) -> None:
        step = orjson.loads(raw)
        if step.get("stdout") and not cwds:
            cwds.append(step["stdout"].strip())

    # Found on the host by its working directory: in a box the worker has a PID namespace of its own.
    task = asyncio.ensure_future(runner.run("import os, time\nprint(os.getcwd())\ntime.sleep(60)\n",
                                            on_step=on_step))
    while not cwds:
        await asyncio.sleep(0.01)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    for _ in range(100):  # the kill is reaped in the background: a bounded wait, not a timing assertion
        if not any(_cwd(proc) == cwds[0] for proc in psutil.process_iter()):
            return
        await asyncio.sleep(0.05)
    raise AssertionError("the worker still runs after its run was cancelled")


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
    from bridge.trace.launch import LANDLOCK_ABI, bubblewrap

    if LANDLOCK_ABI < 1 and bubblewrap() is None:
        pytest.skip("this kernel has no Landlock and bubblewrap is not installed")
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


def _cwd(proc: psutil.Process) -> str:
    try:
        return proc.cwd()
    except (psutil.Error, OSError):
        return ""


async def test_host_files_are_hidden_in_a_box(runner: TraceRunner) -> None:
    from bridge.trace.launch import bubblewrap

    if bubblewrap() is None:
        if os.environ.get("CI") == "true":
            pytest.fail("bubblewrap is required under CI (apt-get install -y bubblewrap)")
        pytest.skip("bubblewrap is not installed")
    import bridge.config

    hidden = ["/etc/passwd", "/etc/shadow", "/root/.bashrc", bridge.config.__file__]  # the bridge's own source
    code = f"import os\nfor path in {hidden!r}:\n    print(os.path.exists(path))\n"
    out = await runner.run(code, trace=False)
    assert out.stdout == "False\n" * len(hidden)
