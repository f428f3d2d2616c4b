"""The Java harness: the user's `class Solution`, typed literals for each input, and a JSON encoder."""

from __future__ import annotations

import json
import re
from typing import Any, List

from .signature import Signature
from .types import ValueType

PUBLIC_SOLUTION = re.compile(r"\bpublic\s+((?:final\s+)?class\s+Solution\b)")
IMPORT = re.compile(r"^\s*import\s+[\w.]+(?:\.\*)?\s*;\s*$", re.MULTILINE)

ENCODER = r'''
  static String enc(Object o) {
    if (o == null) return "null";
    if (o instanceof String) return str((String) o);
    if (o instanceof Character) return str(String.valueOf(o));
    if (o instanceof Boolean || o instanceof Integer || o instanceof Long || o instanceof Short
        || o instanceof Byte) return String.valueOf(o);
    if (o instanceof Double || o instanceof Float) {
      double d = ((Number) o).doubleValue();
      return Double.isFinite(d) ? String.valueOf(d) : "null";
    }
    StringBuilder b = new StringBuilder();
    if (o instanceof java.util.Map) {
      b.append('{');
      boolean first = true;
      for (Object e : ((java.util.Map<?, ?>) o).entrySet()) {
        java.util.Map.Entry<?, ?> en = (java.util.Map.Entry<?, ?>) e;
        if (!first) b.append(',');
        first = false;
        b.append(str(String.valueOf(en.getKey()))).append(':').append(enc(en.getValue()));
      }
      return b.append('}').toString();
    }
    java.util.List<Object> items = new java.util.ArrayList<>();
    if (o instanceof Iterable) for (Object x : (Iterable<?>) o) items.add(x);
    else if (o.getClass().isArray()) {
      int n = java.lang.reflect.Array.getLength(o);
      for (int i = 0; i < n; i++) items.add(java.lang.reflect.Array.get(o, i));
    } else return str(String.valueOf(o));
    b.append('[');
    for (int i = 0; i < items.size(); i++) { if (i > 0) b.append(','); b.append(enc(items.get(i))); }
    return b.append(']').toString();
  }

  static String str(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') b.append('\\').append(c);
      else if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
      else b.append(c);
    }
    return b.append('"').toString();
  }

  @SuppressWarnings("unchecked")
  static <K, V> java.util.Map<K, V> mapOf(Object... kv) {
    java.util.Map<K, V> m = new java.util.LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) m.put((K) kv[i], (V) kv[i + 1]);
    return m;
  }

  static void say(String words) {
    System.out.print("\n" + M + " " + words + "\n");
    System.out.flush();
  }
'''


def java_type(vt: ValueType, boxed: bool = False) -> str:
    """Arrays for lists (as LeetCode's Java signatures), List<...> for lists of maps, Map<String, ...> for maps."""
    if vt.kind == "int":
        return "Integer" if boxed else "int"
    if vt.kind == "float":
        return "Double" if boxed else "double"
    if vt.kind == "bool":
        return "Boolean" if boxed else "boolean"
    if vt.kind == "string":
        return "String"
    assert vt.item is not None
    if vt.kind == "list":
        if vt.item.kind == "map":
            return f"java.util.List<{java_type(vt.item, True)}>"
        return f"{java_type(vt.item)}[]"
    return f"java.util.Map<String, {java_type(vt.item, True)}>"


def literal(value: Any, vt: ValueType) -> str:
    if vt.kind == "int":
        return str(int(value))
    if vt.kind == "float":
        return repr(float(value))
    if vt.kind == "bool":
        return "true" if value else "false"
    if vt.kind == "string":
        return json.dumps(value)  # JSON's escapes are Java's, and it never writes a \u000a the lexer would break on
    assert vt.item is not None
    item = vt.item
    if vt.kind == "list":
        parts = ", ".join(literal(v, item) for v in value)
        if item.kind == "map":
            return f"new java.util.ArrayList<{java_type(item, True)}>(java.util.Arrays.asList({parts}))"
        return f"new {java_type(vt)}{{{parts}}}"
    pairs = ", ".join(f"{json.dumps(k)}, {literal(v, item)}" for k, v in value.items())
    return f"Main.<String, {java_type(item, True)}>mapOf({pairs})"


def program(code: str, signature: Signature, inputs: List[List[Any]], marker: str) -> str:
    imports = "\n".join(m.group(0).strip() for m in IMPORT.finditer(code))
    body = PUBLIC_SOLUTION.sub(r"\1", IMPORT.sub("", code))
    cases = []
    for i, args in enumerate(inputs):
        call = ", ".join(literal(a, t) for a, (_, t) in zip(args, signature.params))
        cases.append(
            f"    try {{ Object r = new Solution().{signature.function}({call}); say(\"{i} ok \" + enc(r)); }}\n"
            f"    catch (OutOfMemoryError t) {{ say(\"{i} memory \" + str(t.toString())); }}\n"
            f"    catch (Throwable t) {{ say(\"{i} error \" + str(t.toString())); }}"
        )
    return (
        f"import java.util.*;\n{imports}\n\n"
        f"public class Main {{\n  static final String M = {json.dumps(marker)};\n{ENCODER}\n"
        f"  public static void main(String[] args) {{\n" + "\n".join(cases) + "\n  }\n}\n\n"
        f"{body}\n"
    )


def starter(signature: Signature) -> str:
    params = ", ".join(f"{java_type(t)} {n}" for n, t in signature.params)
    return (f"class Solution {{\n    public {java_type(signature.returns)} {signature.function}({params}) {{\n"
            f"        // Your code here\n        return {_zero(signature.returns)};\n    }}\n}}\n")


def _zero(vt: ValueType) -> str:
    return {"int": "0", "float": "0.0", "bool": "false"}.get(vt.kind, "null")
