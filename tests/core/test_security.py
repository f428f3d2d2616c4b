"""Security defaults: loopback Host, Origin allow-list, bearer tokens, JSON-only bodies."""
from __future__ import annotations

import stat
from pathlib import Path

import aiohttp
import pytest

from bridge.api.security import ensure_token, is_loopback_host
from bridge.config import Settings
from bridge.host import BridgeHost

CODE = {"code": "print('ran')"}


@pytest.mark.parametrize("host", ["localhost", "localhost:8000", "127.0.0.1:8000", "127.1.2.3", "[::1]:8000", "::1"])
def test_loopback_names(host: str) -> None:
    assert is_loopback_host(host)


@pytest.mark.parametrize(
    "host", ["", "evil.example", "evil.example:8000", "192.168.1.5", "10.0.0.1:80", "[2001:db8::1]"]
)
def test_foreign_names(host: str) -> None:
    assert not is_loopback_host(host)


async def test_foreign_host_is_refused(http: aiohttp.ClientSession) -> None:
    # What a DNS-rebinding page sends: its own name, resolving to 127.0.0.1.
    async with http.post("/api/v1/python/execute", json=CODE, headers={"Host": "attacker.example:8000"}) as response:
        body = await response.json()
    assert response.status == 403 and body["error_code"] == "FORBIDDEN"
    assert "attacker.example" in body["error"]


async def test_cross_origin_request_is_refused(http: aiohttp.ClientSession) -> None:
    async with http.post("/api/v1/python/execute", json=CODE, headers={"Origin": "https://evil.example"}) as response:
        body = await response.json()
    assert response.status == 403 and body["error_code"] == "FORBIDDEN"
    assert "allowed_origins" in body["error"]
    async with http.get("/api/v1/python/jobs") as response:
        assert (await response.json())["jobs"] == []  # nothing ran


async def test_cross_origin_preflight_is_refused(http: aiohttp.ClientSession) -> None:
    headers = {"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"}
    async with http.options("/api/v1/python/execute", headers=headers) as response:
        assert response.status == 403
        assert "Access-Control-Allow-Origin" not in response.headers


async def test_allowed_origin_gets_cors(start_bridge) -> None:  # type: ignore[no-untyped-def]
    host: BridgeHost = start_bridge(allowed_origins=["http://tools.studio.local"])
    async with aiohttp.ClientSession(base_url=host.url) as http:
        headers = {"Origin": "http://tools.studio.local", "Access-Control-Request-Method": "POST"}
        async with http.options("/api/v1/python/execute", headers=headers) as response:
            assert response.status == 204
            assert response.headers["Access-Control-Allow-Origin"] == "http://tools.studio.local"
        async with http.post("/api/v1/python/execute", json=CODE,
                             headers={"Origin": "http://tools.studio.local"}) as response:
            assert response.status == 200
            assert (await response.json())["output"] == "ran\n"
            assert response.headers["Access-Control-Allow-Origin"] == "http://tools.studio.local"


async def test_same_origin_page_may_call(http: aiohttp.ClientSession, bridge: BridgeHost) -> None:
    async with http.post("/api/v1/python/execute", json=CODE, headers={"Origin": bridge.url}) as response:
        assert response.status == 200


async def test_token_is_required_when_set(start_bridge) -> None:  # type: ignore[no-untyped-def]
    host: BridgeHost = start_bridge(token="s3cret-token")
    async with aiohttp.ClientSession(base_url=host.url) as http:
        async with http.post("/api/v1/python/execute", json=CODE) as response:
            body = await response.json()
            assert response.status == 401 and body["error_code"] == "UNAUTHORIZED"
            assert response.headers["WWW-Authenticate"] == "Bearer"
        async with http.post("/api/v1/python/execute", json=CODE,
                             headers={"Authorization": "Bearer wrong"}) as response:
            body = await response.json()
            assert response.status == 401 and "s3cret" not in str(body)
        async with http.post("/api/v1/python/execute", json=CODE,
                             headers={"Authorization": "Bearer s3cret-token"}) as response:
            assert response.status == 200
        async with http.get("/api/v1/health") as response:
            assert response.status == 200  # probes need no token


def test_non_loopback_bind_generates_a_private_token_file(tmp_path: Path) -> None:
    settings = Settings(host="0.0.0.0")
    path = ensure_token(settings, tmp_path / "PythonBridge" / "token")
    assert path == tmp_path / "PythonBridge" / "token"
    assert settings.token and len(settings.token) >= 32
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_text().strip() == settings.token
    again = Settings(host="0.0.0.0")
    ensure_token(again, path)
    assert again.token == settings.token  # reused, not regenerated


def test_loopback_bind_needs_no_token(tmp_path: Path) -> None:
    settings = Settings()
    assert ensure_token(settings, tmp_path / "token") is None
    assert settings.token is None and not (tmp_path / "token").exists()


def test_empty_token_file_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "token").write_text("")
    with pytest.raises(ValueError, match="is empty"):
        ensure_token(Settings(host="0.0.0.0"), tmp_path / "token")


def test_token_is_never_in_the_settings_repr() -> None:
    assert "hunter2" not in repr(Settings(token="hunter2"))
