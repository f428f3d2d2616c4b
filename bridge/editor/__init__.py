"""The game-thread side of editor jobs. No HTTP here; everything observable goes into the RunHistory.

Reading order for a newcomer, following one job:

- `runner.py`     JobRunner: records the job's run, queues it, waits (sync calls), cancels, times out
                  (its `watchdog.py` thread), shuts down. The only way in from the server thread.
- `tickqueue.py`  TickQueue: hands the job to the game thread, drained once per frame.
- `execution.py`  run_job, on the game thread: compile, exec/eval, then `outcome.py` says how it ended.
- `jobs.py`       Job: the live handle (code, future, stop bookkeeping); JobStore keeps handles a while.
- `interrupt.py`  Interrupter: stops the running job by raising in its thread.
- `capture.py`    OutputRouter: prints, `unreal.log*` and slow tasks (`slowtask.py`) go to the job's run.
- `current.py`    which run this thread serves; `steps.py` (`bridge.step`, `progress`, `artifact`) uses it.
- `sessions.py`   REPL-like globals by session id.  `logtail.py` engine-log lines for finished runs.
- `errors.py`     what the core refuses; api/ turns each into its HTTP status and code.
"""
