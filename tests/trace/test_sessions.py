"""SessionStore bounds: newest first, TTL and count limits."""

from __future__ import annotations

import orjson
import pytest

from bridge.trace import Outcome, SessionNotFound, SessionStore


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_sessions_list_newest_first_and_page() -> None:
    clock = FakeClock()
    store = SessionStore(clock=clock)
    ids = []
    for i in range(5):
        clock.now += 1
        ids.append(store.record(store.open(None), f"x = {i}", "", Outcome("completed")).session_id)
    page, total = store.page(limit=2, offset=1)
    assert total == 5
    assert [s.session_id for s in page] == [ids[3], ids[2]]


def test_rerunning_a_session_updates_it_and_makes_it_newest() -> None:
    clock = FakeClock()
    store = SessionStore(clock=clock)
    first = store.record(store.open(None), "a = 1", "", Outcome("completed"))
    clock.now += 1
    store.record(store.open(None), "b = 1", "", Outcome("completed"))
    clock.now += 1
    again = store.record(store.open(first.session_id), "a = 2", "", Outcome("error"))
    assert again.runs == 2 and again.code == "a = 2"
    assert store.page(10, 0)[0][0].session_id == first.session_id
    assert store.get(first.session_id).reply()["status"] == "error"


def test_sessions_expire_after_ttl_and_are_capped() -> None:
    clock = FakeClock()
    store = SessionStore(max_sessions=3, ttl=60, clock=clock)
    old = store.record(store.open(None), "x", "", Outcome("completed"))
    clock.now += 61
    with pytest.raises(SessionNotFound):
        store.get(old.session_id)
    for _ in range(5):
        store.record(store.open(None), "y", "", Outcome("completed"))
    assert len(store) == 3


def test_unknown_and_deleted_sessions_are_not_found() -> None:
    store = SessionStore()
    with pytest.raises(SessionNotFound):
        store.open("nope")
    s = store.record(store.open(None), "x", "", Outcome("completed"))
    store.delete(s.session_id)
    with pytest.raises(SessionNotFound):
        store.delete(s.session_id)


def test_reply_has_the_seed_shape() -> None:
    step = {"step": 1, "line": 1, "event": "step_line"}
    outcome = Outcome("completed", [orjson.dumps(step)], "o", None, None, 0.5)
    s = SessionStore().record(SessionStore().open(None), "x = 1", "", outcome)
    reply = orjson.loads(orjson.dumps(s.reply()))
    assert reply == {"session_id": s.session_id, "status": "completed", "steps": [step], "total_steps": 1,
                     "current_step": 1, "stdout": "o", "stderr": None, "error": None, "execution_time": 0.5}
    assert s.summary()["created_at"].endswith("Z")
