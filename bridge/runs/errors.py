"""What the history's storage refuses, each with a message that says what to do."""
from __future__ import annotations

from pathlib import Path


class RunsError(Exception):
    """Base of the errors raised by the history's stores and artifact files."""


class SchemaTooNew(RunsError):
    """The database was written by a newer bridge: opening it here could lose what that one stored."""

    def __init__(self, path: Path, found: int, supported: int) -> None:
        super().__init__(
            f"the run history {path} is at schema version {found}, but this bridge knows versions up to "
            f"{supported}: upgrade the bridge, or point history.data_dir at another folder"
        )
        self.path = path
        self.found = found
        self.supported = supported


class StoreClosed(RunsError):
    """A read or a maintenance call after close()."""


class ArtifactTooLarge(RunsError):
    def __init__(self, name: str, max_bytes: int) -> None:
        super().__init__(
            f"artifact {name!r} is larger than the {max_bytes} bytes allowed; "
            "raise history.artifact_max_bytes to store it"
        )
        self.name = name
        self.max_bytes = max_bytes
