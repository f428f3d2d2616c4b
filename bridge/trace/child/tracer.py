"""sys.settrace tracer that turns the user's program into OPT steps, one complete state per step."""

from __future__ import annotations

import sys
import types
from typing import Any, Callable, Dict, List, Optional, Set, Tuple

from .encoder import HeapEncoder, Limits, safe_str

CO_OPTIMIZED = 0x01
CO_GENERATOR_LIKE = 0x20 | 0x80 | 0x200  # generator, coroutine, async generator: frames that resume
NOT_TRACED = {"__repr__", "__new__"}  # as in OPT: these run while the user looks at something else
HIDDEN = {"__builtins__", "__name__", "__exception__", "__doc__", "__package__", "__return__",
          "__loader__", "__spec__", "__annotations__", "__cached__", "__file__", "__module__", "__qualname__"}
_NO_RETURN = object()
BREAKPOINT = "#break"

StepSink = Callable[[Dict[str, Any]], bool]
Stopper = Callable[[Dict[str, Any], str], None]


def all_code_objects(code: types.CodeType) -> List[types.CodeType]:
    """Every code object compiled from the user's source: the module and everything nested in it."""
    found = [code]
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            found.extend(all_code_objects(const))
    return found


def exception_message(exc_type: Any, exc_value: Any) -> str:
    """'ZeroDivisionError: division by zero', or just the type name when the message is empty."""
    text = safe_str(exc_value, 1000)
    name = getattr(exc_type, "__name__", str(exc_type))
    return f"{name}: {text}" if text else name


class Tracer:
    """Records one OPT step per line, call, return and exception event in the user's code."""

    def __init__(self, module_code: types.CodeType, source_lines: List[str], user_globals: Dict[str, Any],
                 stdout: Callable[[], str], sink: StepSink, stop: Stopper, max_steps: int,
                 limits: Limits, max_frames: int = 100, breakpoints: Optional[Set[int]] = None):
        self.module_code = module_code
        self.lines = source_lines
        self.globals = user_globals
        self.stdout = stdout
        self.sink = sink
        self.stop = stop
        self.max_steps = max_steps
        self.max_frames = max_frames
        self.traced: Set[types.CodeType] = {
            c for c in all_code_objects(module_code)
            if c is module_code or (c.co_flags & CO_OPTIMIZED and c.co_name not in NOT_TRACED)
        }
        # OPT's breakpoint mode: only steps on these lines, the step after each, and exceptions are kept.
        self.breakpoints = breakpoints or set()
        self.previous_line = -1
        self.count = 0
        self.last_event = ""
        self.last_frame: Any = None
        self.global_order: List[str] = []
        self._seen_globals: Set[str] = set()
        self.frame_ids: Dict[Any, int] = {}
        self.next_frame_id = 0
        self.frame_parents: Dict[int, List[int]] = {}
        self.parent_frames: Dict[int, Any] = {}
        # functions defined inside a traced frame: id(fn) -> (defining frame id, fn)
        self.function_parents: Dict[int, Tuple[int, Any]] = {}
        self.functions_by_code: Dict[types.CodeType, List[Tuple[int, Any]]] = {}
        self.encoder = HeapEncoder(limits, self._function_parent)

    def run(self) -> None:
        """Execute the module under the tracer; exceptions from the user's code propagate."""
        sys.settrace(self._on_call)
        try:
            exec(self.module_code, self.globals)
        finally:
            sys.settrace(None)

    def line_text(self, line: int) -> str:
        """The source text of a line, stripped, or '' when out of range."""
        return self.lines[line - 1].strip() if 0 < line <= len(self.lines) else ""

    def _on_call(self, frame: Any, event: str, arg: Any) -> Optional[Callable[..., Any]]:
        code = frame.f_code
        if code not in self.traced:
            # Code that exec() compiled from a string in the program's own namespace is the program's, as in
            # OPT (which traces every frame of __main__): its steps carry the string's own line numbers.
            if frame.f_globals is not self.globals or not _traceable(code):
                return None
            self.traced.add(code)
        if code is not self.module_code:
            self._guarded(frame, "call", _NO_RETURN, None)
        return self._on_event

    def _on_event(self, frame: Any, event: str, arg: Any) -> Optional[Callable[..., Any]]:
        if event == "line":
            self._guarded(frame, "step_line", _NO_RETURN, None)
        elif event == "return":
            exiting_by_exception = self.last_event == "exception" and self.last_frame is frame
            if not (exiting_by_exception and frame.f_code is self.module_code):
                self._guarded(frame, "return", arg, None)
            if not frame.f_code.co_flags & CO_GENERATOR_LIKE:
                self.frame_ids.pop(frame, None)
        elif event == "exception":
            self._guarded(frame, "exception", _NO_RETURN, exception_message(arg[0], arg[1]))
        return self._on_event

    def _guarded(self, frame: Any, event: str, ret: Any, exc_msg: Optional[str]) -> None:
        # The trace function runs on top of the user's stack; give it headroom so deep recursion in
        # the program does not become a RecursionError inside the tracer.
        limit = sys.getrecursionlimit()
        sys.setrecursionlimit(limit + 200)
        saved_stdout = sys.stdout
        sys.stdout = sys.__stdout__  # a user __str__ printing while being encoded must not reach the output
        try:
            self._record(frame, event, ret, exc_msg)
        except Exception as exc:
            # An exception leaving the trace function would silently switch tracing off; end the run instead.
            message = f"the tracer could not record this step ({exception_message(type(exc), exc)})"
            if isinstance(exc, MemoryError):
                message = "MemoryError: the program ran out of memory"
            self.stop({"event": "uncaught_exception", "exception_msg": message, "line": frame.f_lineno,
                       "step": self.count + 1, "code": self.line_text(frame.f_lineno)}, "error")
        finally:
            sys.stdout = saved_stdout
            sys.setrecursionlimit(limit)

    def _record(self, frame: Any, event: str, ret: Any, exc_msg: Optional[str]) -> None:
        if event == "call":
            self._register_call(frame)
        if self.breakpoints:
            line, previous = frame.f_lineno, self.previous_line
            self.previous_line = line
            if line not in self.breakpoints and previous not in self.breakpoints and event != "exception":
                return
        if self.count >= self.max_steps:
            message = (f"Stopped after running {self.max_steps} steps. Please shorten your code,\n"
                       "since Python Tutor is not designed to handle long-running code.")
            self.stop(self.limit_entry(message), "limit_reached")
            return
        step = self.snapshot(frame, event, ret)
        if exc_msg is not None:
            step["exception_msg"] = exc_msg
        self.count += 1
        step["step"] = self.count
        step["code"] = self.line_text(step["line"]) if frame.f_code.co_filename == self.module_code.co_filename else ""
        self.last_event = event
        self.last_frame = frame
        if not self.sink(step):
            message = f"Stopped after {self.count} steps: the trace grew too large."
            self.stop(self.limit_entry(message), "limit_reached")

    def limit_entry(self, message: str) -> Dict[str, Any]:
        """The final `instruction_limit_reached` entry: like OPT's, without a line."""
        return {"event": "instruction_limit_reached", "exception_msg": message, "step": self.count + 1}

    def _register_call(self, frame: Any) -> None:
        if frame in self.frame_ids:
            return  # a generator resuming keeps its frame id
        self.next_frame_id += 1
        fid = self.next_frame_id
        self.frame_ids[frame] = fid
        parents = self._lexical_parents(frame)
        if parents:
            self.frame_parents[fid] = parents

    def _lexical_parents(self, frame: Any) -> List[int]:
        code = frame.f_code
        if not code.co_freevars:
            return []
        candidates = self.functions_by_code.get(code, [])
        if not candidates:
            return []
        local_values = frame.f_locals
        chosen = candidates[-1][0]
        for pfid, fn in reversed(candidates):
            if _closure_matches(fn, code.co_freevars, local_values):
                chosen = pfid
                break
        return [chosen, *self.frame_parents.get(chosen, [])]

    def _function_parent(self, fn: Any) -> Optional[int]:
        entry = self.function_parents.get(id(fn))
        return entry[0] if entry is not None and entry[1] is fn else None

    def _note_definitions(self, fid: int, frame: Any, values: List[Any]) -> None:
        consts = frame.f_code.co_consts
        for value in values:
            if type(value) is types.FunctionType and id(value) not in self.function_parents \
                    and value.__code__ in consts:
                self.function_parents[id(value)] = (fid, value)
                self.functions_by_code.setdefault(value.__code__, []).append((fid, value))
                self.parent_frames[fid] = frame

    def snapshot(self, frame: Any, event: str, ret: Any = _NO_RETURN) -> Dict[str, Any]:
        """One complete OPT state at `frame` for `event`."""
        enc = self.encoder
        enc.new_step()
        g = self.globals
        for name in g:
            if name not in self._seen_globals:
                self._seen_globals.add(name)
                if name not in HIDDEN:
                    self.global_order.append(name)
        ordered_globals = [n for n in self.global_order if n in g]
        encoded_globals = {n: enc.value(g[n]) for n in ordered_globals}

        active: List[Any] = []
        f = frame
        # Up to the nearest module-level frame, as OPT climbs: the program's, or that of a string it exec()s.
        while f is not None and f.f_code.co_name != "<module>":
            if f.f_code in self.traced:
                active.append(f)
            f = f.f_back
        active = active[: self.max_frames]
        active.reverse()
        entries: Dict[int, Dict[str, Any]] = {}
        for f in active:
            entry = self._frame_entry(f, f is frame, False, ret if f is frame else _NO_RETURN)
            entries[entry["frame_id"]] = entry
        enc.drain()
        self._add_zombies(entries)
        return {
            "line": frame.f_lineno,
            "event": event,
            "func_name": frame.f_code.co_name,
            "globals": encoded_globals,
            "ordered_globals": ordered_globals,
            "stack_to_render": [entries[k] for k in sorted(entries)],
            "heap": enc.heap,
            "stdout": self.stdout(),
        }

    def _add_zombies(self, entries: Dict[int, Dict[str, Any]]) -> None:
        # Exited frames stay visible while a closure defined in them is still reachable.
        if not self.parent_frames:
            return
        while True:
            wanted: Set[int] = set()
            for item in self.encoder.heap.values():
                if item and item[0] == "FUNCTION" and item[2] is not None:
                    wanted.add(item[2])
            for entry in entries.values():
                wanted.update(entry["parent_frame_id_list"])
            missing = [fid for fid in wanted if fid not in entries and fid in self.parent_frames]
            if not missing:
                return
            for fid in missing:
                entries[fid] = self._frame_entry(self.parent_frames[fid], False, True, _NO_RETURN)
            self.encoder.drain()

    def _frame_entry(self, f: Any, highlighted: bool, zombie: bool, ret: Any) -> Dict[str, Any]:
        fid = self.frame_ids.get(f)
        if fid is None:
            fid = next((k for k, v in self.parent_frames.items() if v is f), None)
        if fid is None:
            self._register_call(f)
            fid = self.frame_ids[f]
        local_values = dict(f.f_locals)
        parents = self.frame_parents.get(fid, [])
        if parents:
            for name in f.f_code.co_freevars:
                local_values.pop(name, None)
        values = list(local_values.values())
        if ret is not _NO_RETURN:
            values.append(ret)
        self._note_definitions(fid, f, values)
        # ".0" is a comprehension's hidden iterator argument: an implementation detail, not a variable
        varnames = [n for n in f.f_code.co_varnames if n in local_values and n not in HIDDEN and n[0] != "."]
        placed = set(varnames)
        varnames.extend(sorted(n for n in local_values if n not in placed and n not in HIDDEN
                               and n != "__class__" and n[0] != "."))
        encoded = {n: self.encoder.value(local_values[n]) for n in varnames}
        if ret is not _NO_RETURN:
            varnames.append("__return__")
            encoded["__return__"] = self.encoder.value(ret)
        is_parent = fid in self.parent_frames
        name = f.f_code.co_name
        return {
            "func_name": name,
            "is_parent": is_parent,
            "frame_id": fid,
            "parent_frame_id_list": parents,
            "encoded_locals": encoded,
            "ordered_varnames": varnames,
            "is_zombie": zombie,
            "is_highlighted": highlighted,
            "unique_hash": f"{name}_f{fid}{'_p' if is_parent else ''}{'_z' if zombie else ''}",
        }


def _traceable(code: types.CodeType) -> bool:
    """Whether code from exec() would be traced had it been in the program: module level or a function."""
    return code.co_name == "<module>" or bool(code.co_flags & CO_OPTIMIZED and code.co_name not in NOT_TRACED)


def breakpoint_lines(source_lines: List[str]) -> Set[int]:
    """Lines ending in `#break` (OPT's breakpoints); a line that starts with it is a commented-out `break`."""
    return {number for number, line in enumerate(source_lines, start=1)
            if line.endswith(BREAKPOINT) and not line.strip().startswith(BREAKPOINT)}


def _closure_matches(fn: Any, freevars: Tuple[str, ...], local_values: Any) -> bool:
    cells = fn.__closure__ or ()
    if len(cells) != len(freevars):
        return False
    for name, cell in zip(freevars, cells):
        try:
            if cell.cell_contents is not local_values.get(name):
                return False
        except ValueError:  # an empty cell: the variable is not assigned yet
            continue
    return True
