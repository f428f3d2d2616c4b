"""The Trace page in chromium: the OPT steps drawn as Python Tutor draws them, stepped, streamed and asked for input."""
from __future__ import annotations

from typing import Any, Dict, List

import pytest

from tests.ui.conftest import BRIDGE_TOKEN, OpenPage

pytestmark = pytest.mark.slow

ALIAS = """a = [1, 2]
b = a
def grow(items):
    items.append(3)
    return len(items)
n = grow(b)
"""


async def run_trace(page: Any, code: str, *, max_steps: int = 1000) -> None:
    await page.locator("#trace-code").fill(code)
    await page.locator("#trace-max-steps").fill(str(max_steps))
    await page.get_by_role("button", name="Run", exact=True).click()


async def finished(page: Any, status: str) -> str:
    """The run's summary once the page shows `status` for it."""
    summary = page.locator(f'.trace-status[data-status="{status}"]')
    await summary.wait_for()
    return str(await summary.inner_text())


async def arrows(page: Any) -> List[Dict[str, str]]:
    """Every arrow drawn: where it starts and which heap box it points at."""
    return list(await page.locator("svg.trace-arrows path.trace-arrow").evaluate_all(
        "paths => paths.map(p => ({source: p.dataset.source, target: p.dataset.target}))"))


async def arrows_settled(page: Any) -> List[Dict[str, str]]:
    # Arrows are drawn in the animation frame after a step renders: wait until one per reference is there.
    await page.wait_for_function(
        # a function, not an expression: the page's CSP forbids the eval an expression string needs
        "() => document.querySelectorAll('svg.trace-arrows path.trace-arrow').length"
        " === document.querySelectorAll('.trace-drawing .trace-ref').length")
    return await arrows(page)


async def marked(page: Any) -> Dict[str, Any]:
    current = page.locator(".trace-line.is-current")
    previous = page.locator(".trace-line.is-previous")
    return {
        "current": await current.get_attribute("data-line") if await current.count() else None,
        "previous": await previous.get_attribute("data-line") if await previous.count() else None,
        "position": await page.locator(".trace-position").inner_text(),
    }


async def global_names(page: Any) -> List[str]:
    return list(await page.locator('.trace-frame[data-frame="global"] tr[data-var]').evaluate_all(
        "rows => rows.map(r => r.dataset.var)"))


async def test_a_list_aliased_by_two_variables_is_two_arrows_to_one_box(bridge_url: str, open_page: OpenPage,
                                                                         page: Any) -> None:
    await open_page(bridge_url, "#/trace")
    await run_trace(page, ALIAS)
    await finished(page, "completed")
    await page.locator("body").press("End")
    drawn = await arrows_settled(page)
    by_source = {arrow["source"]: arrow["target"] for arrow in drawn}
    target = by_source["frame-global-var-a"]
    assert by_source["frame-global-var-b"] == target
    assert await page.locator(f"#{target}").count() == 1
    assert await page.locator(f"#{target}").get_attribute("class") == "trace-obj is-list"
    assert await page.locator(".trace-obj.is-list").count() == 1
    items = await page.locator(f"#{target} .trace-item .trace-slot").all_inner_texts()
    assert items == ["1", "2", "3"]
    assert await page.locator('.trace-frame[data-frame="global"] tr[data-var="n"] td').inner_text() == "3"


async def test_stepping_forward_and_back_moves_the_line_marker_and_the_variables(
        bridge_url: str, open_page: OpenPage, page: Any) -> None:
    await open_page(bridge_url, "#/trace")
    await run_trace(page, ALIAS)
    await finished(page, "completed")
    await page.get_by_role("button", name="First step").click()
    first = await marked(page)
    assert first["current"] == "1" and first["previous"] is None
    assert first["position"].startswith("Step 1 of ")
    assert await global_names(page) == []

    await page.get_by_role("button", name="Next step").click()
    second = await marked(page)
    assert (second["current"], second["previous"]) == ("2", "1")
    assert await global_names(page) == ["a"]
    assert [a["source"] for a in await arrows_settled(page)] == ["frame-global-var-a"]

    await page.locator("body").press("ArrowRight")
    assert (await marked(page))["current"] == "3"
    assert await global_names(page) == ["a", "b"]

    # Forward with the keyboard into the call: a frame for grow() whose `items` points at the same list.
    grow = page.locator('.trace-frame[data-frame^="grow"]')
    for _ in range(10):
        if await grow.count():
            break
        await page.locator("body").press("ArrowRight")
    assert await grow.count() == 1
    assert await grow.get_attribute("class") == "trace-frame is-current"
    assert (await marked(page))["current"] == "3"  # the call step sits on the def line
    by_source = {a["source"]: a["target"] for a in await arrows_settled(page)}
    frame_key = await grow.get_attribute("data-frame")
    assert by_source[f"frame-{frame_key}-var-items"] == by_source["frame-global-var-a"]

    await page.get_by_role("button", name="Next step").click()
    assert (await marked(page))["current"] == "4"
    await page.get_by_role("button", name="Previous step").click()
    await page.get_by_role("button", name="Previous step").click()
    back = await marked(page)
    assert back["current"] == "6"  # the line that calls grow(), before the call
    assert await grow.count() == 0
    assert await global_names(page) == ["a", "b", "grow"]

    slider = page.get_by_role("slider", name="Step")
    assert await slider.get_attribute("max") == str(await page.evaluate(
        "Number(document.querySelector('.trace-slider').max)"))
    await slider.fill("1")
    assert (await marked(page))["current"] == "1"


async def test_input_is_asked_for_in_the_page_and_the_run_goes_on(bridge_url: str, open_page: OpenPage,
                                                                   page: Any) -> None:
    await open_page(bridge_url, "#/trace")
    await answer_two_questions(page)


async def test_input_over_socketio_carries_the_token(token_bridge_url: str, open_page: OpenPage, page: Any) -> None:
    await page.add_init_script(f"sessionStorage.setItem('ue-bridge-token', {BRIDGE_TOKEN!r})")
    await open_page(token_bridge_url, "#/trace")
    await answer_two_questions(page)


async def answer_two_questions(page: Any) -> None:
    await run_trace(page, 'name = input("Name? ")\ncolour = input("Colour? ")\nprint(name, "likes", colour)\n')
    ask = page.locator("form.trace-ask")
    await ask.locator("label", has_text="Name?").wait_for()
    await page.locator("#trace-answer").fill("Ada")
    await page.locator("#trace-answer").press("Enter")
    # The second question comes over Socket.IO from the same, still running, program.
    await ask.locator("label", has_text="Colour?").wait_for()
    assert await page.locator("#trace-user-input").input_value() == "Ada"
    await page.locator("#trace-answer").fill("green")
    await ask.get_by_role("button", name="Send").click()
    await finished(page, "completed")
    assert await ask.is_hidden()
    await page.locator("body").press("End")
    assert await page.locator(".trace-stdout").inner_text() == "Name? Ada\nColour? green\nAda likes green\n"
    assert await page.locator('.trace-frame[data-frame="global"] tr[data-var="colour"] td').inner_text() == '"green"'
    assert await page.locator("#trace-user-input").input_value() == "Ada\ngreen"


async def test_steps_arrive_while_the_program_runs(bridge_url: str, open_page: OpenPage, page: Any) -> None:
    await open_page(bridge_url, "#/trace")
    await run_trace(page, "import time\nfor i in range(4):\n    print(i)\n    time.sleep(0.3)\n")
    # Seen before the run is over: steps come one by one from the SSE stream.
    await page.locator(".trace-stepper.is-live .trace-position", has_text="(running…)").wait_for()
    assert await page.locator(".trace-status").inner_text() == "Running…"
    await finished(page, "completed")
    assert await page.locator(".trace-stepper.is-live").count() == 0
    assert await page.locator(".trace-stdout").inner_text() == "0\n1\n2\n3\n"


@pytest.mark.parametrize(("code", "max_steps", "status", "summary", "message"), [
    ("x = (1,\nprint(2\n", 1000, "error", "Error on line 2: SyntaxError", "SyntaxError"),
    ("def f():\n    return 1 / 0\nf()\n", 1000, "error", "ZeroDivisionError: division by zero", "ZeroDivisionError"),
    ("while True:\n    pass\n", 5, "limit_reached", "Stopped after 6 steps: the step limit",
     "Stopped after running 5 steps"),
])
async def test_errors_are_shown(bridge_url: str, open_page: OpenPage, page: Any, code: str, max_steps: int,
                                status: str, summary: str, message: str) -> None:
    await open_page(bridge_url, "#/trace")
    await run_trace(page, code, max_steps=max_steps)
    assert summary in await finished(page, status)
    await page.locator("body").press("End")
    assert message in await page.locator(".trace-message").inner_text()


async def test_bad_input_is_explained(bridge_url: str, open_page: OpenPage, page: Any) -> None:
    await open_page(bridge_url, "#/trace")
    await page.locator("#trace-code").fill("print(1)\n")
    # Past the bridge's largest step limit: the field itself says so and nothing runs.
    await page.locator("#trace-max-steps").fill("20000")
    await page.get_by_role("button", name="Run", exact=True).click()
    assert await page.locator("#trace-max-steps").evaluate("el => el.validity.rangeOverflow") is True
    assert await page.locator(".trace-status").inner_text() == ""
    # What only the bridge knows (its largest program) comes back as its message.
    await page.locator("#trace-max-steps").fill("1000")
    await page.locator("#trace-code").fill("x" * 100_001)
    await page.get_by_role("button", name="Run", exact=True).click()
    refused = page.locator(".trace-status.is-error")
    await refused.wait_for()
    text = await refused.inner_text()
    assert "Could not run the trace: code is 100001 characters long; the limit is 100000" in text
    assert await page.locator(".trace-status").get_attribute("data-status") == "INVALID_REQUEST"


async def test_a_long_program_is_traced_in_one_reply_and_a_trace_has_a_link(bridge_url: str, open_page: OpenPage,
                                                                              page: Any) -> None:
    await open_page(bridge_url, "#/trace")
    # Too long for the stream's URL: the page posts it instead.
    code = "total = 0\n" + "total += 1  # counting, one line at a time\n" * 400
    await run_trace(page, code, max_steps=50)
    assert "Stopped after 51 steps" in await finished(page, "limit_reached")
    await page.get_by_role("link", name="Link to this trace").click()
    await page.wait_for_selector('main#main[data-ready="trace"]')
    assert "#/trace/" in page.url
    await finished(page, "limit_reached")
    assert (await marked(page))["position"].startswith("Step 1 of 51")
    assert await page.locator("#trace-code").input_value() == code


async def test_stop_ends_a_running_trace(bridge_url: str, open_page: OpenPage, page: Any) -> None:
    await open_page(bridge_url, "#/trace")
    await run_trace(page, "import time\nfor i in range(100):\n    time.sleep(0.1)\n")
    await page.locator(".trace-stepper.is-live .trace-position", has_text="(running…)").wait_for()
    await page.get_by_role("button", name="Stop").click()
    await page.locator(".trace-status", has_text="Stopped.").wait_for()
    assert await page.get_by_role("button", name="Run", exact=True).is_enabled()
    assert await page.get_by_role("button", name="Stop").is_disabled()
    assert await page.locator(".trace-stepper.is-live").count() == 0


async def test_a_stored_trace_that_is_gone_is_said_so(bridge_url: str, open_page: OpenPage, page: Any) -> None:
    gone = "5f0c1f44-0000-4000-8000-000000000000"
    await open_page(bridge_url, f"#/trace/{gone}")
    text = await finished(page, "SESSION_NOT_FOUND")
    assert text == f"Could not open the stored trace: Session '{gone}' not found (it may have expired)"


@pytest.fixture
def quick_url(start_bridge: Any) -> str:
    """A host whose traces may run for one second, input waits included."""
    return str(start_bridge(trace={"wall_time_s": 1}).url)


async def test_a_program_past_its_time_limit_times_out(quick_url: str, open_page: OpenPage, page: Any) -> None:
    await open_page(quick_url, "#/trace")
    await run_trace(page, "import time\nprint('before')\ntime.sleep(30)\n")
    assert (await finished(page, "timeout")).startswith("Timed out on line 3")
    await page.locator("body").press("End")
    assert await page.locator(".trace-stdout").inner_text() == "before\n"


async def test_an_unanswered_question_ends_in_a_timeout(quick_url: str, open_page: OpenPage, page: Any) -> None:
    await open_page(quick_url, "#/trace")
    await run_trace(page, 'a = input("First? ")\nb = input("Second? ")\n')
    ask = page.locator("form.trace-ask")
    await ask.locator("label", has_text="First?").wait_for()
    await page.locator("#trace-answer").fill("1")
    await page.locator("#trace-answer").press("Enter")
    await ask.locator("label", has_text="Second?").wait_for()
    # Nobody answers: the live run's wall clock, which counts the wait, ends it.
    assert (await finished(page, "timeout")).startswith("Timed out")
    assert await ask.is_hidden()
