"""Why a box could not be made; each backend words it for its own API."""

from __future__ import annotations


class ContainmentUnavailable(RuntimeError):
    """A box cannot be made as required (no cgroup, no bwrap, a refused limit); nothing was run."""
