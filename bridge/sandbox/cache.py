"""Content-addressed build cache: (toolchain, flags, source) -> the compiled files.

Artifacts leave the compile box only as a tar stream on a pipe. The host never extracts
it blindly: only flat, regular files with plain names are accepted, written with
O_EXCL|O_NOFOLLOW into a fresh directory the host created, then renamed into place.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import re
import shutil
import tarfile
import uuid
from typing import Iterable, Optional

SAFE_NAME = re.compile(r"^[A-Za-z0-9_$][A-Za-z0-9_$.-]{0,200}$")
MAX_FILES = 2000


class ArtifactRejected(Exception):
    """The compile box produced something the host will not store."""


def cache_key(parts: Iterable[str], source: str) -> str:
    """sha256 over the toolchain identity, the argv and the source."""
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode() + b"\0")
    h.update(source.encode())
    return h.hexdigest()


class BuildCache:
    """Directory of entries named by key; least recently used entries go first."""

    def __init__(self, root: str, max_entries: int) -> None:
        self.root = root
        self.max_entries = max_entries
        os.makedirs(root, exist_ok=True)
        st = os.lstat(root)
        if not os.path.isdir(root) or os.path.islink(root) or st.st_uid != os.getuid() or st.st_mode & 0o022:
            raise RuntimeError(f"build cache {root} must be a directory owned by this user, not group/world writable")
        self.hits = 0
        self.misses = 0

    def get(self, key: str) -> Optional[str]:
        """The entry directory for `key`, or None."""
        path = os.path.join(self.root, key)
        if os.path.isdir(path) and not os.path.islink(path):
            with contextlib.suppress(OSError):
                os.utime(path)
            self.hits += 1
            return path
        self.misses += 1
        return None

    def put(self, key: str, tar_bytes: bytes) -> str:
        """Store a compile box's tar stream under `key`; raises ArtifactRejected on anything odd."""
        tmp = os.path.join(self.root, f".tmp-{uuid.uuid4().hex}")
        os.mkdir(tmp)
        os.chmod(tmp, 0o755)
        try:
            dir_fd = os.open(tmp, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
            try:
                self._extract(tar_bytes, dir_fd)
            finally:
                os.close(dir_fd)
            final = os.path.join(self.root, key)
            try:
                os.rename(tmp, final)
            except OSError:
                shutil.rmtree(tmp, ignore_errors=True)  # a concurrent build stored the same key first
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        self._evict()
        return final

    @staticmethod
    def _extract(tar_bytes: bytes, dir_fd: int) -> None:
        count = 0
        try:
            with tarfile.open(fileobj=io.BytesIO(tar_bytes), mode="r:") as tar:
                for member in tar:
                    name = member.name[2:] if member.name.startswith("./") else member.name
                    if member.isdir() and name in ("", ".", "./"):
                        continue
                    if not member.isreg() or not SAFE_NAME.match(name):
                        raise ArtifactRejected(f"unexpected entry in build output: {member.name!r}")
                    count += 1
                    if count > MAX_FILES:
                        raise ArtifactRejected("too many files in build output")
                    src = tar.extractfile(member)
                    assert src is not None
                    mode = 0o755 if member.mode & 0o111 else 0o644
                    fd = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, mode, dir_fd=dir_fd)
                    with os.fdopen(fd, "wb") as out:
                        os.fchmod(out.fileno(), mode)  # explicit: the service's umask may be 077
                        shutil.copyfileobj(src, out)
        except tarfile.TarError as e:
            raise ArtifactRejected(f"unreadable build output: {e}") from e
        if count == 0:
            raise ArtifactRejected("the compiler produced no output")

    def _evict(self) -> None:
        entries = [e for e in os.scandir(self.root) if not e.name.startswith(".") and e.is_dir(follow_symlinks=False)]
        if len(entries) <= self.max_entries:
            return
        entries.sort(key=lambda e: e.stat(follow_symlinks=False).st_mtime)
        for entry in entries[: len(entries) - self.max_entries]:
            shutil.rmtree(entry.path, ignore_errors=True)

    def clear(self) -> None:
        """Remove every entry."""
        for entry in os.scandir(self.root):
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path, ignore_errors=True)
