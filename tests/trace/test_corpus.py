"""Conformance corpus: every program in corpus/ against its reviewed expected trace, compared semantically.

Regenerate after an intended change with TRACE_UPDATE_EXPECTED=1, then review the diff of corpus/expected/.
"""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path
from typing import Any, Dict

import pytest

from bridge.trace import TraceRunner, TraceSettings

from .opt import semantic_trace

CORPUS = Path(__file__).parent / "corpus"
EXPECTED = CORPUS / "expected"
PROGRAMS = sorted(CORPUS.glob("*.txt"))


def options_of(source: str) -> Dict[str, Any]:
    """The `# options: {json}` header of a corpus program, if any."""
    first = source.splitlines()[0] if source else ""
    return json.loads(first[len("# options:"):]) if first.startswith("# options:") else {}


async def _run_all() -> Dict[str, Dict[str, Any]]:
    runner = TraceRunner(TraceSettings(pool_size=2, max_concurrent_runs=2, wall_time_s=20))
    await runner.start()

    async def one(path: Path) -> Dict[str, Any]:
        source = path.read_text(encoding="utf-8")
        opts = options_of(source)
        outcome = await runner.run(source, opts.get("user_input", ""), max_steps=opts.get("max_steps"),
                                   breakpoints=opts.get("breakpoints"), allowed_modules=opts.get("allowed_modules"))
        return {"status": outcome.status, "stdout": outcome.stdout,
                "error_type": outcome.error["type"] if outcome.error else None,
                "error_line": outcome.error["line"] if outcome.error else None,
                "steps": semantic_trace(outcome.steps)}

    try:
        results = await asyncio.gather(*(one(p) for p in PROGRAMS))
    finally:
        await runner.close()
    return {p.stem: r for p, r in zip(PROGRAMS, results)}


def dump_expected(result: Dict[str, Any]) -> str:
    """JSON with one step per line, so a review diff shows which steps changed."""
    head = {k: v for k, v in result.items() if k != "steps"}
    lines = [json.dumps(step, ensure_ascii=False) for step in result["steps"]]
    summary = json.dumps(head, ensure_ascii=False)
    body = ",\n".join(lines)
    return f"{{\"summary\": {summary},\n\"steps\": [\n{body}\n]}}\n"


def load_expected(path: Path) -> Dict[str, Any]:
    """Inverse of dump_expected."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return {**data["summary"], "steps": data["steps"]}


@pytest.fixture(scope="module")
def corpus_results() -> Dict[str, Dict[str, Any]]:
    """Every corpus program traced once, through real workers."""
    return asyncio.run(_run_all())


def test_corpus_is_big_enough() -> None:
    assert len(PROGRAMS) >= 40


@pytest.mark.parametrize("path", PROGRAMS, ids=[p.stem for p in PROGRAMS])
def test_program_trace_matches_expected(path: Path, corpus_results: Dict[str, Dict[str, Any]]) -> None:
    actual = corpus_results[path.stem]
    expected_file = EXPECTED / (path.stem + ".json")
    if os.environ.get("TRACE_UPDATE_EXPECTED"):
        EXPECTED.mkdir(exist_ok=True)
        expected_file.write_text(dump_expected(actual), encoding="utf-8")
    expected = load_expected(expected_file)
    assert actual["status"] == expected["status"]
    assert actual["stdout"] == expected["stdout"]
    assert (actual["error_type"], actual["error_line"]) == (expected["error_type"], expected["error_line"])
    assert len(actual["steps"]) == len(expected["steps"])
    for number, (got, want) in enumerate(zip(actual["steps"], expected["steps"]), start=1):
        assert got == want, f"step {number} differs"
