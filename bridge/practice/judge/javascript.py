"""The JavaScript harness: build the user's code as a function body, call it per input, print JSON results."""

from __future__ import annotations

import json
from typing import Any, List

from .signature import Signature

TEMPLATE = '''"use strict";
const M = {marker};
const SRC = {source};
const INPUTS = JSON.parse({inputs});
const say = (...words) => process.stdout.write("\\n" + M + " " + words.join(" ") + "\\n");
const describe = (e) => JSON.stringify(e instanceof Error ? e.name + ": " + e.message : "thrown: " + String(e));
let build;
try {{
  build = new Function(SRC + "\\n;return typeof {function} === 'function' ? {function} : " +
    "(typeof Solution === 'function' ? (...a) => new Solution().{function}(...a) : undefined);");
}} catch (e) {{
  say("compile", describe(e));
  process.exit(0);
}}
let fn;
try {{
  fn = build();
}} catch (e) {{
  INPUTS.forEach((_, i) => say(String(i), "error", describe(e)));
  process.exit(0);
}}
if (typeof fn !== "function") {{
  say("compile", JSON.stringify("function {function} is not defined"));
  process.exit(0);
}}
INPUTS.forEach((args, i) => {{
  try {{
    const out = JSON.stringify(fn(...args));
    say(String(i), "ok", out === undefined ? "null" : out);
  }} catch (e) {{
    say(String(i), "error", describe(e));
  }}
}});
'''


def program(code: str, signature: Signature, inputs: List[List[Any]], marker: str) -> str:
    return TEMPLATE.format(marker=json.dumps(marker), source=json.dumps(code),
                           inputs=json.dumps(json.dumps(inputs)), function=signature.function)


def starter(signature: Signature) -> str:
    return f"function {signature.function}({', '.join(signature.names)}) {{\n  // Your code here\n}}\n"
