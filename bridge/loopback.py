"""Whether a name or an address is this machine: the one check behind every loopback-only rule
(the HTTP Host guard, `ue-bridge mcp --http`, remote execution's connect-back)."""
from __future__ import annotations

import functools
import ipaddress


def is_loopback_address(host: str) -> bool:
    """`localhost` or a loopback IP (127.x.x.x, ::1), as a bind or connect address: no port, no brackets."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@functools.lru_cache(maxsize=256)
def is_loopback_host(host: str) -> bool:
    """A Host header naming this machine: `localhost`, `*.localhost`, `127.x.x.x`, `::1`, `[::1]`, with or
    without a port."""
    name = host.strip().lower()
    if name.startswith("["):
        name = name[1:].split("]", 1)[0]
    elif name.count(":") == 1:
        name = name.split(":", 1)[0]
    if name in ("localhost", "localhost.") or name.endswith(".localhost"):
        return True
    return is_loopback_address(name)
