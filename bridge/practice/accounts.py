"""Accounts: sign-up, log-in, log-out (revocation) and profiles. No HTTP here."""

from __future__ import annotations

import uuid
from datetime import datetime, timezone
from typing import Any, Dict, Optional

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from .errors import conflict, unauthorized
from .levels import level_for
from .models import LoginRequest, ProfileUpdate, SignupRequest
from .tables import RevokedToken, User
from .timefmt import iso, now
from .tokens import TokenClaims, TokenMaker

HASHER = PasswordHasher()
# Verified when the email is unknown, so a wrong email costs as long as a wrong password (no account probing).
_DUMMY_HASH = HASHER.hash("not-a-real-password")


def profile(user: User) -> Dict[str, Any]:
    return {
        "id": user.id,
        "username": user.username,
        "email": user.email,
        "xp_total": user.xp_total,
        "level": level_for(user.xp_total),
        "avatar_url": user.avatar_url,
        "interests": list(user.interests or []),
        "created_at": iso(user.created_at),
    }


async def _taken(session: AsyncSession, email: Optional[str], username: Optional[str], but: str = "") -> None:
    if email is not None and await session.scalar(select(User.id).where(User.email == email, User.id != but)):
        raise conflict("Email already registered")
    if username is not None and await session.scalar(
        select(User.id).where(User.username == username, User.id != but)
    ):
        raise conflict("Username already taken")


async def sign_up(session: AsyncSession, tokens: TokenMaker, req: SignupRequest) -> Dict[str, Any]:
    await _taken(session, req.email, req.username)
    user = User(id=str(uuid.uuid4()), email=req.email, username=req.username,
                password_hash=HASHER.hash(req.password), interests=[], xp_total=0, created_at=now())
    session.add(user)
    try:
        await session.commit()
    except IntegrityError as exc:  # two sign-ups raced past the check above
        await session.rollback()
        raise conflict("Email or username already taken") from exc
    return {"user": {"id": user.id, "email": user.email, "username": user.username},
            "session": {"access_token": tokens.issue(user.id, user.email)}}


async def log_in(session: AsyncSession, tokens: TokenMaker, req: LoginRequest) -> Dict[str, Any]:
    user = await session.scalar(select(User).where(User.email == req.email.strip().lower()))
    try:
        HASHER.verify(user.password_hash if user else _DUMMY_HASH, req.password)
    except (VerificationError, InvalidHashError):
        user = None
    if user is None:
        raise unauthorized("Invalid email or password")
    return {"user": {"id": user.id, "email": user.email},
            "session": {"access_token": tokens.issue(user.id, user.email)}}


async def log_out(session: AsyncSession, claims: TokenClaims) -> None:
    """Revoke the token until it would have expired anyway; expired revocations are dropped on the way."""
    session.add(RevokedToken(jti=claims.jti, expires_at=datetime.fromtimestamp(claims.expires_at, timezone.utc)))
    await session.execute(delete(RevokedToken).where(RevokedToken.expires_at < now()))
    try:
        await session.commit()
    except IntegrityError:  # the same token logged out twice at once: it is revoked either way
        await session.rollback()


async def is_revoked(session: AsyncSession, jti: str) -> bool:
    return await session.get(RevokedToken, jti) is not None


async def update_profile(session: AsyncSession, user: User, req: ProfileUpdate) -> Dict[str, Any]:
    await _taken(session, None, req.username, but=user.id)
    if req.username is not None:
        user.username = req.username
    if req.avatar_url is not None:
        user.avatar_url = req.avatar_url
    if req.interests is not None:
        user.interests = list(req.interests)
    try:
        await session.commit()
    except IntegrityError as exc:
        await session.rollback()
        raise conflict("Username already taken") from exc
    return {"id": user.id, "username": user.username, "avatar_url": user.avatar_url,
            "interests": list(user.interests or [])}
