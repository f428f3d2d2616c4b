"""The mock `unreal` module: the names and signatures of Unreal's, backed by in-memory state."""
from __future__ import annotations

from ._logging import log, log_error, log_warning
from ._system import Paths, SystemLibrary
from ._ticks import (
    register_slate_post_tick_callback,
    register_slate_pre_tick_callback,
    unregister_slate_post_tick_callback,
    unregister_slate_pre_tick_callback,
)

# Lets tools tell a headless host from an editor; the real module has no such name.
__mock__ = True

__all__ = [
    "Paths",
    "SystemLibrary",
    "log",
    "log_error",
    "log_warning",
    "register_slate_post_tick_callback",
    "register_slate_pre_tick_callback",
    "unregister_slate_post_tick_callback",
    "unregister_slate_pre_tick_callback",
]
