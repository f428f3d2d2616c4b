"""`ue-bridge exec --remote-execution`: drive a stock editor (no PythonBridge plugin) through Epic's protocol.

The editor must have remote execution on (Project Settings > Plugins > Python > Enable Remote Execution).
The command goes to the one editor that answers, or to the one with `--project DIR` open.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional

from ..remote_exec.client import RemoteExecutionClient, RemoteExecutionError, RemoteNode
from ..remote_exec.protocol import DEFAULT_GROUP, DEFAULT_PORT, EXECUTE_FILE

EXIT_OK, EXIT_FAILED, EXIT_ERROR = 0, 1, 2


def add_remote_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("Epic's remote execution (an editor without the PythonBridge plugin)")
    group.add_argument("--remote-execution", action="store_true",
                       help="send the code over Epic's remote-execution protocol instead of the bridge's HTTP API")
    group.add_argument("--multicast-group", default=f"{DEFAULT_GROUP}:{DEFAULT_PORT}", metavar="ADDR:PORT",
                       help=f"the editor's Multicast Group Endpoint ({DEFAULT_GROUP}:{DEFAULT_PORT})")
    group.add_argument("--multicast-bind", default="127.0.0.1", metavar="ADDR",
                       help="the editor's Multicast Bind Address (127.0.0.1, as from UE 5.3; 0.0.0.0 before)")


def add_remote_commands(subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
                        commands: Dict[str, Callable[[argparse.Namespace], int]]) -> None:
    parser = subparsers.add_parser("remote-nodes", help="list the editors that answer Epic's remote execution")
    add_remote_arguments(parser)
    parser.add_argument("--wait", type=float, default=2.0, help="seconds to listen for answers (2)")
    parser.add_argument("--json", action="store_true", help="print the raw JSON")
    commands["remote-nodes"] = cmd_remote_nodes


def client_from(args: argparse.Namespace) -> RemoteExecutionClient:
    address, _, port = str(args.multicast_group).rpartition(":")
    try:
        number = int(port)
    except ValueError:
        raise RemoteExecutionError(f"--multicast-group takes ADDR:PORT, got {args.multicast_group!r}") from None
    return RemoteExecutionClient(group=address or DEFAULT_GROUP, port=number, bind_address=args.multicast_bind)


def choose_node(nodes: List[RemoteNode], project: Optional[Path]) -> RemoteNode:
    """The one editor meant: the only one answering, or the one whose project root is `project`."""
    if project is not None:
        folder = Path(project).expanduser().resolve()
        folder = folder.parent if folder.suffix == ".uproject" else folder
        nodes = [node for node in nodes if node.project_root and Path(node.project_root).resolve() == folder]
        if not nodes:
            raise RemoteExecutionError(f"no editor with {folder} open answered the remote-execution ping")
    if not nodes:
        raise RemoteExecutionError(
            "no editor answered the remote-execution ping: turn on Enable Remote Execution in Project Settings > "
            "Plugins > Python (or UE_BRIDGE_REMOTE_EXECUTION__ENABLED=true for `ue-bridge serve`), and check "
            "--multicast-group and --multicast-bind"
        )
    if len(nodes) > 1:
        listed = "; ".join(node.describe() for node in nodes)
        raise RemoteExecutionError(f"{len(nodes)} editors answered: {listed}. Pass --project DIR to pick one")
    return nodes[0]


def command_text(args: argparse.Namespace) -> str:
    """What an ExecuteFile command says: the file's path and arguments (the editor runs it), or code."""
    if args.module is not None:
        raise RemoteExecutionError("-m MODULE is not part of Epic's protocol; run a file or -c CODE")
    if args.code is not None:
        return str(args.code)
    if str(args.file) == "-":
        return sys.stdin.read()
    path = Path(args.file).resolve()
    if not path.is_file():
        raise RemoteExecutionError(f"cannot read {args.file}: no such file")
    if path.suffix.lower() == ".py":
        quoted = [f'"{arg}"' if " " in arg else arg for arg in args.args]
        return " ".join([f'"{path}"', *quoted])
    return path.read_text(encoding="utf-8")


def print_result(result: Dict[str, Any]) -> int:
    """The output entries as the editor's log shows them: Info on stdout, Warning and Error on stderr."""
    for entry in result.get("output") or []:
        stream = sys.stdout if entry.get("type") == "Info" else sys.stderr
        stream.write(str(entry.get("output", "")))
        stream.flush()
    if result.get("success"):
        return EXIT_OK
    sys.stderr.write(str(result.get("result") or "the command failed") + "\n")
    return EXIT_FAILED


def cmd_exec_remote(args: argparse.Namespace) -> int:
    try:
        command = command_text(args)
        with client_from(args) as client:
            node = choose_node(client.discover(), getattr(args, "project", None))
            client.open(node.node_id)
            return print_result(client.run(command, exec_mode=EXECUTE_FILE, timeout=args.timeout + 60.0))
    except RemoteExecutionError as exc:
        print(f"ue-bridge: {exc}", file=sys.stderr)
        return EXIT_ERROR


def cmd_remote_nodes(args: argparse.Namespace) -> int:
    try:
        with client_from(args) as client:
            nodes = client.discover(args.wait)
    except RemoteExecutionError as exc:
        print(f"ue-bridge: {exc}", file=sys.stderr)
        return EXIT_ERROR
    if args.json:
        print(json.dumps([{"node_id": node.node_id, **node.data} for node in nodes], indent=2))
    else:
        for node in nodes:
            print(node.describe())
    return EXIT_OK
