"""OPT value and heap encoding with bounded size: breadth first, so shallow objects are always shown."""

from __future__ import annotations

import math
import reprlib
import types
from collections import deque
from typing import Any, Callable, Deque, Dict, List, Optional, Set, Tuple

USER_MODULE = "__main__"
INT64 = 2**63
_HIDDEN_CLASS_ATTRS = {"__module__", "__dict__", "__weakref__", "__qualname__", "__doc__"}


class Limits:
    """Bounds that keep one step small however big the program's data is."""

    def __init__(self, max_items: int = 100, max_depth: int = 50, max_objects: int = 500,
                 max_str: int = 1000):
        self.max_items = max_items
        self.max_depth = max_depth
        self.max_objects = max_objects
        self.max_str = max_str


def clip(text: str, limit: int) -> str:
    """Cut a string to `limit` characters, saying how much was left out."""
    if len(text) <= limit:
        return text
    return text[:limit] + f"... ({len(text) - limit} more characters)"


def safe_str(obj: Any, limit: int, use_repr: bool = False) -> str:
    """str() or repr() that never raises: user __str__/__repr__ may do anything."""
    try:
        text = repr(obj) if use_repr else str(obj)
        if not isinstance(text, str):
            raise TypeError("__str__ returned non-string")
    except Exception as exc:  # the object is user code; its failure must not stop the trace
        return "<{}() raised {}>".format("repr" if use_repr else "str", type(exc).__name__)
    return clip(text, limit)


class HeapEncoder:
    """Encodes values as OPT inline values or REFs into a per-step heap, with ids stable for the whole run."""

    def __init__(self, limits: Limits, function_parent: Callable[[Any], Optional[int]]):
        self.limits = limits
        self._function_parent = function_parent
        # id(obj) -> (small id, obj); holding obj keeps id() from being recycled to a different object.
        self._ids: Dict[int, Tuple[int, Any, str, List[Any]]] = {}
        self._next_id = 0
        self._repr = reprlib.Repr()
        self._repr.maxstring = limits.max_str
        self._repr.maxother = limits.max_str
        self.heap: Dict[str, Any] = {}
        self._queue: Deque[Tuple[Any, str, int]] = deque()
        self._queued: Set[str] = set()
        # heap key -> encoding, for objects whose encoding cannot change (plain tuples, plain functions)
        self._frozen: Dict[str, List[Any]] = {}
        self._class_info: Dict[type, Tuple[List[str], bool]] = {}

    def new_step(self) -> None:
        """Start an empty heap for the next step."""
        self.heap = {}
        self._queue.clear()
        self._queued = set()

    def _entry(self, obj: Any) -> Tuple[int, Any, str, List[Any]]:
        # (small id, obj, heap key, REF list): holding obj keeps id() from being recycled to another object
        entry = self._ids.get(id(obj))
        if entry is None or entry[1] is not obj:
            self._next_id += 1
            oid = self._next_id
            entry = (oid, obj, str(oid), ["REF", oid])
            self._ids[id(obj)] = entry
        return entry

    def value(self, obj: Any, depth: int = 0) -> Any:
        """Inline encoding of obj; containers and objects become REFs queued for the heap."""
        kind = type(obj)
        if kind is int:
            if -INT64 < obj < INT64:
                return obj
        elif kind is str:
            return obj if len(obj) <= self.limits.max_str else clip(obj, self.limits.max_str)
        elif obj is None or kind is bool:
            return obj
        elif kind is float:
            return encode_float(obj)
        entry = self._entry(obj)
        key = entry[2]
        if key not in self._queued:
            if depth > self.limits.max_depth:
                return "... (nested too deep)"
            if len(self._queued) >= self.limits.max_objects:
                return "... (too many objects to show)"
            self._queued.add(key)
            frozen = self._frozen.get(key)
            if frozen is not None:
                self.heap[key] = frozen
            else:
                self._queue.append((obj, key, depth))
        return entry[3]

    def drain(self) -> None:
        """Encode every queued object into the heap, breadth first."""
        while self._queue:
            obj, key, depth = self._queue.popleft()
            try:
                self.heap[key] = self._encode(obj, key, depth + 1)
            except Exception as exc:  # a hostile object must cost one entry, not the trace
                self.heap[key] = [type(obj).__name__, f"<not shown: {type(exc).__name__}>"]

    def _items(self, tag: str, values: Any, depth: int, total: int) -> List[Any]:
        limit = self.limits.max_items
        value = self.value
        if total <= limit:
            out = [tag, *[value(item, depth) for item in values]]
            shown = total
        else:
            out = [tag]
            shown = 0
            for item in values:
                if shown >= limit:
                    break
                out.append(value(item, depth))
                shown += 1
        if total > shown:
            out.append(f"... ({total - shown} more items)")
        return out

    def _encode(self, obj: Any, key: str, depth: int) -> List[Any]:
        kind = type(obj)
        if kind is list:
            return self._items("LIST", obj, depth, len(obj))
        if isinstance(obj, tuple):
            encoded = self._items("TUPLE", obj, depth, len(obj))
            if all(not (type(e) is list and e[0] == "REF") for e in encoded):
                self._frozen[key] = encoded  # a tuple of plain values never changes: encode it once
            return encoded
        if kind is set or kind is frozenset:
            return self._items("SET", obj, depth, len(obj))
        if kind is dict:
            return self._pairs("DICT", list(obj.items()), depth)
        if kind is int:
            return ["int", digits_of(obj, self.limits.max_str)]
        if isinstance(obj, types.FunctionType):
            encoded = self._function(obj, depth)
            if not obj.__defaults__ and not obj.__kwdefaults__:
                self._frozen[key] = encoded
            return encoded
        if isinstance(obj, type):
            return self._class(obj, depth)
        if isinstance(obj, types.ModuleType):
            return ["module", obj.__name__]
        if getattr(kind, "__module__", None) == USER_MODULE:
            return self._instance(obj, depth)
        return [kind.__name__, clip(self._safe_repr(obj), self.limits.max_str)]

    def _safe_repr(self, obj: Any) -> str:
        try:
            return self._repr.repr(obj)
        except Exception as exc:
            return f"<repr() raised {type(exc).__name__}>"

    def _pairs(self, tag: str, pairs: List[Tuple[Any, Any]], depth: int) -> List[Any]:
        value = self.value
        shown = pairs[: self.limits.max_items]
        out: List[Any] = [tag, *[[value(key, depth), value(val, depth)] for key, val in shown]]
        if len(pairs) > self.limits.max_items:
            out.append(["...", f"({len(pairs) - self.limits.max_items} more entries)"])
        return out

    def _function(self, fn: types.FunctionType, depth: int) -> List[Any]:
        code = fn.__code__
        nargs = code.co_argcount + code.co_kwonlyargcount
        names = list(code.co_varnames[:nargs])
        pos = code.co_argcount
        if code.co_flags & 0x04:  # CO_VARARGS
            names.insert(pos, "*" + code.co_varnames[nargs])
            nargs += 1
        elif code.co_kwonlyargcount:
            names.insert(pos, "*")
        if code.co_flags & 0x08:  # CO_VARKEYWORDS
            names.append("**" + code.co_varnames[nargs])
        signature = f"{fn.__name__}({', '.join(names)})"
        out: List[Any] = ["FUNCTION", signature, self._function_parent(fn)]
        defaults: List[Any] = []
        if fn.__defaults__:
            first = code.co_argcount - len(fn.__defaults__)
            for i, default in enumerate(fn.__defaults__):
                defaults.append([code.co_varnames[first + i], self.value(default, depth)])
        for name, default in (fn.__kwdefaults__ or {}).items():
            defaults.append([name, self.value(default, depth)])
        if defaults:
            out.append(defaults)
        return out

    def _class(self, cls: type, depth: int) -> List[Any]:
        bases = [b.__name__ for b in cls.__bases__ if b is not object]
        attrs: List[Tuple[Any, Any]] = []
        if cls.__module__ == USER_MODULE:
            attrs = [(k, v) for k, v in vars(cls).items() if k not in _HIDDEN_CLASS_ATTRS]
        return ["CLASS", cls.__name__, bases, *self._pairs("", attrs, depth)[1:]]

    def _instance(self, obj: Any, depth: int) -> List[Any]:
        cls = type(obj)
        info = self._class_info.get(cls)
        if info is None:
            slots = [slot for klass in cls.__mro__ for slot in klass.__dict__.get("__slots__", ())
                     if isinstance(slot, str) and slot not in ("__dict__", "__weakref__")]
            info = self._class_info[cls] = (slots, has_own_str(cls))
        slots, own_str = info
        attrs: List[Tuple[Any, Any]] = []
        try:
            inst_dict = object.__getattribute__(obj, "__dict__")
        except AttributeError:
            inst_dict = None
        if isinstance(inst_dict, dict):
            attrs.extend(inst_dict.items())
        for slot in slots:
            if hasattr(obj, slot):
                attrs.append((slot, getattr(obj, slot)))
        pairs = self._pairs("", attrs, depth)[1:]
        if own_str:
            return ["INSTANCE_PPRINT", cls.__name__, safe_str(obj, self.limits.max_str), *pairs]
        return ["INSTANCE", cls.__name__, *pairs]


def has_own_str(cls: type) -> bool:
    """True when a user class (not object) defines __str__ somewhere in its MRO (OPT issue #139)."""
    for klass in cls.__mro__:
        if klass is object:
            return False
        if klass.__module__ == USER_MODULE and "__str__" in klass.__dict__:
            return True
    return False


def encode_float(x: float) -> Any:
    """OPT float encoding: inf, nan and integral floats are SPECIAL_FLOAT, others rounded to 4 digits."""
    if math.isinf(x):
        return ["SPECIAL_FLOAT", "Infinity" if x > 0 else "-Infinity"]
    if math.isnan(x):
        return ["SPECIAL_FLOAT", "NaN"]
    if x.is_integer():
        return ["SPECIAL_FLOAT", repr(x) if abs(x) < 1e16 else f"{x:g}"]
    return round(x, 4)


def digits_of(n: int, limit: int) -> str:
    """Decimal text of a big int without tripping CPython's int-to-str digit limit."""
    if n.bit_length() > 4 * limit:
        return f"<int of {n.bit_length()} bits>"
    return clip(str(n), limit)
