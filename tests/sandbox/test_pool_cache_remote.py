"""Warm pool (one run per box), build cache, fail-closed cgroups, the run limiter, and remote fronting."""

from __future__ import annotations

import asyncio
import errno
import io
import os
import subprocess
import sys
import tarfile
import threading
import time
from typing import Any, AsyncIterator, Dict, Tuple

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from bridge.api import sandbox as sandbox_api
from bridge.api import state
from bridge.api.server import error_middleware
from bridge.containment import ContainmentUnavailable
from bridge.containment import cgroups as cgroups_module
from bridge.containment.cgroups import CgroupManager, RunCgroup
from bridge.sandbox import SandboxBusy, SandboxRunner, SandboxSettings, SandboxUnavailable
from bridge.sandbox.box import RunningBox
from bridge.sandbox.cache import ArtifactRejected, BuildCache
from bridge.sandbox.limiter import RunLimiter
from bridge.sandbox.runtimes import Language

from ..trace.boxes import processes_with
from .conftest import box_processes, make_settings, missing, run
from .test_languages import PROGRAMS


@pytest.fixture
async def pooled(languages: Dict[str, Language], cache_dir: str) -> AsyncIterator[SandboxRunner]:
    r = SandboxRunner(make_settings(cache_dir, warm_pool_size=1), languages=languages)
    await r.start()
    if r.reason is not None:
        await r.close()
        missing(r.reason)
    r.warm_up()
    yield r
    await r.close()


async def _wait_ready(runner: SandboxRunner, language: str) -> None:
    pool = next(p for (lang, _), p in runner.pools.items() if lang == language)
    for _ in range(500):
        if pool.ready:
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"the {language} warm pool never filled")


@pytest.mark.parametrize("language", ["python", "javascript", "ruby"])
async def test_warm_box_serves_one_run_and_nothing_leaks(pooled: SandboxRunner, language: str) -> None:
    if language == "python":
        write = (
            "import builtins, os, sys\nbuiltins.LEAK = 1\nopen('/tmp/leak', 'w').write('x')\n"
            "print(__name__, sys.argv, input())"
        )
        check = "import builtins, os\nprint(hasattr(builtins, 'LEAK'), os.path.exists('/tmp/leak'))"
        first_expected, second_expected = "__main__ ['main.py'] from-stdin\n", "False False\n"
    elif language == "ruby":
        write = "$leak = 1\nFile.write('/tmp/leak', 'x')\nputs \"#{__FILE__ == $0} #{gets.strip}\""
        check = "puts \"#{$leak.inspect} #{File.exist?('/tmp/leak')}\""
        first_expected, second_expected = "true from-stdin\n", "nil false\n"
    else:
        write = (
            "globalThis.LEAK = 1; require('fs').writeFileSync('/tmp/leak', 'x');"
            "console.log(require.main === module, require('fs').readFileSync(0, 'utf8').trim());"
        )
        check = "console.log(typeof globalThis.LEAK, require('fs').existsSync('/tmp/leak'));"
        first_expected, second_expected = "true from-stdin\n", "undefined false\n"
    await _wait_ready(pooled, language)
    pool = next(p for (lang, _), p in pooled.pools.items() if lang == language)
    box = pool.ready[0]
    first = await run(pooled, language, write, stdin="from-stdin\n")
    assert first.stdout == first_expected, first
    assert box not in pool.ready
    await box.close()  # the reply does not wait for the teardown; it is under way already
    assert box.proc is not None and box.proc.returncode is not None
    await _wait_ready(pooled, language)
    second = await run(pooled, language, check)
    assert second.stdout == second_expected, second


async def test_a_warm_box_that_cannot_take_the_run_falls_back_cold_and_is_replaced(
    monkeypatch: pytest.MonkeyPatch, pooled: SandboxRunner
) -> None:
    await _wait_ready(pooled, "python")
    box = _next_box(pooled, "python")

    def refuse(self: RunningBox, limits: object) -> None:
        raise OSError(errno.EBUSY, "Device or resource busy", "memory.limit_in_bytes")

    monkeypatch.setattr(RunningBox, "retune", refuse)
    res = await run(pooled, "python", "import sys\nprint(sys.argv)")
    assert (res.status, res.stdout) == ("ok", "['main.py']\n"), res  # ran, cold
    assert await _gone(pooled, box)
    await _wait_ready(pooled, "python")  # and the pool started a replacement


async def test_warm_python_reports_errors_like_a_script(pooled: SandboxRunner) -> None:
    await _wait_ready(pooled, "python")
    res = await run(pooled, "python", "def f():\n    raise KeyError('k')\nf()")
    assert res.status == "runtime_error" and res.exit_code == 1
    assert 'File "/box/main.py", line 3' in res.stderr and "<string>" not in res.stderr
    await _wait_ready(pooled, "python")
    syntax = await run(pooled, "python", "print('x'")
    assert syntax.status == "runtime_error" and "SyntaxError" in syntax.stderr
    await _wait_ready(pooled, "python")
    limited = await run(pooled, "python", "x = b'x' * (300 * 1024 * 1024)", memory_mb=64)
    assert limited.status == "memory_limit", limited


async def _gone(runner: SandboxRunner, box: RunningBox) -> bool:
    """Whether the box is torn down: its reply went out first, the teardown follows in the background."""
    await box.close()
    for _ in range(500):  # killed processes take a moment to leave the cgroup; its removal retries meanwhile
        if not any(d.exists() for d in box.cgroup.dirs.values()):
            break
        await asyncio.sleep(0.01)
    return box.proc is not None and box.proc.returncode is not None and not any(
        d.exists() for d in box.cgroup.dirs.values()
    )


def _next_box(runner: SandboxRunner, language: str) -> RunningBox:
    return next(p for (lang, _), p in runner.pools.items() if lang == language).ready[0]


@pytest.mark.parametrize(
    "code, stdout, exit_code",
    [
        # A forked child that runs off the end of the code must not end its parent's run.
        (
            "import os, time\npid = os.fork()\nif pid == 0:\n    print('child')\nelse:\n"
            "    os.waitpid(pid, 0)\n    time.sleep(0.2)\n    print('parent')\n",
            "child\nparent\n",
            0,
        ),
        # Without its report pipe the run still ends, when the box exits.
        ("import os, sys\nos.closerange(3, 1024)\nprint('closed')\nsys.exit(3)", "closed\n", 3),
        ("import os\nprint('hard', flush=True)\nos._exit(4)", "hard\n", 4),
        # Output written by atexit handlers and left in buffers is all there.
        (
            "import atexit, sys\natexit.register(print, 'at exit')\nsys.stdout.write('unflushed')",
            "unflushedat exit\n",
            0,
        ),
    ],
    ids=["fork-falls-through", "report-pipe-closed", "os-exit", "atexit"],
)
async def test_warm_python_ends_like_a_script(pooled: SandboxRunner, code: str, stdout: str, exit_code: int) -> None:
    await _wait_ready(pooled, "python")
    res = await run(pooled, "python", code)
    assert (res.stdout, res.exit_code) == (stdout, exit_code), res


async def test_warm_python_forged_report_only_ends_its_own_run(pooled: SandboxRunner) -> None:
    forge = (
        "import os\nfor fd in range(3, 64):\n    try:\n        os.write(fd, b'exit 9\\n')\n"
        "    except OSError:\n        pass\n"
    )
    await _wait_ready(pooled, "python")
    box = _next_box(pooled, "python")
    res = await run(pooled, "python", forge + "import time\ntime.sleep(30)\n")
    assert (res.status, res.exit_code) == ("runtime_error", 9), res
    assert await _gone(pooled, box)
    await _wait_ready(pooled, "python")
    assert (await run(pooled, "python", "print('next')")).stdout == "next\n"


async def test_warm_python_background_processes_do_not_outlive_the_run(pooled: SandboxRunner) -> None:
    code = (
        "import os, subprocess\n"
        "subprocess.Popen(['/bin/sh', '-c', 'sleep 6017'], start_new_session=True)\n"
        "if os.fork() == 0:\n"
        "    import time; time.sleep(603)\n"
        "    os._exit(0)\n"
        "print('main done')\n"
    )
    await _wait_ready(pooled, "python")
    box = _next_box(pooled, "python")
    res = await run(pooled, "python", code)
    assert (res.status, res.stdout) == ("ok", "main done\n"), res
    assert await _gone(pooled, box)
    # 6017: a number no other test's box uses, since another pytest worker may be running boxes now
    assert not [c for c in box_processes() if any("6017" in part for part in c or [])]


async def test_build_cache_skips_the_compiler(runner: SandboxRunner) -> None:
    code = '#include <stdio.h>\nint main(void){puts("cache test %d"); return 0;}'.replace("%d", str(os.getpid()))
    assert runner.cache is not None
    misses = runner.cache.misses
    first = await run(runner, "c", code)
    hits = runner.cache.hits
    second = await run(runner, "c", code)
    assert first.stdout == second.stdout and first.status == second.status == "ok"
    assert runner.cache.misses == misses + 1 and runner.cache.hits == hits + 1


def _tar(entries: Dict[str, Any]) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tar:
        for name, value in entries.items():
            info = tarfile.TarInfo(name)
            if isinstance(value, tuple):
                info.type, info.linkname = value
                tar.addfile(info)
            else:
                info.size = len(value)
                info.mode = 0o755
                tar.addfile(info, io.BytesIO(value))
    return buf.getvalue()


@pytest.mark.parametrize(
    "entries",
    [
        {"./main": (tarfile.SYMTYPE, "/etc/shadow")},
        {"./main": (tarfile.LNKTYPE, "/etc/passwd")},
        {"../escape": b"x"},
        {"/etc/owned": b"x"},
        {"sub/dir/file": b"x"},
        {"./fifo": (tarfile.FIFOTYPE, "")},
    ],
)
def test_build_cache_refuses_links_and_odd_names(tmp_path: Any, entries: Dict[str, Any]) -> None:
    cache = BuildCache(str(tmp_path / "cache"), 10)
    with pytest.raises(ArtifactRejected):
        cache.put("k", _tar(entries))
    assert os.listdir(tmp_path / "cache") == []
    assert not (tmp_path / "escape").exists()


def test_build_cache_stores_plain_files_executable(tmp_path: Any) -> None:
    cache = BuildCache(str(tmp_path / "cache"), 1)
    entry = cache.put("a", _tar({"./main": b"\x7fELF"}))
    assert os.stat(os.path.join(entry, "main")).st_mode & 0o777 == 0o755
    cache.put("b", _tar({"./Main.class": b"\xca\xfe"}))
    assert sorted(os.listdir(tmp_path / "cache")) == ["b"]  # least recently used evicted


async def test_no_cgroup_means_no_run(
    monkeypatch: pytest.MonkeyPatch, languages: Dict[str, Language], cache_dir: str
) -> None:
    monkeypatch.setattr(cgroups_module, "_mounts", lambda: [])
    manager = CgroupManager("auto")
    assert not manager.available and "mounted" in (manager.reason or "")
    with pytest.raises(ContainmentUnavailable, match="cgroup"):
        manager.create()
    r = SandboxRunner(make_settings(cache_dir), languages=languages)
    await r.start()
    try:
        assert r.health().status == "unhealthy" and "cgroup" in (r.health().reason or "")
        with pytest.raises(SandboxUnavailable, match="cgroup"):
            await run(r, "python", "print('must not run unlimited')")
    finally:
        await r.close()


def _run_dirs(runner: SandboxRunner) -> list:
    assert runner.cgroups is not None
    return [d for parent in runner.cgroups.parents.values() for d in parent.iterdir() if d.is_dir()]


async def test_a_limit_the_kernel_refuses_means_no_run(monkeypatch: pytest.MonkeyPatch, runner: SandboxRunner) -> None:
    def refuse(self: RunCgroup, memory_bytes: int, pids: int, cpus: object) -> None:
        raise OSError(errno.EINVAL, "Invalid argument", "memory.limit_in_bytes")

    monkeypatch.setattr(RunCgroup, "set_limits", refuse)
    with pytest.raises(SandboxUnavailable, match="cannot set the run's cgroup limits"):
        await run(runner, "python", "print('must not run unlimited')")
    assert _run_dirs(runner) == []  # the half-made cgroup is gone too


async def test_a_start_cancelled_while_its_cgroup_is_made_leaves_nothing(
    monkeypatch: pytest.MonkeyPatch, runner: SandboxRunner
) -> None:
    made = threading.Event()
    real = RunCgroup.set_limits

    def slow(self: RunCgroup, memory_bytes: int, pids: int, cpus: float) -> None:
        real(self, memory_bytes, pids, cpus)
        made.set()
        time.sleep(0.3)  # in the worker thread: the start is cancelled meanwhile

    monkeypatch.setattr(RunCgroup, "set_limits", slow)
    task = asyncio.ensure_future(run(runner, "python", "print('never')"))
    await asyncio.get_running_loop().run_in_executor(None, made.wait, 10)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    for _ in range(100):
        if not _run_dirs(runner):
            break
        await asyncio.sleep(0.05)
    assert _run_dirs(runner) == []


async def test_limiter_queues_then_refuses() -> None:
    limiter = RunLimiter(slots=1, queue_size=1, retry_after_s=2)
    order = []
    release = asyncio.Event()

    async def hold(name: str) -> None:
        async with limiter.slot():
            order.append(name)
            await release.wait()

    first = asyncio.ensure_future(hold("first"))
    await asyncio.sleep(0)
    queued = asyncio.ensure_future(hold("queued"))
    await asyncio.sleep(0)
    with pytest.raises(SandboxBusy) as info:
        async with limiter.slot():
            pass
    assert info.value.retry_after_s == 2 and limiter.in_flight == 1 and limiter.waiting == 1
    release.set()
    await asyncio.gather(first, queued)
    assert order == ["first", "queued"]


def start_sandbox_serve(**settings: str) -> Tuple[subprocess.Popen, str]:
    """`ue-bridge sandbox-serve` on a free loopback port with `UE_BRIDGE_SANDBOX__<NAME>` settings; (process, URL)."""
    env = {**os.environ, **{f"UE_BRIDGE_SANDBOX__{name.upper()}": value for name, value in settings.items()}}
    proc = subprocess.Popen(
        [sys.executable, "-m", "bridge", "sandbox-serve", "--port", "0"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if "listening on" not in line:
        proc.kill()
        _, err = proc.communicate(timeout=20)
        raise AssertionError(f"sandbox-serve did not start: {line}{err}")
    return proc, line.strip().rsplit(" ", 1)[-1]


@pytest.fixture
def remote_sandbox(cache_dir: str) -> Any:
    """`ue-bridge sandbox-serve` in a second process on loopback, with a token."""
    proc, url = start_sandbox_serve(sandbox_token="remote-token", warm_pool_size="0", cache_dir=cache_dir)
    yield url
    proc.terminate()
    proc.communicate(timeout=20)
    assert proc.returncode == 0


@pytest.mark.parametrize("host", ["0.0.0.0", "192.0.2.10"])
def test_sandbox_serve_refuses_a_non_loopback_address_without_a_token(host: str) -> None:
    env = {k: v for k, v in os.environ.items() if k != "UE_BRIDGE_SANDBOX__SANDBOX_TOKEN"}
    result = subprocess.run(
        [sys.executable, "-m", "bridge", "sandbox-serve", "--host", host, "--port", "0"],
        env=env, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 2 and "requires a token (--token)" in result.stderr, result


def front_app(settings: SandboxSettings) -> web.Application:
    """A bridge-side app whose sandbox routes forward to `settings.sandbox_url`."""
    app = web.Application(middlewares=[error_middleware])
    app[state.ROUTE_DOCS] = []
    sandbox_api.setup(app, settings)
    return app


async def test_bridge_forwards_to_a_remote_sandbox(aiohttp_client: Any, cache_dir: str, remote_sandbox: str) -> None:
    front = await aiohttp_client(
        front_app(
            make_settings(
                cache_dir, sandbox_url=remote_sandbox, sandbox_token="remote-token", bwrap_path="/nonexistent"
            )
        )
    )
    resp = await front.post("/api/execute", json={"code": "print('remote hi')", "language": "python"})
    assert resp.status == 200 and (await resp.json())["stdout"] == "remote hi\n"
    bad = await front.post("/api/execute", json={"code": "x", "language": "cobol"})
    assert bad.status == 400 and (await bad.json())["detail"] == "Unsupported language or version: cobol"
    slow = await front.post(
        "/api/execute",
        json={
            "code": "import time\nprint(1, flush=True)\ntime.sleep(9)",
            "language": "python",
            "timeout_ms": 500,
        },
    )
    assert slow.status == 408 and (await slow.json())["stdout"] == "1\n"
    runtimes = await (await front.get("/api/runtimes")).json()
    assert len(runtimes["runtimes"]) == 8
    health = await front.get("/api/health")
    data = await health.json()
    assert health.status == 200 and data["remote"]["url"] == remote_sandbox and data["cgroup_mode"] == "remote"


async def test_remote_with_wrong_token_or_down(aiohttp_client: Any, cache_dir: str, remote_sandbox: str) -> None:
    wrong: TestClient = await aiohttp_client(
        front_app(make_settings(cache_dir, sandbox_url=remote_sandbox, sandbox_token="nope"))
    )
    resp = await wrong.post("/api/execute", json={"code": "print(1)", "language": "python"})
    assert resp.status == 401
    down: TestClient = await aiohttp_client(front_app(make_settings(cache_dir, sandbox_url="http://127.0.0.1:9")))
    resp = await down.post("/api/execute", json={"code": "print(1)", "language": "python"})
    assert resp.status == 503 and "did not answer" in (await resp.json())["detail"]
    health = await down.get("/api/health")
    assert health.status == 503 and (await health.json())["remote"]["status"] == "unreachable"


@pytest.mark.parametrize("language", ["python", "javascript", "ruby"])
async def test_warm_boxes_behave_like_cold_ones(pooled: SandboxRunner, language: str) -> None:
    progs = PROGRAMS[language]
    await _wait_ready(pooled, language)
    hello = await run(pooled, language, progs["echo"], stdin="world\n")
    assert (hello.status, hello.stdout) == ("ok", "hello world\n"), hello
    await _wait_ready(pooled, language)
    exited = await run(pooled, language, progs["exit"])
    assert (exited.status, exited.exit_code) == ("runtime_error", 7), exited
    await _wait_ready(pooled, language)
    broken = await run(pooled, language, progs["broken"])
    assert broken.status == "runtime_error" and "yntax" in broken.stderr, broken
    await _wait_ready(pooled, language)
    crashed = await run(pooled, language, progs["crash"])
    assert crashed.status == "runtime_error" and "boom here" in crashed.stderr, crashed


async def test_a_killed_service_leaves_no_box_behind(cache_dir: str) -> None:
    proc, url = start_sandbox_serve(warm_pool_size="1", cache_dir=cache_dir)
    code = "import subprocess\nsubprocess.run(['sleep', '987.6'])"
    async with aiohttp.ClientSession() as http:
        request = asyncio.ensure_future(
            http.post(url + "/api/execute", json={"code": code, "language": "python", "timeout_ms": 30000})
        )
        for _ in range(200):
            if processes_with("987.6"):
                break
            await asyncio.sleep(0.05)
        assert processes_with("987.6"), "the run never started"
        proc.kill()  # SIGKILL: the service gets no chance to clean up
        proc.communicate(timeout=20)
        with pytest.raises(aiohttp.ClientError):
            await request
    marker = f"ue-bridge-sandbox-{proc.pid}-"  # the dead service's private dir, in every box's bwrap argv
    for _ in range(100):
        if not processes_with("987.6") and not processes_with(marker):
            break
        await asyncio.sleep(0.05)
    assert not processes_with("987.6") and not processes_with(marker)
