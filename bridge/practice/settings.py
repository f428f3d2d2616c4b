"""Settings of the practice platform: defaults, overridden by `UE_BRIDGE_PRACTICE__*` environment variables."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from ..loopback import is_loopback_address
from ..sandbox.settings import SandboxSettings


class PracticeSettings(BaseSettings):
    """Everything an operator of `ue-bridge practice serve` can tune (docs/practice.md)."""

    model_config = SettingsConfigDict(
        env_prefix="UE_BRIDGE_PRACTICE__", env_nested_delimiter="__", extra="forbid", validate_default=True
    )

    host: str = "127.0.0.1"
    port: int = Field(5000, ge=0, le=65535)
    data_dir: Path = Field(Path(".data/practice"), description="Where the SQLite file and the JWT secret live.")
    database_url: Optional[str] = Field(
        None, repr=False, description="SQLAlchemy async URL; default sqlite+aiosqlite:///<data_dir>/practice.db"
    )
    jwt_secret: Optional[str] = Field(
        None, repr=False, min_length=32, description="HS256 secret (e.g. a Supabase project's); default: made once"
    )
    jwt_audience: str = "authenticated"
    token_ttl_seconds: int = Field(7 * 24 * 3600, ge=60)
    rate_limit_user: str = Field("1000/hour", description="per signed-in user, in the `limits` library's notation")
    rate_limit_ip: str = Field("100/minute", description="per client address")
    rate_limit_storage: str = Field("memory://", description="a `limits` storage URI, e.g. redis://host:6379")
    max_body_bytes: int = Field(512 * 1024, ge=1024)
    judge_timeout_ms: int = Field(10000, ge=100, le=60000, description="wall clock of one submission's run")
    judge_memory_mb: int = Field(256, ge=16, le=1024)
    sandbox: SandboxSettings = Field(default_factory=SandboxSettings)
    duel_time_limit_seconds: int = Field(900, ge=1, le=24 * 3600, description="how long a duel lasts at most")
    duel_start_delay_seconds: float = Field(
        3, ge=0, le=60, description="from match-found to the duel's start: time to read the problem")
    duel_reconnect_seconds: float = Field(
        30, gt=0, le=3600, description="how long a player who dropped out of a duel may take to come back")

    @field_validator("host")
    @classmethod
    def _host_not_empty(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("host must not be empty")
        return value.strip()

    @field_validator("rate_limit_user", "rate_limit_ip")
    @classmethod
    def _rate_parses(cls, value: str) -> str:
        from limits import parse

        try:
            parse(value)
        except ValueError as exc:
            raise ValueError(f"rate limit must read like '100/minute', got {value!r}") from exc
        return value

    @property
    def is_loopback(self) -> bool:
        return is_loopback_address(self.host)

    def resolved_database_url(self) -> str:
        """The configured URL, or the SQLite file under the data dir."""
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{(self.data_dir / 'practice.db').resolve()}"
