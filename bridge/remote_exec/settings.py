"""RemoteExecutionSettings: Epic's remote-execution protocol, served by the headless host (off by default)."""
from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator

from .protocol import DEFAULT_GROUP, DEFAULT_PORT


class RemoteExecutionSettings(BaseModel):
    """`UE_BRIDGE_REMOTE_EXECUTION__ENABLED=true`; the names follow the Python plugin's own settings."""

    model_config = ConfigDict(extra="forbid")

    enabled: bool = Field(default=False, description="answer Epic's remote execution (the editor's bRemoteExecution)")
    multicast_group: str = Field(
        default=DEFAULT_GROUP, description="the discovery group's address (Multicast Group Endpoint)",
    )
    multicast_port: int = Field(default=DEFAULT_PORT, ge=1, le=65535, description="the discovery group's port")
    multicast_bind_address: str = Field(
        default="127.0.0.1",
        description="the interface that joins the group (Multicast Bind Address); 127.0.0.1 as from UE 5.3, "
                    "0.0.0.0 for the default interface as before it",
    )
    multicast_ttl: int = Field(default=0, ge=0, le=255, description="0: the messages never leave this machine")
    connect_timeout_seconds: float = Field(
        default=5.0, gt=0, le=60,
        description="how long to try the command endpoint a client asks for in open_connection",
    )
    command_timeout_seconds: float = Field(
        default=3600.0, gt=0, le=3600, description="each command runs as a job with this timeout (Epic's has none)",
    )

    @field_validator("multicast_group")
    @classmethod
    def _is_multicast(cls, value: str) -> str:
        import ipaddress

        try:
            address = ipaddress.IPv4Address(value)
        except ValueError:
            raise ValueError(f"multicast_group must be an IPv4 address, got {value!r}") from None
        if not address.is_multicast:
            raise ValueError(f"multicast_group must be a multicast address (224.0.0.0/4), got {value}")
        return value
