"""The traced program's world: captured stdout/stderr, input() fed from user_input, fresh globals."""

from __future__ import annotations

import builtins
import io
from typing import Any, Callable, Dict, List, Optional

USER_FILENAME = "<user_code>"
IMPORTS_PER_LINE = 6  # as Python Tutor lists them


class Output(io.TextIOBase):
    """A bounded text stream; past the cap it keeps a marker instead of growing."""

    def __init__(self, cap: int, sink: Optional[Callable[[str], object]] = None):
        super().__init__()
        self.cap = cap
        self.sink = sink  # gets every piece kept, as it is written (the step log)
        self._parts: List[str] = []
        self._size = 0
        self._value: Optional[str] = ""
        self.truncated = False

    def writable(self) -> bool:
        return True

    def write(self, text: Any) -> int:
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        if self.truncated or not text:
            return len(text)
        room = self.cap - self._size
        if len(text) > room:
            kept = text[:room] + f"\n[output truncated after {self.cap} characters]\n"
            self.truncated = True
        else:
            kept = text
        self._parts.append(kept)
        if self.sink is not None:
            self.sink(kept)
        self._size += len(text)
        self._value = None
        return len(text)

    def getvalue(self) -> str:
        # Cached: the tracer asks for the cumulative output at every step.
        if self._value is None:
            self._value = "".join(self._parts)
            self._parts = [self._value]
        return self._value


class NoMoreInput(Exception):
    """Raised by input() when user_input is used up and nobody can answer interactively."""

    def __init__(self, prompt: str):
        super().__init__(prompt)
        self.prompt = prompt


def split_input(user_input: Any) -> List[str]:
    """user_input as a list of answers: a list as is, a string split into lines."""
    if isinstance(user_input, list):
        return [str(v) for v in user_input]
    if not user_input:
        return []
    text = str(user_input)
    return text[:-1].split("\n") if text.endswith("\n") else text.split("\n")


def make_input(answers: List[str], stdout: Output, ask: Callable[[str], Optional[str]],
               exhausted: Callable[[str], None]) -> Callable[..., str]:
    """An input() that takes the next answer (or asks the parent), echoing prompt and answer like a terminal.

    When nobody answers, `exhausted` ends the run without unwinding (a bare except would swallow a raise).
    """

    def user_input_function(prompt: Any = "") -> str:
        text = str(prompt)
        if answers:
            value = answers.pop(0)
        else:
            answer = ask(text)
            if answer is None:
                exhausted(text)
                raise NoMoreInput(text)
            value = answer
        stdout.write(text + value + "\n")
        return value

    return user_input_function


def restricted_import(allowed: List[str]) -> Callable[..., Any]:
    """An __import__ that refuses modules outside `allowed` with Python Tutor's own ImportError.

    A teaching option, not a boundary (the box is): a package is allowed with its submodules.
    """
    shown = sorted(set(allowed))
    rows = [", ".join(shown[i:i + IMPORTS_PER_LINE]) for i in range(0, len(shown), IMPORTS_PER_LINE)]
    listing = ",\n  ".join(rows)
    real_import = builtins.__import__

    def user_import(name: Any, globals: Any = None, locals: Any = None, fromlist: Any = (), level: int = 0) -> Any:
        text = name if type(name) is str else ""  # a str subclass could lie to the `in` test
        if level == 0 and (text in allowed or text.split(".", 1)[0] in allowed):
            return real_import(text, globals, locals, fromlist, level)
        shown_name = text or repr(name)
        raise ImportError(f"{shown_name} not supported\nOnly these modules can be imported into Python Tutor:\n"
                          f"  {listing}")

    return user_import


def make_globals(input_function: Callable[..., str], allowed_modules: Optional[List[str]] = None) -> Dict[str, Any]:
    """Fresh module globals for the user's program, with input() (and, if asked, __import__) replaced."""
    user_builtins = dict(builtins.__dict__)
    user_builtins["input"] = input_function
    if allowed_modules is not None:
        user_builtins["__import__"] = restricted_import([str(m) for m in allowed_modules])
    return {"__name__": "__main__", "__builtins__": user_builtins, "__doc__": None, "__package__": None}
