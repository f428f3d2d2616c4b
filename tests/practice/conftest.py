"""The practice tests run on Python 3.10+ (where the practice extra installs); fixtures live in fixtures.py."""

from __future__ import annotations

import sys

collect_ignore_glob = ["test_*.py"] if sys.version_info < (3, 10) else []

if sys.version_info >= (3, 10):
    from .fixtures import base_url, build_cache, database_url, http, postgres, start_practice  # noqa: F401
