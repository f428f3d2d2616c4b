"""Semantic view of OPT traces for comparisons: REF ids renumbered in order of first reach."""

from __future__ import annotations

import re
from typing import Any, Dict, List

_ADDRESS = re.compile(r" 0x[0-9a-fA-F]+>")


class _Renumber:
    def __init__(self, heap: Dict[str, Any]):
        self.heap = heap
        self.new_ids: Dict[int, int] = {}
        self.out: Dict[int, Any] = {}

    def value(self, value: Any) -> Any:
        if isinstance(value, list) and len(value) == 2 and value[0] == "REF":
            old = value[1]
            if old not in self.new_ids:
                new = len(self.new_ids) + 1
                self.new_ids[old] = new
                self.out[new] = None
                self.out[new] = self.value(self.heap[str(old)])
            return ["REF", self.new_ids[old]]
        if isinstance(value, list):
            return [self.value(v) for v in value]
        if isinstance(value, str):
            return _ADDRESS.sub(" 0xADDR>", value)  # as OPT's golden_test does
        return value


def semantic(step: Dict[str, Any]) -> Dict[str, Any]:
    """What a step means: event, line, function, output, globals and frames in order, renumbered heap."""
    if "globals" not in step:
        return {k: step.get(k) for k in ("event", "line", "exception_msg", "prompt", "offset") if k in step}
    ren = _Renumber(step["heap"])
    view: Dict[str, Any] = {
        "event": step["event"],
        "line": step["line"],
        "func_name": step["func_name"],
        "stdout": step["stdout"],
        "globals": [[name, ren.value(step["globals"][name])] for name in step["ordered_globals"]],
        "frames": [
            [f["func_name"], f["is_highlighted"], f["is_zombie"], f["parent_frame_id_list"] != [],
             [[n, ren.value(f["encoded_locals"][n])] for n in f["ordered_varnames"]]]
            for f in step["stack_to_render"]
        ],
    }
    view["heap"] = {str(k): v for k, v in ren.out.items()}
    if "exception_msg" in step:
        view["exception_msg"] = step["exception_msg"]
    return view


def semantic_trace(steps: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """semantic() of every step."""
    return [semantic(s) for s in steps]
