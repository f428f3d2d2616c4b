"""Interrupter without HTTP or a runner: it stops only the job it runs, and keeps a stop asked for too early.

Jobs run through `run_job`, the interrupter's real caller, on a thread of their own: the line trap
fires in any code outside the bridge, so only the bridge's own frames may call begin and end.
"""
from __future__ import annotations

import threading

from bridge.editor.capture import OutputRouter
from bridge.editor.execution import run_job
from bridge.editor.interrupt import Interrupter
from bridge.editor.jobs import Job
from bridge.editor.sessions import fresh_globals
from bridge.runs import MemoryStore, Run, RunHistory, RunKind, RunStatus, StopReason

SPIN = "started.set()\nwhile not stop.is_set():\n    pass\n"


class JobThread:
    """One job run by `run_job` on its own thread; `stop` ends its loop if nothing else does."""

    def __init__(self, interrupter: Interrupter, job: Job) -> None:
        self.interrupter, self.job = interrupter, job
        self.history = RunHistory(MemoryStore())
        self.history.create(RunKind.EDITOR, run_id=job.id)
        self.router = OutputRouter()
        self.started, self.stop = threading.Event(), threading.Event()
        self.namespace = {**fresh_globals(), "started": self.started, "stop": self.stop}
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        run_job(self.job, self.namespace, history=self.history, router=self.router, interrupter=self.interrupter)

    def start(self) -> JobThread:
        self.thread.start()
        return self

    def result(self) -> Run:
        self.thread.join(10)
        self.stop.set()
        self.thread.join(10)
        self.router.uninstall()
        return self.history.run(self.job.id)


def test_a_stop_asked_for_before_the_code_runs_is_raised_at_begin() -> None:
    interrupter = Interrupter()
    job = Job(code=SPIN)
    assert not interrupter.interrupt(job)  # not interruptible yet: nothing can be sent...
    job.request_stop(StopReason.CANCEL)
    ran = JobThread(interrupter, job).start()  # ...but begin() finds the request
    run = ran.result()
    assert run.status is RunStatus.CANCELLED and not ran.started.is_set()
    assert interrupter.current is None


def test_interrupt_stops_the_running_job_and_nothing_after_it() -> None:
    interrupter = Interrupter()
    job = Job(code=SPIN)
    ran = JobThread(interrupter, job).start()
    assert ran.started.wait(5)
    assert interrupter.current is job
    assert not interrupter.interrupt(Job(code=""))  # another job is never hit
    job.request_stop(StopReason.TIMEOUT)
    assert interrupter.interrupt(job)
    run = ran.result()
    assert run.status is RunStatus.FAILED and run.error_type == "TimeoutError"
    assert interrupter.current is None and not interrupter.interrupt(job)  # ended: nothing to send


def test_a_swallowed_interrupt_is_raised_again_on_the_next_line() -> None:
    interrupter = Interrupter()
    body = (
        "started.set()\n"
        "while not stop.is_set():\n"
        "    try:\n"
        "        while not stop.is_set():\n"
        "            pass\n"
        "    except BaseException:\n"
        "        pass\n"
    )
    job = Job(code=body)
    ran = JobThread(interrupter, job).start()
    assert ran.started.wait(5)
    job.request_stop(StopReason.CANCEL)
    assert interrupter.interrupt(job)
    ran.thread.join(10)
    assert not ran.thread.is_alive(), "the line trap did not get out of the bare except"
    assert ran.result().status is RunStatus.CANCELLED


def test_the_next_job_on_the_thread_runs_untouched() -> None:
    interrupter = Interrupter()
    first = Job(code=SPIN)
    ran = JobThread(interrupter, first).start()
    assert ran.started.wait(5)
    first.request_stop(StopReason.CANCEL)
    interrupter.interrupt(first)
    assert ran.result().status is RunStatus.CANCELLED
    after = JobThread(interrupter, Job(code="total = sum(range(10000))\nprint(total)")).start()
    run = after.result()
    assert run.status is RunStatus.COMPLETED
