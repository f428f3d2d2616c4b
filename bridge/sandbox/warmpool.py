"""Boxes started ahead of time, waiting for code on a pipe; each serves exactly one run.

A pooled box is the same box a cold run gets (fresh tmpfs, namespaces, cgroup, uid); it
only has its interpreter already loaded. After its one run it is torn down like any
other box, and a replacement starts in the background, so no state passes between runs.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Awaitable, Callable, List, Optional

from .box import RunningBox
from .runtimes import RunLimits, Toolchain

log = logging.getLogger(__name__)

# Reads "<code>" from INPUT_FD, stores it as /box/main.py and runs it as __main__, as `python main.py` would.
# On REPORT_FD it writes one byte once it waits for code, then "exit N" once the code is done and its output
# flushed: the host replies then, without waiting for bwrap to tear the box down.
PYTHON_BOOT = r"""
import os, sys, types, atexit
# The first compile of a process costs about a millisecond (the tokenizer sets itself up): pay it here.
compile(b"pass\n", "/box/main.py", "exec")
_report = int(os.environ.pop("REPORT_FD"))
_pid = os.getpid()  # a child forked by the code that falls through to the end must not report
os.write(_report, b"1")
fd = int(os.environ.pop("INPUT_FD"))
with os.fdopen(fd, "rb") as f:
    src = f.read()
with open("/box/main.py", "wb") as f:
    f.write(src)
def _hook(t, v, tb, _orig=sys.__excepthook__):
    while tb is not None and tb.tb_frame.f_code.co_filename == "<string>":
        tb = tb.tb_next
    _orig(t, v.with_traceback(tb), tb)
sys.excepthook = _hook
sys.argv = ["main.py"]  # as `python main.py` in /box, the way a cold run starts
sys.path[0] = "/box"
_m = types.ModuleType("__main__")
_m.__file__ = "/box/main.py"
_m.__builtins__ = __builtins__
sys.modules["__main__"] = _m
del types, fd, f, _hook
# Exit like the interpreter would (SystemExit rules, non-daemon threads, atexit) but skip its slow
# finalization: the box is discarded anyway.
try:
    exec(compile(src, "/box/main.py", "exec"), _m.__dict__)
    _code = 0
except SystemExit as e:
    _code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    if not isinstance(e.code, int) and e.code is not None:
        print(e.code, file=sys.stderr)
except BaseException:
    sys.excepthook(*sys.exc_info())
    _code = 1
if "threading" in sys.modules:
    sys.modules["threading"]._shutdown()
atexit._run_exitfuncs()
for _s in (sys.stdout, sys.stderr):
    try:
        _s.flush()
    except Exception:
        pass
if os.getpid() == _pid:
    try:
        os.write(_report, b"exit %d\n" % (_code & 0xFF))
    except OSError:
        pass  # the code closed it: the host waits for the box to exit instead
os._exit(_code & 0xFF)
"""

NODE_BOOT = r"""
const fs = require('fs');
const ready = Number(process.env.REPORT_FD); delete process.env.REPORT_FD;
fs.writeSync(ready, '1'); fs.closeSync(ready);
const fd = Number(process.env.INPUT_FD); delete process.env.INPUT_FD;
const src = fs.readFileSync(fd); fs.closeSync(fd);
fs.writeFileSync('/box/main.js', src);
process.argv[1] = '/box/main.js';
require('module')._load('/box/main.js', null, true);
"""


RUBY_BOOT = r"""
ready = IO.new(ENV.delete("REPORT_FD").to_i); ready.write("1"); ready.close
fd = IO.new(ENV.delete("INPUT_FD").to_i); src = fd.read; fd.close
File.write("main.rb", src)
$0 = "main.rb"
begin
  load "main.rb"
rescue Exception => e
  e.set_backtrace(e.backtrace.reject { |line| line.start_with?("-e:") }) if e.backtrace
  raise
end
"""


def boot_argv(toolchain: Toolchain, memory_mb: int) -> Optional[List[str]]:
    """The interpreter command that waits for code, or None if the language is not pooled."""
    if toolchain.language == "python":
        return [toolchain.identity, "-u", "-B", "-c", PYTHON_BOOT]
    if toolchain.language == "javascript":
        return ["/usr/bin/node", f"--max-old-space-size={max(16, memory_mb * 3 // 4)}", "-e", NODE_BOOT]
    if toolchain.language == "ruby":
        return [_ruby_path(toolchain), "-e", RUBY_BOOT]
    return None


def boot_fits(toolchain: Toolchain, memory_mb: int, pool_memory_mb: int) -> bool:
    """Whether a box booted for `pool_memory_mb` can serve a run of `memory_mb`.

    cgroup limits are retuned per run, but node's heap cap is fixed on its command line.
    """
    return toolchain.language != "javascript" or memory_mb == pool_memory_mb


def _ruby_path(toolchain: Toolchain) -> str:
    return toolchain.run("main", RunLimits(128, 1))[0]


class WarmPool:
    """Keeps `size` started boxes of one runtime ready."""

    def __init__(self, name: str, size: int, factory: Callable[[], Awaitable[RunningBox]]) -> None:
        self.name = name
        self.size = size
        self.factory = factory
        self.ready: List[RunningBox] = []
        self.starting = 0
        self.tasks: set[asyncio.Task[None]] = set()
        self.closed = False
        self.waiters: List[asyncio.Future[RunningBox]] = []
        self.failures = 0

    def start(self) -> None:
        """Begin filling the pool in the background."""
        self._refill()

    def _refill(self) -> None:
        while not self.closed and len(self.ready) + self.starting < self.size and self.failures < 5:
            self.starting += 1
            task = asyncio.ensure_future(self._add())
            self.tasks.add(task)
            task.add_done_callback(self.tasks.discard)

    async def _add(self) -> None:
        try:
            box = await self.factory()
        except Exception as e:  # a broken pool must not break cold runs
            self.failures += 1
            log.warning("warm pool %s: could not start a box: %s", self.name, e)
            return
        finally:
            self.starting -= 1
        self.failures = 0
        if self.closed:
            await box.close()
            return
        while self.waiters:
            waiter = self.waiters.pop(0)
            if not waiter.done():
                waiter.set_result(box)  # straight to a run that is waiting for it
                return
        self.ready.append(box)

    async def acquire(self, timeout_s: float) -> Optional[RunningBox]:
        """A ready box, or the next one that finishes starting (within `timeout_s`), or None.

        Under sustained load this waits for a box already starting instead of starting a cold one
        beside it: the same work is not done twice.
        """
        box = self.take()
        if box is not None or self.starting == 0 or self.closed:
            return box
        waiter: asyncio.Future[RunningBox] = asyncio.get_running_loop().create_future()
        self.waiters.append(waiter)
        try:
            return await asyncio.wait_for(asyncio.shield(waiter), timeout_s)
        except asyncio.TimeoutError:
            if waiter in self.waiters:
                self.waiters.remove(waiter)
            if waiter.done() and not waiter.cancelled():
                return waiter.result()  # handed over just as the clock ran out
            waiter.cancel()
            return None

    def take(self) -> Optional[RunningBox]:
        """A ready box for one run (the caller owns and closes it), or None.

        The caller calls `refill()` once its run is over: starting the replacement meanwhile
        would compete with the run for the CPU and make it slower.
        """
        box = None
        while self.ready:
            candidate = self.ready.pop(0)
            if candidate.proc is not None and candidate.proc.returncode is None:
                box = candidate
                break
            task = asyncio.ensure_future(candidate.close())
            self.tasks.add(task)
            task.add_done_callback(self.tasks.discard)
        if box is None:
            self._refill()
        return box

    def refill(self) -> None:
        """Start replacements for the boxes taken."""
        self._refill()

    async def close(self) -> None:
        """Stop refilling and tear down every idle box."""
        self.closed = True
        for waiter in self.waiters:
            waiter.cancel()
        self.waiters.clear()
        for task in list(self.tasks):
            with contextlib.suppress(BaseException):
                await task
        boxes, self.ready = self.ready, []
        for box in boxes:
            await box.close()
