"""What a user of the tracer notices, run through real worker processes."""

from __future__ import annotations

import json
from typing import Any, Dict, List

from bridge.trace import TraceRunner


def events(steps: List[Dict[str, Any]]) -> List[str]:
    return [s["event"] for s in steps]


async def test_steps_are_numbered_and_carry_their_source_line(runner: TraceRunner) -> None:
    out = await runner.run("x = 1\ny = x + 1\n")
    assert out.status == "completed"
    assert [s["step"] for s in out.steps] == [1, 2, 3]
    assert [s["code"] for s in out.steps] == ["x = 1", "y = x + 1", "y = x + 1"]
    assert out.steps[-1]["globals"] == {"x": 1, "y": 2}
    assert list(out.steps[0]) [:8] == ["line", "event", "func_name", "globals", "ordered_globals",
                                       "stack_to_render", "heap", "stdout"]


async def test_library_code_and_class_bodies_are_not_traced(runner: TraceRunner) -> None:
    code = "import json\nclass A:\n    a = 1\n    b = 2\ns = json.dumps([1])\nr = sorted([3, 1])\n"
    out = await runner.run(code)
    assert {s["func_name"] for s in out.steps} == {"<module>"}
    assert [s["line"] for s in out.steps] == [1, 2, 5, 6, 6]


async def test_repr_is_not_traced_but_str_is_user_code(runner: TraceRunner) -> None:
    code = "class A:\n    def __repr__(self):\n        return 'A!'\na = A()\ntext = repr(a)\n"
    out = await runner.run(code)
    assert "__repr__" not in {s["func_name"] for s in out.steps}
    assert out.steps[-1]["globals"]["text"] == "A!"


async def test_recursion_shows_every_frame_oldest_first(runner: TraceRunner) -> None:
    code = "def f(n):\n    if n == 0:\n        return 0\n    return f(n - 1)\nf(2)\n"
    out = await runner.run(code)
    deepest = max(out.steps, key=lambda s: len(s.get("stack_to_render", [])))
    frames = deepest["stack_to_render"]
    assert [(fr["func_name"], fr["encoded_locals"]["n"]) for fr in frames] == [("f", 2), ("f", 1), ("f", 0)]
    assert [fr["is_highlighted"] for fr in frames] == [False, False, True]
    assert [fr["frame_id"] for fr in frames] == sorted(fr["frame_id"] for fr in frames)
    assert frames[-1]["unique_hash"] == f"f_f{frames[-1]['frame_id']}"


async def test_closure_frame_names_its_parent(runner: TraceRunner) -> None:
    code = "def outer():\n    k = 7\n    def inner():\n        return k\n    return inner\ng = outer()\ng()\n"
    out = await runner.run(code)
    call = next(s for s in out.steps if s["event"] == "call" and s["func_name"] == "inner")
    parent, child = call["stack_to_render"]
    assert parent["is_zombie"] and parent["is_parent"] and parent["unique_hash"].endswith("_p_z")
    assert parent["encoded_locals"]["k"] == 7
    assert child["parent_frame_id_list"] == [parent["frame_id"]]
    ref = call["globals"]["g"][1]
    assert call["heap"][str(ref)][:3] == ["FUNCTION", "inner()", parent["frame_id"]]


async def test_step_limit_keeps_every_step_and_ends_with_the_limit_entry(runner: TraceRunner) -> None:
    out = await runner.run("while True:\n    pass\n", max_steps=50)
    assert out.status == "limit_reached"
    assert len(out.steps) == 51
    assert events(out.steps)[:-1] == ["step_line"] * 50
    assert out.steps[-1]["event"] == "instruction_limit_reached"
    assert "50 steps" in out.steps[-1]["exception_msg"]


async def test_bare_except_cannot_swallow_the_step_limit(runner: TraceRunner) -> None:
    code = "while True:\n    try:\n        x = 1\n    except:\n        pass\n"
    out = await runner.run(code, max_steps=300)
    assert out.status == "limit_reached"
    assert len(out.steps) == 301


async def test_untraced_infinite_loop_is_stopped_by_the_wall_limit_with_partial_trace(
        runner: TraceRunner) -> None:
    # Switching the tracer off leaves only the worker's hard limits to stop the loop.
    code = "import sys\nprint('started')\nsys.settrace(None)\nwhile True:\n    pass\n"
    out = await runner.run(code)
    assert out.status == "timeout"
    assert out.error is not None and out.error["type"] == "TimeoutError"
    assert out.steps and out.steps[-1]["stdout"] == "started\n"


async def test_input_echoes_prompt_and_answer(runner: TraceRunner) -> None:
    out = await runner.run("a = input('a? ')\nb = input()\nprint(a + b)\n", "x\ny")
    assert out.status == "completed"
    assert out.stdout == "a? x\ny\nxy\n"


async def test_input_running_out_ends_with_raw_input_step(runner: TraceRunner) -> None:
    out = await runner.run("a = input('a? ')\nb = input('b? ')\n", ["1"])
    assert out.status == "awaiting_input"
    last = out.steps[-1]
    assert (last["event"], last["prompt"], last["status"]) == ("raw_input", "b? ", "awaiting_input")
    assert out.steps[-2]["globals"] == {"a": "1"}


async def test_interactive_input_continues_the_same_run(runner: TraceRunner) -> None:
    prompts: List[str] = []

    async def ask(prompt: str) -> str:
        prompts.append(prompt)
        return "42"

    code = "import random\nr = random.random()\nv = input('v? ')\nprint(v, r)\n"
    out = await runner.run(code, "", ask=ask)
    assert out.status == "completed"
    assert prompts == ["v? "]
    assert out.stdout.startswith("v? 42\n42 ")
    assert [s["step"] for s in out.steps] == list(range(1, len(out.steps) + 1))


async def test_big_cyclic_and_hostile_values_stay_small(runner: TraceRunner) -> None:
    code = ("big = list(range(10**6))\nd = dict.fromkeys(range(10**5), 0)\ncyc = []\ncyc.append(cyc)\n"
            "class Bad:\n    def __str__(self):\n        raise ValueError\nb = Bad()\ns = 'x' * 10**6\n")
    out = await runner.run(code)
    assert out.status == "completed"
    last = out.steps[-1]
    assert len(json.dumps(last)) < 20_000
    heap = last["heap"]
    big = heap[str(last["globals"]["big"][1])]
    assert big[0] == "LIST" and big[-1] == "... (999900 more items)"
    cyc_id = last["globals"]["cyc"][1]
    assert heap[str(cyc_id)] == ["LIST", ["REF", cyc_id]]
    assert heap[str(last["globals"]["b"][1])][2] == "<str() raised ValueError>"
    assert last["globals"]["s"].endswith("(999000 more characters)")


async def test_heap_ids_are_stable_across_steps(runner: TraceRunner) -> None:
    out = await runner.run("a = [1]\nb = 2\nc = a\n")
    refs = [s["globals"]["a"] for s in out.steps if "a" in s.get("globals", {})]
    assert len({tuple(r) for r in refs}) == 1
    assert out.steps[-1]["globals"]["c"] == refs[0]


async def test_syntax_error_is_one_step_with_line_and_offset(runner: TraceRunner) -> None:
    out = await runner.run("x = 1\nif x\n")
    assert out.status == "error"
    assert len(out.steps) == 1
    step = out.steps[0]
    assert (step["event"], step["line"], step["offset"]) == ("uncaught_exception", 2, 5)
    assert out.error is not None and out.error["type"] == "SyntaxError" and out.error["line"] == 2


async def test_uncaught_exception_reports_user_frames_only(runner: TraceRunner) -> None:
    out = await runner.run("import json\njson.loads('{')\n")
    assert out.status == "error"
    assert out.error is not None and out.error["type"] == "JSONDecodeError" and out.error["line"] == 2
    assert "json/decoder.py" not in out.error["traceback"]
    assert out.steps[-1]["event"] == "exception"
    assert out.stderr is not None and "JSONDecodeError" in out.stderr


async def test_untraced_run_gives_output_without_steps(runner: TraceRunner) -> None:
    out = await runner.run("for i in range(3):\n    print(i, end=' ')\n", trace=False)
    assert (out.status, out.stdout, out.steps) == ("completed", "0 1 2 ", [])


async def test_untraced_run_reports_errors(runner: TraceRunner) -> None:
    out = await runner.run("print('a')\n1/0\n", trace=False)
    assert out.status == "error" and out.stdout == "a\n"
    assert out.error is not None and (out.error["type"], out.error["line"]) == ("ZeroDivisionError", 2)
