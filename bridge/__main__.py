"""`python -m bridge`: the headless host (same as `ue-bridge serve`)."""
from __future__ import annotations

import sys

from .client.cli import main

sys.exit(main())
