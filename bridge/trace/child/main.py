"""Worker entry point: say ready, take one job from the parent, run it, report, exit."""

from __future__ import annotations

import linecache
import os
import sys
import time
import traceback
from typing import Any, Dict, List, NoReturn, Optional

from .encoder import Limits
from .program import USER_FILENAME, Output, make_globals, make_input, split_input
from .protocol import Channel, dumps
from .steplog import STDERR, STDOUT, STEP, StepLog
from .tracer import Tracer, breakpoint_lines, exception_message


class Job:
    """One program run inside this worker; every way of ending goes through `finish`."""

    def __init__(self, spec: Dict[str, Any], channel: Channel, log: StepLog):
        self.spec = spec
        self.channel = channel
        self.log = log
        self.source: str = spec["code"]
        self.trace: bool = bool(spec.get("trace", True))
        self.interactive: bool = bool(spec.get("interactive", False))
        cap = int(spec.get("max_stdout", 100_000))
        self.stdout = Output(cap, lambda text: log.append(STDOUT, text.encode("utf-8", "replace")))
        self.stderr = Output(cap, lambda text: log.append(STDERR, text.encode("utf-8", "replace")))
        self.max_trace_bytes = int(spec.get("max_trace_bytes", 50_000_000))
        self.started = time.perf_counter()
        self.tracer: Optional[Tracer] = None
        self.last_line = 0
        self.pid = os.getpid()
        os.register_at_fork(after_in_child=self.forked)

    def forked(self) -> None:
        """In a process the program forked: it is not the run, so it neither traces nor writes the log."""
        sys.settrace(None)
        self.log.detach()

    def run(self) -> NoReturn:
        """Compile and execute the program, then finish with the right status."""
        lines = self.source.splitlines()
        linecache.cache[USER_FILENAME] = (len(self.source), None, [ln + "\n" for ln in lines], USER_FILENAME)
        try:
            code = compile(self.source, USER_FILENAME, "exec", dont_inherit=True)
        except (SyntaxError, ValueError) as exc:
            self.syntax_error(exc, lines)
        input_function = make_input(split_input(self.spec.get("user_input", "")), self.stdout, self.ask,
                                    self.input_exhausted)
        allowed = self.spec.get("allowed_modules")
        user_globals = make_globals(input_function, allowed if isinstance(allowed, list) else None)
        sys.stdout, sys.stderr = self.stdout, self.stderr
        try:
            if self.trace:
                limits = Limits(**self.spec.get("limits", {}))
                breakpoints = breakpoint_lines(lines) | {int(n) for n in self.spec.get("breakpoints") or ()}
                self.tracer = Tracer(code, lines, user_globals, self.stdout.getvalue, self.emit, self.stop,
                                     int(self.spec.get("max_steps", 1000)), limits, breakpoints=breakpoints)
                self.tracer.run()
            else:
                exec(code, user_globals)
        except SystemExit as exc:
            if exc.code in (None, 0):
                self.finish("completed")
            self.runtime_error(exc)
        except BaseException as exc:
            self.runtime_error(exc)
        self.finish("completed")

    def emit(self, step: Dict[str, Any]) -> bool:
        """Log one step; False when the trace has outgrown its byte budget."""
        self.last_line = step["line"]
        return self.log.append(STEP, dumps(step)) and self.log.appended < self.max_trace_bytes

    def stop(self, entry: Dict[str, Any], status: str) -> NoReturn:
        """End the run from inside the trace function, without unwinding through the user's except blocks."""
        error = None
        if status == "error":
            message = entry["exception_msg"]
            error = {"type": message.split(":", 1)[0] if message.startswith("MemoryError") else "TracerError",
                     "message": message, "line": entry.get("line"), "traceback": None}
        self.finish(status, error=error, final=entry)

    def ask(self, prompt: str) -> Optional[str]:
        """Ask the parent for the next input line; None when it will not answer."""
        if not self.interactive:
            return None
        self.channel.send({"t": "input_request", "prompt": prompt})
        reply = self.channel.recv()
        if not reply or reply.get("t") != "input":
            return None
        return str(reply.get("value", ""))

    def input_exhausted(self, prompt: str) -> NoReturn:
        """user_input ran out: end with OPT's raw_input entry (which has no line)."""
        entry = {"event": "raw_input", "prompt": prompt, "status": "awaiting_input",
                 "step": (self.tracer.count + 1) if self.tracer else 1}
        self.finish("awaiting_input", final=entry if self.trace else None)

    def syntax_error(self, exc: BaseException, lines: List[str]) -> NoReturn:
        """A program that does not compile: one uncaught_exception step with line and offset."""
        line = getattr(exc, "lineno", None) or 1
        message = exception_message(type(exc), exc)
        entry = {"event": "uncaught_exception", "exception_msg": message, "line": line,
                 "offset": getattr(exc, "offset", None), "step": 1,
                 "code": lines[line - 1].strip() if 0 < line <= len(lines) else ""}
        text = "".join(traceback.format_exception_only(type(exc), exc))
        self.stderr.write(text)
        error = {"type": type(exc).__name__, "message": str(getattr(exc, "msg", exc)), "line": line,
                 "traceback": text}
        self.finish("error", error=error, final=entry if self.trace else None)

    def runtime_error(self, exc: BaseException) -> NoReturn:
        """An exception escaped the program: report it with a traceback of the user's frames only."""
        frames = [fs for fs in traceback.extract_tb(exc.__traceback__) if fs.filename == USER_FILENAME]
        text = "Traceback (most recent call last):\n" + "".join(traceback.format_list(frames)) \
            + "".join(traceback.format_exception_only(type(exc), exc))
        self.stderr.write(text)
        line = frames[-1].lineno if frames else self.last_line
        message = exception_message(type(exc), exc)
        error = {"type": type(exc).__name__, "message": message.split(": ", 1)[-1],
                 "line": line, "traceback": text}
        final = None
        tracer = self.tracer
        if tracer is not None and tracer.last_event != "exception":
            final = {"event": "uncaught_exception", "exception_msg": message, "line": line,
                     "step": tracer.count + 1, "code": tracer.line_text(line or 0)}
        self.finish("error", error=error, final=final)

    def finish(self, status: str, error: Optional[Dict[str, Any]] = None,
               final: Optional[Dict[str, Any]] = None) -> NoReturn:
        """Send the last entry and the summary, then leave at once: the worker serves one program only."""
        sys.settrace(None)
        if os.getpid() != self.pid:
            os._exit(1 if status == "error" else 0)  # a forked child ends like a script's child would
        if final is not None:
            self.log.append(STEP, dumps(final))
        self.channel.send({"t": "done", "status": status, "error": error,
                           "execution_time": round(time.perf_counter() - self.started, 6)})
        os._exit(0)


def python_version() -> str:
    """This interpreter's version, as the ready message reports it."""
    return ".".join(map(str, sys.version_info[:3]))


def run_next(channel: Channel, log: StepLog) -> NoReturn:
    """Wait for the one job, run it and exit."""
    import random

    random.seed(0)  # as OPT does, so that a run repeats exactly
    spec = channel.recv()
    if not spec:  # the server went away before giving us a job
        os._exit(0)
    Job(spec, channel, log).run()


def serve() -> None:
    """Run in a worker process of its own box: announce readiness, wait for one job, run it."""
    log = StepLog(int(os.environ.pop("TRACE_LOG_FD")))
    channel = Channel.from_standard_streams()
    channel.send({"t": "ready", "python": python_version()})
    run_next(channel, log)
