"""The Python harness: exec the user's code, call the function on each input, print each result as JSON."""

from __future__ import annotations

import json
from typing import Any, List

from .signature import Signature

TEMPLATE = '''import json as _json
import sys as _sys

_M = {marker!r}
_SRC = {source}
_INPUTS = _json.loads({inputs})


def _say(*words):
    _sys.stdout.write("\\n" + _M + " " + " ".join(words) + "\\n")
    _sys.stdout.flush()


def _main():
    ns = {{"__name__": "solution"}}
    try:
        code = compile(_SRC, "solution.py", "exec")
    except (SyntaxError, ValueError) as e:
        _say("compile", _json.dumps(type(e).__name__ + ": " + str(e)))
        return
    try:
        exec(code, ns)
    except BaseException as e:
        for i in range(len(_INPUTS)):
            _say(str(i), "error", _json.dumps(type(e).__name__ + ": " + str(e)))
        return
    fn = ns.get({function!r})
    if fn is None and isinstance(ns.get("Solution"), type):
        fn = getattr(ns["Solution"](), {function!r}, None)
    if not callable(fn):
        _say("compile", _json.dumps("function {function} is not defined"))
        return
    for i, args in enumerate(_INPUTS):
        try:
            text = _json.dumps(fn(*args), allow_nan=False, separators=(",", ":"))
        except MemoryError:
            _say(str(i), "memory", _json.dumps("MemoryError"))
            continue
        except BaseException as e:
            _say(str(i), "error", _json.dumps(type(e).__name__ + ": " + str(e)))
            continue
        _say(str(i), "ok", text)


_main()
'''


def program(code: str, signature: Signature, inputs: List[List[Any]], marker: str) -> str:
    return TEMPLATE.format(marker=marker, source=repr(code), inputs=repr(json.dumps(inputs)),
                           function=signature.function)


def starter(signature: Signature) -> str:
    return f"def {signature.function}({', '.join(signature.names)}):\n    # Your code here\n    pass\n"
