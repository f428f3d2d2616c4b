"""POST /api/v1/python/execute through the real server: output, logs, results, errors."""
from __future__ import annotations

import asyncio
import threading
import time

import aiohttp

from bridge.host import BridgeHost

from .helpers import execute, job


async def test_print_and_log_levels_are_captured_in_order(http: aiohttp.ClientSession) -> None:
    code = (
        "import unreal, sys\n"
        "print('first')\n"
        "unreal.log('info line')\n"
        "unreal.log_warning('careful')\n"
        "unreal.log_error('broken')\n"
        "print('to stderr', file=sys.stderr)\n"
    )
    reply = await execute(http, code)
    assert reply["_status"] == 200
    assert reply["success"] is True and reply["status"] == "completed"
    assert reply["output"] == "first\ninfo line\nWarning: careful\nError: broken\nto stderr\n"
    levels = [(entry["level"], entry["message"]) for entry in reply["logs"]]
    assert levels == [
        ("info", "Execution started"),
        ("info", "info line"),
        ("warning", "careful"),
        ("error", "broken"),
        ("info", "Script completed"),
    ]
    assert all(entry["time"].endswith("Z") for entry in reply["logs"])


async def test_log_capture_is_teed_to_the_editor_log(http: aiohttp.ClientSession) -> None:
    import mock_unreal.unreal._logging as editor_log

    await execute(http, "import unreal\nunreal.log_warning('teed to the output log')")
    assert ("Warning", "teed to the output log") in [(line.verbosity, line.message) for line in editor_log.lines()]


async def test_traceback_names_the_job_with_correct_line_numbers(http: aiohttp.ClientSession) -> None:
    reply = await execute(http, "x = 1\n\ndef broken():\n    return 1 / 0\n\nbroken()\n")
    assert reply["success"] is False and reply["status"] == "failed"
    assert reply["error"] == "ZeroDivisionError: division by zero"
    assert reply["error_type"] == "ZeroDivisionError"
    tb = reply["traceback"]
    assert f'File "<job:{reply["job_id"]}>", line 6, in <module>' in tb
    assert f'File "<job:{reply["job_id"]}>", line 4, in broken' in tb
    assert "return 1 / 0" in tb
    assert "bridge" not in tb  # no frames of the bridge itself


async def test_syntax_error_reports_its_line(http: aiohttp.ClientSession) -> None:
    reply = await execute(http, "ok = 1\nif True print('x')\n")
    assert reply["error_type"] == "SyntaxError"
    assert "line 2" in reply["traceback"]


async def test_eval_mode_returns_the_repr(http: aiohttp.ClientSession) -> None:
    reply = await execute(http, "[1, 2] * 2", mode="eval")
    assert reply["result"] == "[1, 2, 1, 2]"
    none_reply = await execute(http, "None", mode="eval")
    assert none_reply["result"] == "None"


async def test_eval_mode_rejects_statements(http: aiohttp.ClientSession) -> None:
    reply = await execute(http, "x = 1", mode="eval")
    assert reply["status"] == "failed" and reply["error_type"] == "SyntaxError"


async def test_last_expression_of_exec_is_the_result(http: aiohttp.ClientSession) -> None:
    assert (await execute(http, "a = 1\nb = 2\na + b"))["result"] == "3"
    assert (await execute(http, "x = 5"))["result"] is None
    assert (await execute(http, "print('hi')"))["result"] is None  # None values are not shown, like a prompt


async def test_each_job_gets_fresh_main_globals(http: aiohttp.ClientSession) -> None:
    await execute(http, "leaked = 1")
    reply = await execute(http, "print(__name__, 'leaked' in globals())")
    assert reply["output"] == "__main__ False\n"


async def test_sessions_keep_globals_between_jobs(http: aiohttp.ClientSession) -> None:
    await execute(http, "counter = 41", session_id="repl-1")
    reply = await execute(http, "counter += 1\ncounter", session_id="repl-1")
    assert reply["result"] == "42"
    other = await execute(http, "'counter' in globals()", session_id="repl-2")
    assert other["result"] == "False"


async def test_session_expires_when_idle(start_bridge) -> None:  # type: ignore[no-untyped-def]
    host = start_bridge(session_ttl_seconds=0.2)
    async with aiohttp.ClientSession(base_url=host.url) as http:
        await execute(http, "value = 1", session_id="short")
        await asyncio.sleep(0.4)
        reply = await execute(http, "'value' in globals()", session_id="short")
    assert reply["result"] == "False"


async def test_system_exit_and_base_exceptions_fail_only_the_job(http: aiohttp.ClientSession) -> None:
    for code, kind in [
        ("raise SystemExit(3)", "SystemExit"),
        ("raise KeyboardInterrupt", "KeyboardInterrupt"),
        ("class Odd(BaseException): pass\nraise Odd('x')", "Odd"),
        ("import sys; sys.exit('bye')", "SystemExit"),
    ]:
        reply = await execute(http, code)
        assert reply["status"] == "failed" and reply["error_type"] == kind, reply
    assert (await execute(http, "1 + 1"))["result"] == "2"  # the bridge still serves


async def test_input_raises_eof_at_once(http: aiohttp.ClientSession) -> None:
    reply = await execute(http, "input('name? ')", timeout=5)
    assert reply["status"] == "failed"
    assert reply["error_type"] == "EOFError"
    assert reply["output"] == "name? "


async def test_output_over_the_limit_is_cut(start_bridge) -> None:  # type: ignore[no-untyped-def]
    host = start_bridge(output_limit_bytes=2048)
    async with aiohttp.ClientSession(base_url=host.url) as http:
        reply = await execute(http, "for i in range(1000):\n    print('x' * 10)")
        small = await execute(http, "print('é' * 10)")
    assert reply["status"] == "completed"
    assert reply["output_truncated"] is True
    assert len(reply["output"].encode()) == 2048
    assert small["output_truncated"] is False and small["output"] == "é" * 10 + "\n"


async def test_prints_from_other_threads_do_not_land_in_the_job(http: aiohttp.ClientSession) -> None:
    stop = threading.Event()

    def chatter() -> None:
        while not stop.is_set():
            print("from another thread")
            time.sleep(0.001)

    thread = threading.Thread(target=chatter, daemon=True)
    thread.start()
    try:
        replies = [await execute(http, f"import time\nprint('mine {i}')\ntime.sleep(0.01)") for i in range(5)]
    finally:
        stop.set()
        thread.join()
    for i, reply in enumerate(replies):
        assert reply["output"] == f"mine {i}\n"


async def test_concurrent_requests_each_get_their_own_output(http: aiohttp.ClientSession) -> None:
    async def one(i: int) -> None:
        reply = await execute(http, f"import unreal\nprint('job {i}')\nunreal.log('log {i}')\n{i} * 2")
        assert reply["output"] == f"job {i}\nlog {i}\n"
        assert reply["result"] == str(i * 2)

    await asyncio.gather(*(one(i) for i in range(100)))


async def test_async_job_is_accepted_then_polled(http: aiohttp.ClientSession) -> None:
    reply = await execute(http, "import time\ntime.sleep(0.3)\nprint('done')\n'value'", **{"async": True})
    assert reply["_status"] == 202
    assert reply == {"_status": 202, "success": True, "job_id": reply["job_id"], "status": "pending"}
    detail = await job(http, reply["job_id"])
    assert detail["status"] in ("pending", "running")
    assert "ended_at" not in detail and "error" not in detail
    for _ in range(200):
        detail = await job(http, reply["job_id"])
        if detail["status"] == "completed":
            break
        await asyncio.sleep(0.05)
    assert detail["status"] == "completed"
    assert detail["output"] == "done\n" and detail["result"] == "'value'"
    assert detail["ended_at"].endswith("Z") and detail["duration_ms"] >= 300


async def test_named_jobs_are_listed_newest_first(http: aiohttp.ClientSession) -> None:
    first = await execute(http, "1", name="first")
    second = await execute(http, "2", name="second")
    async with http.get("/api/v1/python/jobs") as response:
        jobs = (await response.json())["jobs"]
    assert [j["id"] for j in jobs[:2]] == [second["job_id"], first["job_id"]]
    assert jobs[0]["name"] == "second"
    assert set(jobs[0]) >= {"id", "status", "started_at", "created_at", "ended_at", "name", "duration_ms"}


async def test_info_says_which_editor_this_is(http: aiohttp.ClientSession) -> None:
    async with http.get("/api/v1/python/info") as response:
        info = await response.json()
    assert info["success"] is True and info["mock"] is True
    assert info["engine_version"].startswith("5.")
    assert info["project_name"] and info["project_dir"]
    assert info["python_version"].count(".") == 2
    assert info["bridge_version"] and isinstance(info["pid"], int)


async def test_the_list_shows_the_newest_hundred_and_older_jobs_stay_readable(
    bridge: BridgeHost, http: aiohttp.ClientSession
) -> None:
    first = await execute(http, "print('first')\n0")
    ids = [(await execute(http, f"{i}"))["job_id"] for i in range(1, 105)]
    async with http.get("/api/v1/python/jobs") as response:
        listed = [j["id"] for j in (await response.json())["jobs"]]
    assert listed == list(reversed(ids))[:100]  # pending and running ones are always listed
    assert first["job_id"] not in listed
    assert bridge.runner.job(first["job_id"]) is None  # its live handle is gone...
    detail = await job(http, first["job_id"])  # ...its run is still in the history
    assert detail["status"] == "completed" and detail["output"] == "first\n" and detail["result"] == "0"
    async with http.get("/api/v1/python/job", params={"id": "no-such-job"}) as response:
        assert response.status == 404 and (await response.json())["error_code"] == "JOB_NOT_FOUND"
