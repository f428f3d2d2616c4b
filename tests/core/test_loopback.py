"""The one loopback check: bind and connect addresses, and Host headers."""
from __future__ import annotations

import pytest

from bridge.loopback import is_loopback_address, is_loopback_host


@pytest.mark.parametrize("address", ["localhost", "127.0.0.1", "127.1.2.3", "::1", "0:0:0:0:0:0:0:1"])
def test_loopback_addresses(address: str) -> None:
    assert is_loopback_address(address)


@pytest.mark.parametrize("address", ["0.0.0.0", "::", "192.168.1.5", "127.foo", "localhost:8000", "[::1]", ""])
def test_other_addresses(address: str) -> None:
    assert not is_loopback_address(address)


@pytest.mark.parametrize("host", ["localhost:8000", "[::1]:8000", "app.localhost", "127.0.0.1"])
def test_host_headers_take_ports_brackets_and_localhost_names(host: str) -> None:
    assert is_loopback_host(host)
