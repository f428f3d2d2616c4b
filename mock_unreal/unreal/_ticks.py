"""Slate tick callbacks, as `unreal.register_slate_*_tick_callback` keeps them."""

from __future__ import annotations

import itertools
import threading
from typing import Callable, Dict, List

TickCallback = Callable[[float], None]

_lock = threading.Lock()
_ids = itertools.count(1)
_pre: Dict[int, TickCallback] = {}
_post: Dict[int, TickCallback] = {}


class _DelegateHandle:
    """The opaque handle the editor returns for a registered callback."""

    def __init__(self, handle_id: int) -> None:
        self._id = handle_id

    def __repr__(self) -> str:
        return f"<_DelegateHandle {self._id}>"


def register_slate_pre_tick_callback(callable: TickCallback) -> _DelegateHandle:
    """Call `callable(delta_time)` before Slate ticks, once per frame."""
    return _register(_pre, callable)


def register_slate_post_tick_callback(callable: TickCallback) -> _DelegateHandle:
    """Call `callable(delta_time)` after Slate ticks, once per frame."""
    return _register(_post, callable)


def unregister_slate_pre_tick_callback(handle: _DelegateHandle) -> None:
    """Remove a callback registered with `register_slate_pre_tick_callback`."""
    _unregister(_pre, handle)


def unregister_slate_post_tick_callback(handle: _DelegateHandle) -> None:
    """Remove a callback registered with `register_slate_post_tick_callback`."""
    _unregister(_post, handle)


def _register(table: Dict[int, TickCallback], fn: TickCallback) -> _DelegateHandle:
    if not callable(fn):
        raise TypeError(f"tick callback must be callable, got {type(fn).__name__}")
    with _lock:
        handle_id = next(_ids)
        table[handle_id] = fn
    return _DelegateHandle(handle_id)


def _unregister(table: Dict[int, TickCallback], handle: _DelegateHandle) -> None:
    if not isinstance(handle, _DelegateHandle):
        raise TypeError(f"expected a _DelegateHandle, got {type(handle).__name__}")
    with _lock:
        table.pop(handle._id, None)


def callbacks() -> tuple[List[TickCallback], List[TickCallback]]:
    """Snapshot of (pre, post) callbacks, in registration order."""
    with _lock:
        return list(_pre.values()), list(_post.values())


def clear() -> None:
    """Forget every callback, as Python shutdown does in the editor."""
    with _lock:
        _pre.clear()
        _post.clear()
