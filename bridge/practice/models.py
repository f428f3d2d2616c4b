"""Request bodies of the practice API (pydantic v2), validated strictly: a wrong type is a 400, never a 500."""

from __future__ import annotations

from typing import List, Optional

from pydantic import BaseModel, ConfigDict, Field, field_validator

USERNAME = r"^[A-Za-z0-9_.-]{3,32}$"
EMAIL = r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$"
LANGUAGES = ("python", "javascript", "java", "cpp")
DIFFICULTIES = ("easy", "medium", "hard")


class Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")


class SignupRequest(Strict):
    email: str = Field(..., max_length=320, pattern=EMAIL)
    password: str = Field(..., min_length=8, max_length=256)
    username: str = Field(..., pattern=USERNAME)

    @field_validator("email")
    @classmethod
    def _lower(cls, value: str) -> str:
        return value.strip().lower()


class LoginRequest(Strict):
    email: str = Field(..., max_length=320)
    password: str = Field(..., max_length=256)


class ProfileUpdate(Strict):
    username: Optional[str] = Field(None, pattern=USERNAME)
    avatar_url: Optional[str] = Field(None, max_length=2048, pattern=r"^https?://\S+$")
    interests: Optional[List[str]] = Field(None, max_length=50)

    @field_validator("interests")
    @classmethod
    def _short(cls, value: Optional[List[str]]) -> Optional[List[str]]:
        if value is not None and any(not 1 <= len(item) <= 64 for item in value):
            raise ValueError("each interest must be 1 to 64 characters")
        return value


class SubmissionRequest(Strict):
    problem_id: str = Field(..., max_length=64)
    code: str = Field(..., min_length=1, max_length=64 * 1024)
    language: str

    @field_validator("language")
    @classmethod
    def _known(cls, value: str) -> str:
        if value not in LANGUAGES:
            raise ValueError(f"language must be one of {', '.join(LANGUAGES)}, got {value!r}")
        return value
