"""Job handles and JobStore without HTTP: lifecycle transitions, stop requests, eviction."""
from __future__ import annotations

from typing import List

from bridge.editor.jobs import Job, JobStore
from bridge.runs import MemoryStore, RunHistory, RunKind, RunStatus, StopReason

HISTORY = RunHistory(MemoryStore())


def finished(job: Job, status: RunStatus = RunStatus.COMPLETED) -> Job:
    assert job.mark_running()
    HISTORY.create(RunKind.EDITOR, run_id=job.id, started=True)
    job.finish(HISTORY.finish(job.id, status))
    return job


def test_at_most_max_kept_finished_jobs_oldest_go_first() -> None:
    evicted: List[Job] = []
    store = JobStore(max_kept=100, on_evict=evicted.append)
    jobs = [finished(Job(code=str(i))) for i in range(150)]
    for job in jobs:
        store.add(job)
    kept = store.list()
    assert len(kept) == 100
    assert [j.id for j in kept] == [j.id for j in reversed(jobs[50:])]  # newest first
    assert [j.id for j in evicted] == [j.id for j in jobs[:50]]


def test_pending_and_running_jobs_are_never_evicted() -> None:
    store = JobStore(max_kept=3)
    pending = [Job(code="p") for _ in range(4)]
    running = Job(code="r")
    running.mark_running()
    for job in [*pending, running]:
        store.add(job)
    store.add(finished(Job(code="f")))
    ids = {job.id for job in store.list()}
    assert {job.id for job in pending} <= ids and running.id in ids
    assert len(store) == 5  # the finished one went; five unfinished stay above the limit


def test_finished_jobs_expire_after_the_ttl() -> None:
    now = [1000.0]
    store = JobStore(ttl_seconds=60, clock=lambda: now[0])
    old = finished(Job(code="old"))
    store.add(old)
    assert old.ended_at is not None
    now[0] = old.ended_at + 61
    fresh, pending = finished(Job(code="fresh")), Job(code="pending")
    store.add(pending)
    store.add(fresh)
    assert {job.id for job in store.list()} == {fresh.id, pending.id}


def test_cancel_only_while_pending() -> None:
    job = Job(code="x")
    assert job.cancel_if_pending()
    assert job.status is RunStatus.CANCELLED and job.stop_reason is StopReason.CANCEL
    assert not job.mark_running()  # a cancelled job never starts
    running = Job(code="y")
    running.mark_running()
    assert not running.cancel_if_pending()
    assert running.stop_reason is None


def test_the_first_stop_reason_is_the_one_that_counts() -> None:
    job = Job(code="x")
    job.mark_running()
    assert job.request_stop(StopReason.TIMEOUT) is StopReason.TIMEOUT
    assert job.request_stop(StopReason.CANCEL) is StopReason.TIMEOUT
    assert job.interrupt_sent_at is None
    job.note_interrupt_sent()
    first = job.interrupt_sent_at
    job.note_interrupt_sent()
    assert first is not None and job.interrupt_sent_at == first


def test_finishing_resolves_waiters_with_the_final_run() -> None:
    job = finished(Job(code="x"), RunStatus.FAILED)
    run = job.done.result(timeout=0)
    assert run.id == job.id and run.status is RunStatus.FAILED
    assert job.status is RunStatus.FAILED and job.elapsed_ms() == run.duration_ms
