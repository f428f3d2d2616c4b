"""ArtifactFiles: the files runs produce, stored once per content under `root/ab/cdef...` (sha256).

A client names an artifact but never its path: the stored path comes only from the hash of the bytes,
and the name a download offers is sanitised to a plain base name.
"""
from __future__ import annotations

import hashlib
import logging
import mimetypes
import os
import re
import tempfile
import threading
import time
import unicodedata
from pathlib import Path
from typing import BinaryIO, Iterator, List, Optional, Sequence, Tuple, Union

from .errors import ArtifactTooLarge
from .history import RunHistory
from .model import Artifact, ArtifactType, new_id

log = logging.getLogger("bridge.runs")

Source = Union[Path, bytes, bytearray, memoryview, BinaryIO]
CHUNK = 1024 * 1024
MAX_NAME_BYTES = 200  # below every filesystem's 255, with room for a browser's " (1)"
INCOMING_PREFIX = ".incoming-"
STALE_INCOMING_SECONDS = 3600.0  # a temp file this old was left by a killed process
_SHA256 = re.compile(r"[0-9a-f]{64}")
_UNSAFE = re.compile(r'[<>:"|?*\\/]')  # what Windows refuses in a name, and separators
_WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"com{n}" for n in range(1, 10)), *(f"lpt{n}" for n in range(1, 10))}
_ARCHIVES = {
    "application/zip", "application/x-tar", "application/gzip", "application/x-gzip", "application/x-bzip2",
    "application/x-xz", "application/x-7z-compressed", "application/x-rar-compressed", "application/zstd",
}
_DOCUMENTS = {"text/html", "application/pdf", "text/markdown", "text/x-markdown"}
_DATA = {"application/json", "text/csv"}


def safe_file_name(raw: Optional[str], fallback: str = "artifact") -> str:
    """A plain base name for downloads: no directories, no `..`, no control characters, no leading dots,
    at most MAX_NAME_BYTES of UTF-8 (the extension kept), never empty."""
    text = unicodedata.normalize("NFC", raw or "")
    text = text.replace("\\", "/").rsplit("/", 1)[-1]
    text = "".join(ch for ch in text if not unicodedata.category(ch).startswith("C"))  # controls, format, surrogates
    text = _UNSAFE.sub("_", text).strip().lstrip(".").rstrip(". ")
    if not text:
        return fallback
    if text.split(".", 1)[0].lower() in _WINDOWS_RESERVED:
        text = f"_{text}"
    if len(text.encode("utf-8")) > MAX_NAME_BYTES:
        stem, dot, suffix = text.rpartition(".")
        if not dot or len(suffix.encode("utf-8")) > 20:
            stem, suffix = text, ""
        room = MAX_NAME_BYTES - len(suffix.encode("utf-8")) - (1 if suffix else 0)
        stem = stem.encode("utf-8")[:room].decode("utf-8", "ignore").rstrip(". ") or fallback
        text = f"{stem}.{suffix}" if suffix else stem
    return text


def guess_mime_type(file_name: str) -> str:
    mime, encoding = mimetypes.guess_type(file_name, strict=False)
    if encoding in ("gzip", "bzip2", "xz"):
        return {"gzip": "application/gzip", "bzip2": "application/x-bzip2", "xz": "application/x-xz"}[encoding]
    return mime or "application/octet-stream"


def guess_artifact_type(file_name: str, mime_type: str) -> ArtifactType:
    mime = mime_type.split(";", 1)[0].strip().lower()
    if file_name.lower().endswith(".log") or mime == "text/x-log":
        return ArtifactType.LOG
    if mime.startswith("image/"):
        return ArtifactType.IMAGE
    if mime in _DOCUMENTS:
        return ArtifactType.DOCUMENT
    if mime in _DATA:
        return ArtifactType.DATA
    if mime in _ARCHIVES:
        return ArtifactType.ARCHIVE
    return ArtifactType.OTHER


class ArtifactFiles:
    """Content-addressed artifact files; the history records which runs hold them."""

    def __init__(self, root: Path, max_bytes: int, default_retention_days: int = 30) -> None:
        if max_bytes < 1:
            raise ValueError(f"max_bytes must be at least 1, got {max_bytes}")
        if default_retention_days < 1:
            raise ValueError(f"default_retention_days must be at least 1, got {default_retention_days}")
        self.root = Path(root)
        self.max_bytes = max_bytes
        self.default_retention_days = default_retention_days
        # Placing a file and recording it, and checking a file is unreferenced and removing it, are
        # each one step: a sweep never takes the file a concurrent store() has just placed.
        self._lock = threading.Lock()

    def store(
        self,
        history: RunHistory,
        run_id: str,
        source: Source,
        *,
        name: str,
        file_name: Optional[str] = None,
        artifact_type: Optional[ArtifactType] = None,
        description: Optional[str] = None,
        tags: Sequence[str] = (),
        step_id: Optional[str] = None,
        mime_type: Optional[str] = None,
        retention_days: Optional[int] = None,
        is_public: bool = True,
    ) -> Artifact:
        """Copy `source` (a Path, bytes or a binary file object, read in chunks) into the store and record it
        on the run. ArtifactTooLarge beyond `max_bytes` (nothing is left behind); RunNotFound for no such run."""
        if isinstance(source, str):
            raise TypeError("source must be a Path, bytes or a binary file object; a str is never taken as a path")
        days = self.default_retention_days if retention_days is None else retention_days
        if days < 1:
            raise ValueError(f"retention_days must be at least 1, got {days}")
        history.run(run_id)  # RunNotFound before any byte is copied
        if file_name is None and isinstance(source, Path):
            file_name = source.name
        shown = safe_file_name(file_name or name)
        mime = mime_type or guess_mime_type(shown)
        kind = ArtifactType(artifact_type) if artifact_type is not None else guess_artifact_type(shown, mime)
        temp, sha256, size = self._receive(source, name)
        try:
            with self._lock:
                self._place(temp, sha256)
                artifact = Artifact(
                    id=new_id(), run_id=run_id, name=name, file_name=shown, file_size=size, mime_type=mime,
                    sha256=sha256, created_at=history.clock(), artifact_type=kind, step_id=step_id,
                    description=description, tags=tuple(tags), is_public=is_public, retention_days=days,
                )
                try:
                    history.add_artifact(artifact)
                except BaseException:
                    self._remove_if_unreferenced(history, sha256)
                    raise
        finally:
            temp.unlink(missing_ok=True)
        return artifact

    def path_of(self, artifact: Artifact) -> Path:
        """The stored file of an artifact (for downloads); ValueError for a hash that is not one."""
        return self._path(artifact.sha256)

    def delete(self, history: RunHistory, artifact: Artifact) -> bool:
        """Forget the artifact; its file goes once no other artifact holds the same content.
        True when the file was removed."""
        history.delete_artifact(artifact)
        with self._lock:
            return self._remove_if_unreferenced(history, artifact.sha256)

    def sweep(self, history: RunHistory) -> List[str]:
        """Remove every file no artifact references any more (those of pruned or deleted runs) and temp
        files a killed process left; returns the hashes of the files removed."""
        removed: List[str] = []
        if not self.root.is_dir():
            return removed
        for prefix in sorted(self.root.iterdir()):
            if prefix.name.startswith(INCOMING_PREFIX):
                self._remove_stale_incoming(prefix)
                continue
            if not prefix.is_dir() or len(prefix.name) != 2:
                continue
            for stored in sorted(prefix.iterdir()):
                sha256 = prefix.name + stored.name
                if not _SHA256.fullmatch(sha256):
                    continue
                with self._lock:
                    if self._remove_if_unreferenced(history, sha256):
                        removed.append(sha256)
        return removed

    # --- files -----------------------------------------------------------------------------------

    def _receive(self, source: Source, name: str) -> Tuple[Path, str, int]:
        """Copy into a temp file beside the store (same filesystem, so placing it is a rename), hashing."""
        self.root.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        size = 0
        handle, temp_name = tempfile.mkstemp(prefix=INCOMING_PREFIX, dir=self.root)
        temp = Path(temp_name)
        try:
            with os.fdopen(handle, "wb") as out:
                for chunk in _chunks(source):
                    size += len(chunk)
                    if size > self.max_bytes:
                        raise ArtifactTooLarge(name, self.max_bytes)
                    digest.update(chunk)
                    out.write(chunk)
        except BaseException:
            temp.unlink(missing_ok=True)
            raise
        return temp, digest.hexdigest(), size

    def _place(self, temp: Path, sha256: str) -> None:
        final = self._path(sha256)
        if final.exists():
            return  # the same bytes are stored already
        final.parent.mkdir(parents=True, exist_ok=True)
        os.replace(temp, final)

    def _remove_if_unreferenced(self, history: RunHistory, sha256: str) -> bool:
        if history.store.artifact_references(sha256) > 0:
            return False
        path = self._path(sha256)
        try:
            path.unlink()
        except FileNotFoundError:
            return False
        try:
            path.parent.rmdir()
        except OSError:
            pass  # other files share the prefix
        return True

    def _remove_stale_incoming(self, temp: Path) -> None:
        try:
            if time.time() - temp.stat().st_mtime > STALE_INCOMING_SECONDS:
                temp.unlink()
        except OSError:
            pass

    def _path(self, sha256: str) -> Path:
        if not _SHA256.fullmatch(sha256):
            raise ValueError(f"not a sha256 hex digest: {sha256[:80]!r}")
        return self.root / sha256[:2] / sha256[2:]


def _chunks(source: Source) -> Iterator[bytes]:
    if isinstance(source, (bytes, bytearray, memoryview)):
        view = memoryview(source).cast("B")
        for start in range(0, len(view), CHUNK):
            yield bytes(view[start:start + CHUNK])
    elif isinstance(source, Path):
        with source.open("rb") as handle:
            yield from iter(lambda: handle.read(CHUNK), b"")
    elif hasattr(source, "read"):
        while True:
            chunk = source.read(CHUNK)
            if not chunk:
                return
            if not isinstance(chunk, (bytes, bytearray)):
                raise TypeError("the artifact's file object must be opened in binary mode")
            yield bytes(chunk)
    else:
        raise TypeError(f"source must be a Path, bytes or a binary file object, not {type(source).__name__}")
