"""Settings: defaults, overridden by an optional file and by `UE_BRIDGE_*` environment variables."""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple, Type

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from .editor.prefs import EditorSettings
from .editor.pythonpath import PythonSettings
from .loopback import is_loopback_address
from .remote_exec.settings import RemoteExecutionSettings
from .runs.settings import HistorySettings
from .sandbox.settings import SandboxSettings
from .scripts.settings import ScriptSettings
from .trace.settings import TraceSettings


class Settings(BaseSettings):
    """Everything an operator can tune; see the README's Configuration table."""

    model_config = SettingsConfigDict(
        env_prefix="UE_BRIDGE_", env_nested_delimiter="__", extra="forbid", validate_default=True
    )

    host: str = "127.0.0.1"
    port: int = Field(8000, ge=0, le=65535)
    token: Optional[str] = Field(None, repr=False)
    token_file: Optional[Path] = None
    allowed_origins: List[str] = Field(default_factory=list)
    max_body_bytes: int = Field(10 * 1024 * 1024, ge=1024)
    # A request head or body that trickles in holds a connection; these bound how long (slowloris).
    header_timeout_seconds: float = Field(10.0, gt=0, le=3600)
    body_timeout_seconds: float = Field(30.0, gt=0, le=3600)
    max_connections: int = Field(512, ge=1, le=100_000)
    # A line per request (method, path, status, ms). None: the host decides, on in a terminal (headless),
    # off in the editor, whose Output Log would fill with them.
    access_log: Optional[bool] = None

    tick_budget_ms: float = Field(8.0, gt=0, le=1000)
    tick_linger_ms: float = Field(2.0, ge=0, le=1000)
    tick_stall_seconds: float = Field(2.0, gt=0)
    queue_limit: int = Field(1000, ge=1)
    default_timeout: float = Field(30.0, gt=0)
    # The request models state this default as their bound, so a larger value could never be used.
    max_timeout: float = Field(3600.0, gt=0, le=3600.0)
    interrupt_grace_seconds: float = Field(1.0, ge=0)
    output_limit_bytes: int = Field(1024 * 1024, ge=1024)
    log_entry_limit: int = Field(10_000, ge=10)

    job_ttl_seconds: float = Field(3600.0, gt=0)
    job_max_kept: int = Field(100, ge=1)
    session_ttl_seconds: float = Field(3600.0, gt=0)

    scripts: ScriptSettings = Field(default_factory=ScriptSettings)
    editor: EditorSettings = Field(default_factory=EditorSettings)
    sandbox: SandboxSettings = Field(default_factory=SandboxSettings)
    trace: TraceSettings = Field(default_factory=TraceSettings)
    history: HistorySettings = Field(default_factory=HistorySettings)
    python: PythonSettings = Field(default_factory=PythonSettings)
    remote_execution: RemoteExecutionSettings = Field(default_factory=RemoteExecutionSettings)

    @field_validator("host")
    @classmethod
    def _host_not_empty(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("host must not be empty")
        return value.strip()

    @property
    def is_loopback(self) -> bool:
        return is_loopback_address(self.host)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: Type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> Tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings, env_settings, _FileSource(settings_cls), _PlainPortSource(settings_cls))


class _PlainPortSource(PydanticBaseSettingsSource):
    """`PORT`, the variable hosting tools set, below `UE_BRIDGE_PORT` in precedence."""

    def get_field_value(self, field: Any, field_name: str) -> Tuple[Any, str, bool]:
        return None, field_name, False

    def __call__(self) -> Dict[str, Any]:
        port = os.environ.get("PORT")
        return {"port": port} if port else {}


class _FileSource(PydanticBaseSettingsSource):
    """The JSON or YAML file named by `UE_BRIDGE_CONFIG`, if any."""

    def get_field_value(self, field: Any, field_name: str) -> Tuple[Any, str, bool]:
        return None, field_name, False

    def __call__(self) -> Dict[str, Any]:
        path = os.environ.get("UE_BRIDGE_CONFIG")
        if not path:
            return {}
        return load_settings_file(Path(path))


def load_settings_file(path: Path) -> Dict[str, Any]:
    """Read a settings file; a clear ValueError when it is missing or malformed."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ValueError(f"cannot read settings file {path}: {exc.strerror}") from exc
    try:
        if path.suffix in (".yaml", ".yml"):
            import yaml

            data = yaml.safe_load(text) or {}
        else:
            data = json.loads(text)
    except Exception as exc:
        raise ValueError(f"settings file {path} is not valid {path.suffix.lstrip('.') or 'JSON'}: {exc}") from exc
    if not isinstance(data, dict):
        raise ValueError(f"settings file {path} must hold a mapping of setting names to values")
    return data
