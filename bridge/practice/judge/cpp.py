"""The C++ harness: the user's `class Solution`, typed literals for each input, and a JSON encoder."""

from __future__ import annotations

from typing import Any, List

from .signature import Signature
from .types import ValueType

PRELUDE = "#include <bits/stdc++.h>\nusing namespace std;\n"

DRIVER = r'''
namespace judge_harness {
static void enc(std::ostream& o, const std::string& s) {
  o << '"';
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') o << '\\' << c;
    else if (c < 0x20) { char buf[8]; std::snprintf(buf, sizeof buf, "\\u%04x", c); o << buf; }
    else o << c;
  }
  o << '"';
}
static void enc(std::ostream& o, const char* s) { enc(o, std::string(s)); }
static void enc(std::ostream& o, bool v) { o << (v ? "true" : "false"); }
static void enc(std::ostream& o, char v) { enc(o, std::string(1, v)); }
static void enc(std::ostream& o, int v) { o << v; }
static void enc(std::ostream& o, long v) { o << v; }
static void enc(std::ostream& o, long long v) { o << v; }
static void enc(std::ostream& o, unsigned v) { o << v; }
static void enc(std::ostream& o, unsigned long v) { o << v; }
static void enc(std::ostream& o, unsigned long long v) { o << v; }
static void enc(std::ostream& o, double v) {
  if (!std::isfinite(v)) { o << "null"; return; }
  char buf[32]; std::snprintf(buf, sizeof buf, "%.17g", v); o << buf;
}
static void enc(std::ostream& o, float v) { enc(o, static_cast<double>(v)); }
template <class T> void enc(std::ostream& o, const std::vector<T>& v);
template <class K, class V> void enc(std::ostream& o, const std::map<K, V>& m);
template <class K, class V> void enc(std::ostream& o, const std::unordered_map<K, V>& m);
template <class T> void enc(std::ostream& o, const std::vector<T>& v) {
  o << '[';
  for (size_t i = 0; i < v.size(); i++) { if (i) o << ','; enc(o, static_cast<T>(v[i])); }
  o << ']';
}
template <class M> void enc_map(std::ostream& o, const M& m) {
  o << '{';
  bool first = true;
  for (const auto& kv : m) {
    if (!first) o << ',';
    first = false;
    std::ostringstream key; key << kv.first;
    enc(o, key.str()); o << ':'; enc(o, kv.second);
  }
  o << '}';
}
template <class K, class V> void enc(std::ostream& o, const std::map<K, V>& m) { enc_map(o, m); }
template <class K, class V> void enc(std::ostream& o, const std::unordered_map<K, V>& m) { enc_map(o, m); }
static void say(const std::string& words) { std::cout << "\n" << MARKER << " " << words << "\n" << std::flush; }
template <class T> std::string json(const T& v) { std::ostringstream o; enc(o, v); return o.str(); }
}  // namespace judge_harness
'''


def cpp_type(vt: ValueType) -> str:
    if vt.kind == "int":
        return "int"
    if vt.kind == "float":
        return "double"
    if vt.kind == "bool":
        return "bool"
    if vt.kind == "string":
        return "std::string"
    assert vt.item is not None
    if vt.kind == "list":
        return f"std::vector<{cpp_type(vt.item)}>"
    return f"std::map<std::string, {cpp_type(vt.item)}>"


def string_literal(text: str) -> str:
    """A byte-exact std::string: octal escapes (never followed by a stray digit) and an explicit length for NULs."""
    raw = text.encode()
    body = "".join(chr(b) if 32 <= b < 127 and b not in (34, 92, 63) else f"\\{b:03o}" for b in raw)
    return f'std::string("{body}", {len(raw)})'


def literal(value: Any, vt: ValueType) -> str:
    if vt.kind == "int":
        return str(int(value))
    if vt.kind == "float":
        return repr(float(value))
    if vt.kind == "bool":
        return "true" if value else "false"
    if vt.kind == "string":
        return string_literal(value)
    assert vt.item is not None
    if vt.kind == "list":
        return f"{cpp_type(vt)}{{{', '.join(literal(v, vt.item) for v in value)}}}"
    pairs = ", ".join(f"{{{string_literal(k)}, {literal(v, vt.item)}}}" for k, v in value.items())
    return f"{cpp_type(vt)}{{{pairs}}}"


def program(code: str, signature: Signature, inputs: List[List[Any]], marker: str) -> str:
    cases = []
    for i, args in enumerate(inputs):
        decls = " ".join(f"auto a{j} = {literal(a, t)};" for j, (a, (_, t)) in enumerate(zip(args, signature.params)))
        call = ", ".join(f"a{j}" for j in range(len(args)))
        cases.append(
            f"  try {{ {decls} Solution s; auto r = s.{signature.function}({call}); "
            f"judge_harness::say(\"{i} ok \" + judge_harness::json(r)); }}\n"
            f"  catch (const std::bad_alloc& e) {{ judge_harness::say(\"{i} memory \" + "
            f"judge_harness::json(std::string(\"std::bad_alloc\"))); }}\n"
            f"  catch (const std::exception& e) {{ judge_harness::say(\"{i} error \" + "
            f"judge_harness::json(std::string(\"exception: \") + e.what())); }}\n"
            f"  catch (...) {{ judge_harness::say(\"{i} error \" + judge_harness::json(std::string(\"exception\"))); }}"
        )
    return (f"{PRELUDE}static const char* MARKER = \"{marker}\";\n#line 1 \"solution.cpp\"\n{code}\n"
            f"{DRIVER}\nint main() {{\n" + "\n".join(cases) + "\n  return 0;\n}\n")


def starter(signature: Signature) -> str:
    params = ", ".join(f"{cpp_type(t)}{'&' if t.kind in ('list', 'map', 'string') else ''} {n}"
                       for n, t in signature.params)
    return (f"class Solution {{\npublic:\n    {cpp_type(signature.returns)} {signature.function}({params}) {{\n"
            f"        // Your code here\n        return {{}};\n    }}\n}};\n")
