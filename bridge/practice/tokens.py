"""Access tokens: HS256 JWTs (Supabase-compatible claims) and the secret made once and kept 0600."""

from __future__ import annotations

import os
import secrets
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import jwt

ALGORITHM = "HS256"


def load_or_make_secret(configured: Optional[str], data_dir: Path) -> str:
    """The configured secret, else the one in `<data_dir>/jwt-secret`, made on first start readable by us only."""
    if configured:
        return configured
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / "jwt-secret"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        secret = path.read_text().strip()
        if len(secret) < 32:
            raise RuntimeError(
                f"{path} holds a secret shorter than 32 characters; delete it to make a new one") from None
        return secret
    secret = secrets.token_urlsafe(48)
    with os.fdopen(fd, "w") as f:
        f.write(secret)
    return secret


@dataclass(frozen=True)
class TokenClaims:
    """What a valid token says: whose it is, its id (for revocation) and when it expires."""

    user_id: str
    jti: str
    expires_at: float


class TokenMaker:
    """Issues and checks the platform's bearer tokens."""

    def __init__(self, secret: str, audience: str, ttl_seconds: int) -> None:
        self.secret, self.audience, self.ttl_seconds = secret, audience, ttl_seconds

    def issue(self, user_id: str, email: str) -> str:
        now = int(time.time())
        claims = {
            "sub": user_id,
            "email": email,
            "aud": self.audience,
            "role": "authenticated",
            "iat": now,
            "exp": now + self.ttl_seconds,
            "jti": str(uuid.uuid4()),
        }
        return jwt.encode(claims, self.secret, algorithm=ALGORITHM)

    def check(self, token: str) -> TokenClaims:
        """The claims of a valid token; jwt.InvalidTokenError (with the reason) otherwise."""
        claims = jwt.decode(token, self.secret, algorithms=[ALGORITHM], audience=self.audience,
                            options={"require": ["sub", "exp"]})
        # A token from another issuer (Supabase) may carry no jti: its `iat` and subject then name it.
        jti = str(claims.get("jti") or f"{claims['sub']}:{claims.get('iat', 0)}")
        return TokenClaims(str(claims["sub"]), jti, float(claims["exp"]))
