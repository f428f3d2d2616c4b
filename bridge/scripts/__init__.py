"""Named editor scripts: discovery, parameter schemas, reload on change.

Kept import-light: `bridge.config` imports `bridge.scripts.settings` through this package.
"""
from __future__ import annotations
