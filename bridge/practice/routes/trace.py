"""`POST /api/problems/{id}/trace`: the learner's Python function traced step by step on one public test."""

from __future__ import annotations

import asyncio
import json
from typing import Any, AsyncIterator, Dict, List, Optional

from aiohttp import web
from pydantic import Field

from ...trace import TraceRunError, TraceRunner, TraceSettings
from ..errors import PracticeError, invalid, not_found
from ..judge.signature import Signature
from ..models import Strict
from ..state import json_reply, read_body, session
from ..tables import Problem

MAX_STEPS = 2000

routes = web.RouteTableDef()


class TraceCaseRequest(Strict):
    code: str = Field(..., min_length=1, max_length=100_000)
    case_index: int = Field(..., ge=0)
    language: str = "python"


class Tracer:
    """The bridge's tracer, started on the first trace: most practice servers never trace, and its boxes cost."""

    def __init__(self, settings: TraceSettings) -> None:
        self.runner = TraceRunner(settings)
        self._started = False
        self._lock = asyncio.Lock()

    async def ready(self) -> TraceRunner:
        async with self._lock:
            if not self._started:
                self._started = True
                await self.runner.start()
        return self.runner

    async def close(self) -> None:
        if self._started:
            await self.runner.close()


TRACER = web.AppKey("practice_tracer", Tracer)


def traced_program(code: str, signature: Signature, args: List[Any]) -> str:
    """The learner's code, then one call of their function on the case's input, found as the judge finds it."""
    # JSON values decoded are Python values, and their repr is the literal a learner would type.
    literals = ", ".join(repr(value) for value in json.loads(json.dumps(args)))
    name = signature.function
    return f"{code.rstrip()}\n\nreturned = ({name} if {name!r} in globals() else Solution().{name})({literals})\n"


def public_case(problem: Problem, index: int) -> Dict[str, Any]:
    """Test `index` (0-based: the judge's `test_case` minus 1) when it is public; hidden inputs stay secret."""
    tests = problem.test_cases
    if index >= len(tests):
        raise invalid(f"case_index must be between 0 and {len(tests) - 1}, got {index}")
    case = tests[index]
    if not case.get("public"):
        raise PracticeError(403, f"Test {index + 1} is hidden: only public tests can be traced")
    return case


@routes.post("/api/problems/{id}/trace")
async def trace_case(request: web.Request) -> web.Response:
    body = await read_body(request, TraceCaseRequest)
    if body.language != "python":
        raise invalid(f"Only Python can be traced step by step, got language '{body.language}'")
    async with session(request) as s:
        problem = await s.get(Problem, request.match_info["id"])
        if problem is None:
            raise not_found("Problem not found")
        case = public_case(problem, body.case_index)
        signature = Signature.from_dict(problem.signature)
    runner = await request.app[TRACER].ready()
    if runner.reason is not None:
        raise PracticeError(503, f"Tracing is not available here: {runner.reason}")
    code = traced_program(body.code, signature, case["input"])
    try:
        outcome = await runner.run(code, "", trace=True, max_steps=MAX_STEPS)
    except TraceRunError as exc:
        raise PracticeError(503, f"The trace could not run: {exc}") from None
    return json_reply({"problem_id": problem.id, "case_index": body.case_index, "input": case["input"],
                       "expected": case["expected"], "code": code, "status": outcome.status,
                       "steps": outcome.steps, "total_steps": len(outcome.raw_steps), "stdout": outcome.stdout,
                       "error": outcome.error, "execution_time": outcome.execution_time})


def setup(app: web.Application, settings: Optional[TraceSettings] = None) -> None:
    """The route and a tracer of its own: user code runs in the tracer's boxes, never in this process."""
    app[TRACER] = Tracer(settings or TraceSettings(pool_size=1))
    app.router.add_routes(routes)
    app.cleanup_ctx.append(_tracer)


async def _tracer(app: web.Application) -> AsyncIterator[None]:
    try:
        yield
    finally:
        await app[TRACER].close()
