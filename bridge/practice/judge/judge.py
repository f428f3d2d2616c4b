"""Judge: run a submission's harness in the sandbox and turn the run into a verdict."""

from __future__ import annotations

import hashlib
from typing import Any, Dict, List, Protocol

from ...sandbox import ExecuteRequest, ExecuteResponse, ExecutionTimedOut, SandboxRunner
from ...sandbox.errors import SandboxBusy, SandboxError
from ..errors import PracticeError
from . import cpp, java, javascript, python
from .signature import Signature
from .verdict import Verdict, judge_output


class Harness(Protocol):
    def program(self, code: str, signature: Signature, inputs: List[List[Any]], marker: str) -> str: ...

    def starter(self, signature: Signature) -> str: ...


HARNESSES: Dict[str, Any] = {"python": python, "javascript": javascript, "java": java, "cpp": cpp}


def starters(signature: Signature) -> Dict[str, str]:
    return {language: harness.starter(signature) for language, harness in HARNESSES.items()}


class Judge:
    """Judges submissions in the sandbox runner: the same boxes, limits, build cache and warm pools."""

    def __init__(self, runner: SandboxRunner, timeout_ms: int, memory_mb: int) -> None:
        self.runner, self.timeout_ms, self.memory_mb = runner, timeout_ms, memory_mb

    async def judge(self, language: str, code: str, signature: Signature, tests: List[Dict[str, Any]]) -> Verdict:
        # The marker depends only on the code, so an unchanged compiled submission hits the build cache.
        marker = "@@judge-" + hashlib.sha256(f"{language}\0{code}".encode()).hexdigest()[:20]
        source = HARNESSES[language].program(code, signature, [t["input"] for t in tests], marker)
        request = ExecuteRequest(code=source, language=language, timeout_ms=self.timeout_ms, memory_mb=self.memory_mb)
        try:
            run: ExecuteResponse = await self.runner.run(request)
        except ExecutionTimedOut as exc:
            run = exc.result
        except SandboxBusy as exc:
            raise PracticeError(503, f"The judge is busy; retry in {exc.retry_after_s} s", "SERVICE_UNAVAILABLE",
                                headers={"Retry-After": str(exc.retry_after_s)}) from exc
        except SandboxError as exc:
            raise PracticeError(503, f"The judge cannot run code here: {exc.detail}", "SERVICE_UNAVAILABLE") from exc
        return judge_output(run, marker, tests, signature.returns)
