"""The messages of Epic's Python remote execution (`remote_execution.py`, `PythonScriptRemoteExecution.cpp`).

Each message is one UTF-8 JSON object: `version` 1, `magic` "ue_py", `type`, `source` (the sender's node
id), and optional `dest` and `data`. UDP carries discovery (`ping`, `pong`) and the connection requests
(`open_connection`, `close_connection`); the TCP command channel carries `command` and `command_result`.
There is no framing on TCP: a message ends where its JSON object ends.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Dict, Optional, Tuple

PROTOCOL_VERSION = 1
PROTOCOL_MAGIC = "ue_py"
DEFAULT_GROUP = "239.0.0.1"
DEFAULT_PORT = 6766
DEFAULT_COMMAND_ENDPOINT = ("127.0.0.1", 6776)

PING = "ping"
PONG = "pong"
OPEN_CONNECTION = "open_connection"
CLOSE_CONNECTION = "close_connection"
COMMAND = "command"
COMMAND_RESULT = "command_result"

EXECUTE_FILE = "ExecuteFile"
EXECUTE_STATEMENT = "ExecuteStatement"
EVALUATE_STATEMENT = "EvaluateStatement"
MODES = (EXECUTE_FILE, EXECUTE_STATEMENT, EVALUATE_STATEMENT)

# What Epic's client waits for: a node is dropped 5 s after its last pong; it pings every second.
NODE_TIMEOUT_SECONDS = 5.0
PING_SECONDS = 1.0


class BadMessage(ValueError):
    """Bytes that are not a message of this protocol; the message says what is wrong."""


@dataclass(frozen=True)
class Message:
    type: str
    source: str
    dest: Optional[str] = None
    data: Optional[Dict[str, Any]] = None

    def to_bytes(self) -> bytes:
        """As Epic's client writes it: `dest` and `data` only when set, non-ASCII kept as UTF-8."""
        body: Dict[str, Any] = {"version": PROTOCOL_VERSION, "magic": PROTOCOL_MAGIC, "type": self.type,
                                "source": self.source}
        if self.dest:
            body["dest"] = self.dest
        if self.data:
            body["data"] = self.data
        return json.dumps(body, ensure_ascii=False).encode("utf-8")

    def for_node(self, node_id: str) -> bool:
        """Epic's receive filter: not our own, and addressed to us or to everyone."""
        return self.source != node_id and (not self.dest or self.dest == node_id)


def parse(raw: bytes) -> Message:
    """One message; BadMessage when the bytes are not one."""
    try:
        body = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise BadMessage(f"not a UTF-8 JSON object: {exc}") from None
    if not isinstance(body, dict):
        raise BadMessage("not a JSON object")
    if body.get("version") != PROTOCOL_VERSION:
        raise BadMessage(f'"version" is incorrect (got {body.get("version")!r}, expected {PROTOCOL_VERSION})')
    if body.get("magic") != PROTOCOL_MAGIC:
        raise BadMessage(f'"magic" is incorrect (got {body.get("magic")!r}, expected {PROTOCOL_MAGIC!r})')
    kind, source = body.get("type"), body.get("source")
    if not isinstance(kind, str) or not isinstance(source, str):
        raise BadMessage('"type" and "source" must be strings')
    data = body.get("data")
    if data is not None and not isinstance(data, dict):
        raise BadMessage('"data" must be a JSON object')
    dest = body.get("dest")
    return Message(kind, source, dest if isinstance(dest, str) else None, data)


def split_first(buffer: bytes) -> Tuple[Optional[bytes], bytes]:
    """(the first complete JSON object in `buffer`, the rest), or (None, buffer) while it is incomplete.

    TCP may cut a message anywhere, and a sender may write two back to back; the object ends at the
    brace that closes the first one (braces inside strings do not count)."""
    depth = 0
    in_string = escaped = False
    start = None
    for index, byte in enumerate(buffer):
        char = chr(byte) if byte < 128 else ""
        if start is None:
            if char == "{":
                start, depth = index, 1
            continue
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return buffer[start:index + 1], buffer[index + 1:]
    return None, buffer
