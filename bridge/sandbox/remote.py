"""Forwarding to a sandbox served elsewhere (`ue-bridge sandbox-serve` on a Linux host)."""

from __future__ import annotations

from typing import Any, Dict, Optional, Tuple

import aiohttp
import orjson

from .errors import SandboxUnavailable

RELAYED_HEADERS = ("Retry-After",)


class RemoteSandbox:
    """An HTTP client for a remote sandbox; replies are relayed verbatim (status, body, Retry-After)."""

    def __init__(self, url: str, token: Optional[str], timeout_s: float) -> None:
        self.url = url.rstrip("/")
        self.token = token
        self.timeout = aiohttp.ClientTimeout(total=timeout_s)
        self.session: Optional[aiohttp.ClientSession] = None

    async def start(self) -> None:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        self.session = aiohttp.ClientSession(headers=headers, timeout=self.timeout)

    async def close(self) -> None:
        if self.session is not None:
            await self.session.close()
            self.session = None

    async def forward(self, method: str, path: str, body: Optional[bytes] = None) -> Tuple[int, bytes, Dict[str, str]]:
        """Send one request on; SandboxUnavailable when the remote cannot be reached."""
        assert self.session is not None, "RemoteSandbox.start() was not called"
        headers = {"Content-Type": "application/json"} if body is not None else {}
        try:
            async with self.session.request(method, self.url + path, data=body, headers=headers) as resp:
                data = await resp.read()
                relayed = {k: resp.headers[k] for k in RELAYED_HEADERS if k in resp.headers}
                return resp.status, data, relayed
        except (aiohttp.ClientError, TimeoutError) as e:
            raise SandboxUnavailable(
                f"Execution service error: the remote sandbox at {self.url} did not answer ({e or type(e).__name__})"
            ) from e

    async def health(self) -> Dict[str, Any]:
        """The remote's /api/health body plus its HTTP status, or why it could not be read."""
        try:
            status, body, _ = await self.forward("GET", "/api/health")
            data = orjson.loads(body)
            if not isinstance(data, dict):
                raise ValueError("not a JSON object")
            data["http_status"] = status
            data["url"] = self.url
            return data
        except (SandboxUnavailable, ValueError) as e:
            return {"status": "unreachable", "url": self.url, "reason": str(e)}
