"""Accounts over real HTTP on both backends: sign-up, log-in, log-out revocation, profile, conflicts, errors."""

from __future__ import annotations

import os
import stat
import time
from typing import Any, Dict

import aiohttp
import jwt
import pytest

from .fixtures import sign_up

pytestmark = pytest.mark.slow
ERROR_KEYS = {"error", "code", "status"}


async def error(response: aiohttp.ClientResponse, status: int, code: str) -> Dict[str, Any]:
    body = await response.json()
    assert response.status == status, body
    assert set(body) == ERROR_KEYS and body["code"] == code and body["status"] == status, body
    return dict(body)


async def test_signup_login_profile_logout(http: aiohttp.ClientSession) -> None:
    body = {"email": "John@Example.com", "password": "password123", "username": "john_dev"}
    async with http.post("/api/auth/signup", json=body) as r:
        signed = await r.json()
        assert r.status == 201
    assert set(signed) == {"user", "session"} and set(signed["user"]) == {"id", "email", "username"}
    assert signed["user"]["email"] == "john@example.com" and signed["user"]["username"] == "john_dev"
    async with http.post("/api/auth/login", json={"email": "john@example.com", "password": "password123"}) as r:
        logged = await r.json()
        assert r.status == 200
    assert set(logged["user"]) == {"id", "email"} and logged["user"]["id"] == signed["user"]["id"]
    auth = {"Authorization": f"Bearer {logged['session']['access_token']}"}
    async with http.get("/api/profile", headers=auth) as r:
        profile = await r.json()
    assert set(profile) == {"id", "username", "email", "xp_total", "level", "avatar_url", "interests", "created_at"}
    assert (profile["xp_total"], profile["level"], profile["interests"]) == (0, 1, [])
    assert profile["created_at"].endswith("Z")
    update = {"username": "john_dev_pro", "avatar_url": "https://example.com/a.png", "interests": ["Python"]}
    async with http.put("/api/profile", json=update, headers=auth) as r:
        assert r.status == 200
        assert await r.json() == {"id": profile["id"], "username": "john_dev_pro",
                                  "avatar_url": "https://example.com/a.png", "interests": ["Python"]}
    async with http.get("/api/profile", headers=auth) as r:
        assert (await r.json())["username"] == "john_dev_pro"
    async with http.post("/api/auth/logout", headers=auth) as r:
        assert r.status == 200 and await r.json() == {"message": "Logout successful"}
    async with http.get("/api/profile", headers=auth) as r:
        assert "revoked" in (await error(r, 401, "UNAUTHORIZED"))["error"]
    # the sign-up token is another token: it stays valid
    async with http.get("/api/profile", headers={"Authorization": f"Bearer {signed['session']['access_token']}"}) as r:
        assert r.status == 200


async def test_unique_username_and_email(http: aiohttp.ClientSession) -> None:
    await sign_up(http, "alice")
    _, bob = await sign_up(http, "bob")
    same_email = {"email": "alice@example.com", "password": "password123", "username": "other"}
    async with http.post("/api/auth/signup", json=same_email) as r:
        assert (await error(r, 409, "CONFLICT"))["error"] == "Email already registered"
    same_name = {"email": "new@example.com", "password": "password123", "username": "alice"}
    async with http.post("/api/auth/signup", json=same_name) as r:
        assert (await error(r, 409, "CONFLICT"))["error"] == "Username already taken"
    async with http.put("/api/profile", json={"username": "alice"}, headers=bob) as r:
        await error(r, 409, "CONFLICT")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"email": "x@example.com", "password": "password123"}, "Missing required field: username"),
        ({"email": "not-an-email", "password": "password123", "username": "abc"}, "email"),
        ({"email": "x@example.com", "password": "short", "username": "abc"}, "password"),
        ({"email": "x@example.com", "password": "password123", "username": "a b"}, "username"),
        ({"email": "x@example.com", "password": 12345678, "username": "abc"}, "password"),
        ({"email": "x@example.com", "password": "password123", "username": "abc", "admin": True}, "admin"),
    ],
)
async def test_signup_refuses_bad_input(http: aiohttp.ClientSession, body: Dict[str, Any], message: str) -> None:
    async with http.post("/api/auth/signup", json=body) as r:
        assert message in (await error(r, 400, "INVALID_INPUT"))["error"]


async def test_bad_bodies_are_400_not_500(http: aiohttp.ClientSession) -> None:
    async with http.post("/api/auth/login", data="{not json", headers={"Content-Type": "application/json"}) as r:
        assert "not valid JSON" in (await error(r, 400, "INVALID_INPUT"))["error"]
    async with http.post("/api/auth/login", data="email=x", headers={"Content-Type": "text/plain"}) as r:
        assert "application/json" in (await error(r, 400, "INVALID_INPUT"))["error"]
    async with http.post("/api/auth/login", json=[1, 2]) as r:
        await error(r, 400, "INVALID_INPUT")
    too_big = b"x" * (600 * 1024)
    async with http.post("/api/auth/login", data=too_big, headers={"Content-Type": "application/json"}) as r:
        await error(r, 413, "INVALID_INPUT")
    async with http.get("/api/nothing-here") as r:
        await error(r, 404, "NOT_FOUND")
    async with http.delete("/api/auth/login") as r:
        await error(r, 405, "METHOD_NOT_ALLOWED")


async def test_wrong_password_and_unknown_email(http: aiohttp.ClientSession) -> None:
    await sign_up(http, "carol")
    for body in ({"email": "carol@example.com", "password": "wrong-password"},
                 {"email": "nobody@example.com", "password": "password123"}):
        async with http.post("/api/auth/login", json=body) as r:
            assert (await error(r, 401, "UNAUTHORIZED"))["error"] == "Invalid email or password"


async def test_every_other_route_needs_a_valid_token(http: aiohttp.ClientSession, tmp_path: Any) -> None:
    for method, path in (("GET", "/api/profile"), ("PUT", "/api/profile"), ("GET", "/api/problems"),
                         ("GET", "/api/submissions"), ("POST", "/api/submissions"), ("POST", "/api/auth/logout")):
        async with http.request(method, path) as r:
            assert "Missing Authorization" in (await error(r, 401, "UNAUTHORIZED"))["error"]
    _, auth = await sign_up(http, "dave")
    token = auth["Authorization"].split()[1]
    claims = jwt.decode(token, options={"verify_signature": False})
    forged = jwt.encode({**claims, "jti": "x"}, "a-different-secret-of-enough-length-000000", algorithm="HS256")
    expired = {**claims, "exp": int(time.time()) - 10}
    secret = (tmp_path / "data-0" / "jwt-secret").read_text()
    cases = {
        "Basic abc": "Bearer",
        f"Bearer {forged}": "Invalid token",
        f"Bearer {jwt.encode(expired, secret, algorithm='HS256')}": "expired",
        f"Bearer {jwt.encode({**claims, 'sub': 'no-such-user'}, secret, algorithm='HS256')}": "No account",
        f"Bearer {jwt.encode({**claims, 'aud': 'other'}, secret, algorithm='HS256')}": "Invalid token",
    }
    for header, message in cases.items():
        async with http.get("/api/profile", headers={"Authorization": header}) as r:
            assert message in (await error(r, 401, "UNAUTHORIZED"))["error"], header


async def test_secret_is_made_once_and_private(start_practice: Any, tmp_path: Any) -> None:
    data_dir = tmp_path / "shared"
    url = await start_practice(data_dir=data_dir)
    secret_file = data_dir / "jwt-secret"
    assert stat.S_IMODE(os.stat(secret_file).st_mode) == 0o600
    first = secret_file.read_text()
    async with aiohttp.ClientSession(url) as http:
        _, auth = await sign_up(http, "erin")
    url = await start_practice(data_dir=data_dir)  # a restart on the same data dir keeps tokens valid
    assert secret_file.read_text() == first
    async with aiohttp.ClientSession(url) as http, http.get("/api/profile", headers=auth) as r:
        assert r.status == 200


async def test_configured_secret_verifies_outside_tokens(start_practice: Any, tmp_path: Any) -> None:
    secret = "s" * 40
    url = await start_practice(jwt_secret=secret)
    assert not (tmp_path / "data-0" / "jwt-secret").exists()
    async with aiohttp.ClientSession(url) as http:
        user_id, _ = await sign_up(http, "frank")
        # a token minted elsewhere with the same secret (as Supabase would), without a jti
        outside = jwt.encode({"sub": user_id, "aud": "authenticated", "exp": int(time.time()) + 60}, secret,
                             algorithm="HS256")
        async with http.get("/api/profile", headers={"Authorization": f"Bearer {outside}"}) as r:
            assert r.status == 200 and (await r.json())["username"] == "frank"
