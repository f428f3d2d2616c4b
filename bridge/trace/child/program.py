"""The traced program's world: captured stdout/stderr, input() fed from user_input, fresh globals."""

from __future__ import annotations

import builtins
import io
from typing import Any, Callable, Dict, List, Optional

USER_FILENAME = "<user_code>"


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


def make_globals(input_function: Callable[..., str]) -> Dict[str, Any]:
    """Fresh module globals for the user's program, with input() replaced."""
    user_builtins = dict(builtins.__dict__)
    user_builtins["input"] = input_function
    return {"__name__": "__main__", "__builtins__": user_builtins, "__doc__": None, "__package__": None}
