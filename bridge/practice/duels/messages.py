"""The messages a player sends over the duel socket (pydantic, strict) and the error message's shape."""

from __future__ import annotations

from typing import Any, Dict, Literal, Optional, Type, Union

import orjson
from pydantic import Field, ValidationError, field_validator

from ..errors import PracticeError, describe_validation, invalid
from ..models import DIFFICULTIES, LANGUAGES, Strict

# The seed's join-queue says "intermediate": its three levels are the catalogue's three difficulties.
DIFFICULTY_ALIASES = {"beginner": "easy", "intermediate": "medium", "advanced": "hard"}
MAX_CHAT = 500


class Auth(Strict):
    type: Literal["auth"]
    token: str = Field(..., min_length=1, max_length=8192)


class JoinQueue(Strict):
    type: Literal["join-queue"]
    difficulty: str
    language: str

    @field_validator("difficulty")
    @classmethod
    def _difficulty(cls, value: str) -> str:
        value = DIFFICULTY_ALIASES.get(value, value)
        if value not in DIFFICULTIES:
            raise ValueError(f"must be one of {', '.join(DIFFICULTIES)} (or {', '.join(DIFFICULTY_ALIASES)}), "
                             f"got {value!r}")
        return value

    @field_validator("language")
    @classmethod
    def _language(cls, value: str) -> str:
        if value not in LANGUAGES:
            raise ValueError(f"must be one of {', '.join(LANGUAGES)}, got {value!r}")
        return value


class LeaveQueue(Strict):
    type: Literal["leave-queue"]


class CodeSubmit(Strict):
    type: Literal["code-submit"]
    duel_id: str = Field(..., max_length=64)
    code: str = Field(..., min_length=1, max_length=64 * 1024)


class Forfeit(Strict):
    type: Literal["forfeit"]
    duel_id: str = Field(..., max_length=64)


class SendMessage(Strict):
    type: Literal["send-message"]
    duel_id: str = Field(..., max_length=64)
    message: str

    @field_validator("message")
    @classmethod
    def _chat(cls, value: str) -> str:
        value = value.strip()
        if not 1 <= len(value) <= MAX_CHAT:
            raise ValueError(f"must be 1 to {MAX_CHAT} characters once trimmed, got {len(value)}")
        return value


Message = Union[Auth, JoinQueue, LeaveQueue, CodeSubmit, Forfeit, SendMessage]
MODELS: Dict[str, Type[Message]] = {
    "auth": Auth, "join-queue": JoinQueue, "leave-queue": LeaveQueue, "code-submit": CodeSubmit,
    "forfeit": Forfeit, "send-message": SendMessage,
}


def parse(text: str) -> Message:
    """One message from its JSON text; PracticeError (INVALID_INPUT) saying what is wrong with it."""
    try:
        data = orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        raise invalid(f"Message is not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise invalid('A message must be a JSON object like {"type": "join-queue", ...}')
    kind = data.get("type")
    if kind is None:
        raise invalid("Missing required field: type")
    model = MODELS.get(kind) if isinstance(kind, str) else None
    if model is None:
        raise invalid(f"Unknown message type {kind!r}; expected one of {', '.join(MODELS)}")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise invalid(f"{kind}: {describe_validation(exc)}") from None


def error_message(exc: PracticeError, request: Optional[str] = None) -> Dict[str, Any]:
    """The seed's error shape `{error, code, status}` as a message; `request` names the message it answers."""
    body: Dict[str, Any] = {"type": "error", "error": exc.message, "code": exc.code, "status": exc.status}
    if request is not None:
        body["request"] = request
    return body
