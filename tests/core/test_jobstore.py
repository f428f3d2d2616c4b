"""JobStore without HTTP: eviction, order, events."""
from __future__ import annotations

import time

from bridge.editor.jobs import Job, JobStatus, JobStore


def finished(job: Job, status: JobStatus = JobStatus.COMPLETED) -> Job:
    assert job.mark_running()
    job.finish(status)
    return job


def test_at_most_max_kept_finished_jobs_oldest_go_first() -> None:
    evicted = []
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
    store = JobStore(ttl_seconds=60)
    old = finished(Job(code="old"))
    assert old.ended_at is not None
    old.ended_at -= 61
    fresh = finished(Job(code="fresh"))
    pending = Job(code="pending")
    pending.created_at -= 1000
    for job in (old, fresh, pending):
        store.add(job)
    assert {job.id for job in store.list()} == {fresh.id, pending.id}


def test_cancel_only_while_pending() -> None:
    job = Job(code="x")
    assert job.cancel_if_pending()
    assert job.status is JobStatus.CANCELLED and job.done.done()
    assert not job.mark_running()  # a cancelled job never starts
    running = Job(code="y")
    running.mark_running()
    assert not running.cancel_if_pending()


def test_duration_is_measured() -> None:
    job = Job(code="x")
    job.mark_running()
    time.sleep(0.01)
    job.finish(JobStatus.COMPLETED)
    assert job.duration_ms is not None and job.duration_ms >= 10
