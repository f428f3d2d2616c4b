"""`POST /api/problems/{id}/trace`: a learner's Python traced on a public case in the tracer's box, real HTTP."""

from __future__ import annotations

from typing import Any, Dict, List

import aiohttp
import pytest

from bridge.practice.routes.trace import TRACER
from bridge.trace import TraceRunner, TraceSettings
from tests.needs import missing

from .fixtures import sign_up

TWO_SUM = "two-sum"
WRONG = "def twoSum(nums, target):\n    first = nums[0]\n    return [0, 0]\n"


async def problem_id(http: aiohttp.ClientSession, headers: Dict[str, str], title: str = "Two Sum") -> str:
    async with http.get("/api/problems?limit=100", headers=headers) as response:
        reply = await response.json()
    return next(p["id"] for p in reply["problems"] if p["title"] == title)


async def trace(http: aiohttp.ClientSession, headers: Dict[str, str], pid: str, body: Any) -> Any:
    async with http.post(f"/api/problems/{pid}/trace", json=body, headers=headers) as response:
        return response.status, await response.json()


def returned_value(steps: List[Dict[str, Any]]) -> Any:
    """What `returned` holds at the last step, read through the heap as the stepper draws it."""
    last = steps[-1]
    value = last["globals"]["returned"]
    if isinstance(value, list) and value[:1] == ["REF"]:
        return last["heap"][str(value[1])]
    return value


async def test_a_public_case_is_traced_to_the_value_the_function_returned(
        http: aiohttp.ClientSession, request: Any) -> None:
    _, headers = await sign_up(http)
    pid = await problem_id(http, headers)
    status, reply = await trace(http, headers, pid, {"code": WRONG, "case_index": 1})
    reason = request.node.practice_app[TRACER].runner.reason
    if reason is not None:
        missing(f"the tracer cannot run here: {reason}")
    assert status == 200, reply
    assert reply["status"] == "completed", reply
    assert reply["input"] == [[3, 2, 4], 6] and reply["expected"] == [1, 2]
    assert reply["code"].startswith(WRONG) and reply["code"].endswith(".twoSum)([3, 2, 4], 6)\n")
    assert reply["total_steps"] == len(reply["steps"]) > 3
    lines = [step.get("line") for step in reply["steps"]]
    assert 2 in lines and 3 in lines  # the learner's own lines were stepped through
    call = next(step for step in reply["steps"] if step.get("func_name") == "twoSum")
    assert call["stack_to_render"][0]["encoded_locals"]["target"] == 6
    assert returned_value(reply["steps"]) == ["LIST", 0, 0]


async def test_an_exception_in_the_learners_code_is_in_the_trace(http: aiohttp.ClientSession, request: Any) -> None:
    _, headers = await sign_up(http)
    pid = await problem_id(http, headers)
    status, reply = await trace(http, headers, pid, {"code": "def twoSum(nums, target):\n    return nums[9]\n",
                                                     "case_index": 0})
    if request.node.practice_app[TRACER].runner.reason is not None:
        missing("the tracer cannot run here")
    assert status == 200, reply
    assert reply["status"] == "error", reply
    assert reply["error"]["type"] == "IndexError" and reply["error"]["line"] == 2  # the learner's line
    events = [step["event"] for step in reply["steps"]]
    assert "exception" in events or "uncaught_exception" in events
    assert any("IndexError" in (step.get("exception_msg") or "") for step in reply["steps"])


@pytest.mark.parametrize(("body", "status", "code", "message"), [
    ({"code": WRONG, "case_index": 2}, 403, "FORBIDDEN", "Test 3 is hidden: only public tests can be traced"),
    ({"code": WRONG, "case_index": 10}, 400, "INVALID_INPUT", "case_index must be between 0 and 9, got 10"),
    ({"code": WRONG, "case_index": -1}, 400, "INVALID_INPUT", "case_index: Input should be greater than or equal to 0"),
    ({"code": WRONG}, 400, "INVALID_INPUT", "Missing required field: case_index"),
    ({"code": WRONG, "case_index": "0"}, 400, "INVALID_INPUT", "case_index: Input should be a valid integer"),
    ({"code": "", "case_index": 0}, 400, "INVALID_INPUT", "code: String should have at least 1 character"),
    ({"code": WRONG, "case_index": 0, "language": "java"}, 400, "INVALID_INPUT",
     "Only Python can be traced step by step, got language 'java'"),
])
async def test_refused_traces_say_why_in_the_seeds_shape(http: aiohttp.ClientSession, body: Dict[str, Any],
                                                        status: int, code: str, message: str) -> None:
    _, headers = await sign_up(http)
    pid = await problem_id(http, headers)
    got, reply = await trace(http, headers, pid, body)
    assert (got, reply) == (status, {"error": message, "code": code, "status": status})


async def test_an_unknown_problem_is_404(http: aiohttp.ClientSession) -> None:
    _, headers = await sign_up(http)
    got, reply = await trace(http, headers, "no-such-problem", {"code": WRONG, "case_index": 0})
    assert (got, reply) == (404, {"error": "Problem not found", "code": "NOT_FOUND", "status": 404})


async def test_tracing_needs_a_token(http: aiohttp.ClientSession) -> None:
    _, headers = await sign_up(http)
    pid = await problem_id(http, headers)
    got, reply = await trace(http, {}, pid, {"code": WRONG, "case_index": 0})
    assert got == 401 and reply["code"] == "UNAUTHORIZED", reply


async def test_a_host_that_cannot_box_traced_code_is_503_with_the_reason(
        http: aiohttp.ClientSession, request: Any) -> None:
    tracer = request.node.practice_app[TRACER]
    tracer.runner = TraceRunner(TraceSettings(bwrap_path="/nonexistent/bwrap", pool_size=0))
    _, headers = await sign_up(http)
    pid = await problem_id(http, headers)
    got, reply = await trace(http, headers, pid, {"code": WRONG, "case_index": 0})
    reason = tracer.runner.reason
    if reason is None:
        pytest.skip("this host boxes traced code even without bubblewrap (Landlock)")
    assert (got, reply) == (503, {"error": f"Tracing is not available here: {reason}",
                                  "code": "SERVICE_UNAVAILABLE", "status": 503})
