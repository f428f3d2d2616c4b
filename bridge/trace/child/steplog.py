"""The step log: steps and output written straight into memory the worker shares with the server.

Nothing is buffered in the worker, so whatever ends it (the wall clock, RLIMIT_CPU, the OOM
killer, a program stuck in one long built-in call that never lets another thread run) every
step and every byte of output produced before is already on the server's side. An append is a
copy into the mapping: no system call, no wake-up of the server.

Layout: an 8-byte header holding the offset where the written records end, then records of
[1-byte kind][4-byte little-endian length][payload]. The writer appends a record, then moves
the header; the reader takes records up to the header and never trusts a length past the end.
The server's copy of this module is imported as bridge.trace.child.steplog; the worker's is
loaded privately (see bridge/trace/launch.py). Plain stdlib, any Python 3.7+.
"""

import mmap
import os
import struct
from typing import List, Tuple

HEADER = struct.Struct("<Q")
RECORD = struct.Struct("<cI")
STEP, STDOUT, STDERR = b"S", b"O", b"E"
KINDS = frozenset((STEP, STDOUT, STDERR))


class StepLog:
    """The worker's side: appends records to the shared file `fd`."""

    def __init__(self, fd: int) -> None:
        size = os.fstat(fd).st_size
        self.mm = mmap.mmap(fd, size)
        os.close(fd)
        self.size = size
        self.end = HEADER.size
        self.appended = 0  # payload bytes so far

    def detach(self) -> None:
        """In a forked child: drop whatever it would write (its copy of `end` would overwrite the parent's)."""
        self.size = 0
        self.append = lambda kind, payload: True  # type: ignore[method-assign]

    def append(self, kind: bytes, payload: bytes) -> bool:
        """Add one record; False (and nothing written) when the log is full."""
        start = self.end
        stop = start + RECORD.size + len(payload)
        if stop > self.size:
            return False
        mm = self.mm
        RECORD.pack_into(mm, start, kind, len(payload))
        mm[start + RECORD.size:stop] = payload
        self.end = stop
        HEADER.pack_into(mm, 0, stop)
        self.appended += len(payload)
        return True


class LogReader:
    """The server's side: reads the records a worker has written, however it ended."""

    def __init__(self, fd: int, size: int) -> None:
        self.mm = mmap.mmap(fd, size, prot=mmap.PROT_READ)
        self.size = size
        self.pos = HEADER.size
        self.damaged = False  # the program wrote over the log: records after that point are ignored

    def written(self) -> int:
        """Where the written records end now, as the worker says (clamped to the file)."""
        if self.mm.closed:
            return self.pos
        (end,) = HEADER.unpack_from(self.mm, 0)
        return max(HEADER.size, min(end, self.size))

    def read(self, until: int) -> List[Tuple[bytes, bytes]]:
        """Every complete record from where the last read stopped up to offset `until`: [(kind, payload)]."""
        records: List[Tuple[bytes, bytes]] = []
        pos, mm = self.pos, self.mm
        if self.damaged or mm.closed:
            return records
        while pos + RECORD.size <= until:
            kind, length = RECORD.unpack_from(mm, pos)
            stop = pos + RECORD.size + length
            if kind not in KINDS or stop > until:
                if kind not in KINDS or stop > self.size:
                    self.damaged = True
                break
            records.append((kind, mm[pos + RECORD.size:stop]))
            pos = stop
        self.pos = pos
        return records

    def close(self) -> None:
        """Unmap the log."""
        if not self.mm.closed:
            self.mm.close()
