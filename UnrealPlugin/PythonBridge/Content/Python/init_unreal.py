"""Starts the Unreal Python bridge when the editor loads this plugin; stops it at Python shutdown.

The editor runs every `init_unreal.py` on the game thread, in the shared console globals, so the
names here are private and the bridge's own state lives in the `bridge` package.
"""
import atexit
import os

import unreal


def _start_bridge():
    if os.environ.get("UE_BRIDGE_DISABLE") == "1":
        unreal.log("PythonBridge: disabled by UE_BRIDGE_DISABLE=1")
        return None
    try:
        from bridge.config import Settings
        from bridge.host import BridgeHost
    except ImportError as exc:
        unreal.log_error(
            f"PythonBridge: cannot import the bridge package ({exc}). Run `make plugin` in the bridge checkout "
            "to copy it into this plugin, and on UE 5.0-5.3 pip-install the requirements listed in "
            "PythonBridge.uplugin into the editor's Python."
        )
        return None
    try:
        host = BridgeHost(Settings(), unreal)
        host.start()
    except Exception as exc:  # a bad setting or a busy port must not break editor start-up
        unreal.log_error(f"PythonBridge: failed to start: {exc}")
        return None
    unreal.log(f"PythonBridge: listening on {host.url}")
    if host.token_file is not None:
        unreal.log(f"PythonBridge: bearer token in {host.token_file}")
    atexit.register(host.stop)
    return host


_python_bridge_host = _start_bridge()
