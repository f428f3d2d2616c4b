"""Every shipped problem's reference solution is accepted in every language, and its starter code is not."""

from __future__ import annotations

from typing import Any, AsyncIterator

import pytest

from bridge.practice.catalogue import load_problems
from bridge.practice.judge.judge import HARNESSES, Judge
from bridge.sandbox import SandboxRunner, SandboxSettings
from tests.needs import missing

pytestmark = pytest.mark.slow
SHIPPED = load_problems()


@pytest.fixture
async def judge(build_cache: str) -> AsyncIterator[Judge]:
    runner = SandboxRunner(SandboxSettings(cache_dir=build_cache, warm_pool_size=0))
    await runner.start()
    if runner.reason is not None:
        await runner.close()
        missing(f"the sandbox cannot judge here: {runner.reason}")
    yield Judge(runner, timeout_ms=10000, memory_mb=256)
    await runner.close()


@pytest.mark.parametrize("language", list(HARNESSES))
@pytest.mark.parametrize("problem", SHIPPED, ids=[p.slug for p in SHIPPED])
async def test_reference_solution_is_accepted(judge: Judge, problem: Any, language: str) -> None:
    verdict = await judge.judge(language, problem.solutions[language], problem.signature, problem.tests)
    assert verdict.status == "accepted", (verdict.error, verdict.test_results)
    assert verdict.passed == verdict.total == len(problem.tests)


@pytest.mark.parametrize("language", list(HARNESSES))
async def test_starter_code_runs_but_is_not_accepted(judge: Judge, language: str) -> None:
    problem = SHIPPED[0]
    starter = HARNESSES[language].starter(problem.signature)
    verdict = await judge.judge(language, starter, problem.signature, problem.tests)
    assert verdict.status == "wrong_answer", verdict.error  # it compiles and returns an empty value
