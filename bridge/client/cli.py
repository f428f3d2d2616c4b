"""`ue-bridge`: the headless host and the command-line client."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional

from pydantic import ValidationError

from .._version import __version__
from .bridge_client import add_client_commands
from .remote import add_remote_commands
from .runs import add_runs_commands

Command = Callable[[argparse.Namespace], int]
COMMANDS: Dict[str, Command] = {}


def _tick_rate(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"tick rate must be a number of Hz, got {text!r}") from None
    if not 1 <= value <= 10_000:
        raise argparse.ArgumentTypeError(f"tick rate must be between 1 and 10000 Hz, got {text}")
    return value


def _add_serve(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    serve = subparsers.add_parser("serve", help="run the bridge headless against mock_unreal (default)")
    serve.add_argument("--host", help="address to bind (default 127.0.0.1; anything else requires a token)")
    serve.add_argument("--port", type=int, help="port (default: PORT, UE_BRIDGE_PORT or 8000; 0 picks a free one)")
    serve.add_argument("--tick-rate", type=_tick_rate, default=60.0, help="mock editor frames per second (60)")
    serve.add_argument("--config", type=Path, help="JSON or YAML settings file (also UE_BRIDGE_CONFIG)")
    serve.add_argument("--data-dir", type=Path,
                       help="where the run history and artifacts are kept (default: UE_BRIDGE_HISTORY__DATA_DIR, "
                            "the settings file's history.data_dir, else .data in the current directory)")
    serve.add_argument("--seed", type=Path, metavar="PROJECT_FILE",
                       help="start the mock project from this JSON or YAML file (assets, level, actors, "
                            "selections); `ue-bridge mock reset` returns to it. Default: an empty project")
    serve.add_argument("--project", type=Path, metavar="DIR",
                       help="the project folder (or .uproject) to serve: its Content/Python and plugins' are on "
                            "sys.path and their init_unreal.py run at start (default: UE_MOCK_PROJECT_DIR, else "
                            "a folder of this host's own under the data dir)")
    COMMANDS["serve"] = _run_serve


def _run_serve(args: argparse.Namespace) -> int:
    import os

    from ..config import Settings
    from ..host.headless import serve

    if args.config is not None:
        os.environ["UE_BRIDGE_CONFIG"] = str(args.config)
    overrides: Dict[str, Any] = {k: v for k, v in (("host", args.host), ("port", args.port)) if v is not None}
    if args.data_dir is not None:
        overrides["history"] = {"data_dir": args.data_dir.resolve()}  # merged with the env's and file's history
    try:
        settings = Settings(**overrides)
    except (ValidationError, ValueError) as exc:
        print(f"ue-bridge: invalid settings: {exc}", file=sys.stderr)
        return 2
    return serve(settings, tick_rate=args.tick_rate, data_dir=Path(".data"), seed=args.seed,
                 project=args.project)


def _add_sandbox_serve(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from ..host.sandbox_serve import add_arguments, run_from_args

    parser = subparsers.add_parser(
        "sandbox-serve", help="serve only the sandbox API (on a Linux host, for remote editors)"
    )
    add_arguments(parser)
    COMMANDS["sandbox-serve"] = run_from_args


def _add_practice(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("practice", help="the practice platform (seed 002): problems judged in the sandbox")
    actions = parser.add_subparsers(dest="practice_action", metavar="ACTION", required=True)
    serve = actions.add_parser("serve", help="serve the practice API (default http://127.0.0.1:5000)")
    try:
        from ..practice.serve import add_arguments
    except ImportError:
        serve.set_defaults(practice_missing=True)
    else:
        add_arguments(serve)
    COMMANDS["practice"] = _run_practice


def _run_practice(args: argparse.Namespace) -> int:
    try:
        from ..practice.serve import run_from_args
    except ImportError as exc:
        print(f"ue-bridge: the practice platform needs its extra ({exc}): "
              "pip install 'unreal-python-bridge[practice]'", file=sys.stderr)
        return 2
    return run_from_args(args)


def _add_mcp(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("mcp", help="serve the editor's tools to AI agents (Model Context Protocol)")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--url", help="the bridge's URL (default: UE_BRIDGE_URL, else the only editor running)")
    where.add_argument("--project", type=Path, metavar="DIR",
                       help="the editor that has this project open (Saved/PythonBridge/instance.json)")
    parser.add_argument("--token", help="the bridge's token (default: UE_BRIDGE_TOKEN or the instance's token file)")
    parser.add_argument("--http", metavar="[HOST:]PORT",
                        help="serve Streamable HTTP on a loopback address instead of stdio (path /mcp)")
    COMMANDS["mcp"] = _run_mcp


def _run_mcp(args: argparse.Namespace) -> int:
    try:
        from ..mcp.server import main as serve_mcp
    except ImportError as exc:
        print(f"ue-bridge: the MCP server needs the mcp package ({exc}): "
              "pip install 'unreal-python-bridge[mcp]' (Python 3.10 or newer)", file=sys.stderr)
        return 2
    return serve_mcp(args)


def _add_mock(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from .bridge_client import add_target_arguments

    parser = subparsers.add_parser("mock", help="headless host only: reset the mock project, keep or restore snapshots")
    actions = parser.add_subparsers(dest="mock_action", metavar="ACTION", required=True)
    reset = actions.add_parser("reset", help="back to the seed the host started from (--seed), else an empty project")
    add_target_arguments(reset)
    for action, text in (("snapshot", "keep the project as it is now under NAME"),
                         ("restore", "bring back the snapshot NAME")):
        named = actions.add_parser(action, help=text)
        named.add_argument("name", metavar="NAME")
        add_target_arguments(named)
    COMMANDS["mock"] = _run_mock


def _run_mock(args: argparse.Namespace) -> int:
    from .bridge_client import EXIT_OK, BridgeClient, BridgeError, resolve_target

    body = {"name": args.name} if args.mock_action != "reset" else None
    try:
        reply = BridgeClient(resolve_target(args.url, args.project)).request(
            "POST", f"/api/v1/mock/{args.mock_action}", body)[1]
    except BridgeError as exc:
        print(f"ue-bridge: {exc}", file=sys.stderr)
        return 2
    print(f"{args.mock_action}: {reply['assets']} assets, {reply['actors']} actors in {reply['level'] or 'no level'}; "
          f"snapshots: {', '.join(reply['snapshots']) or 'none'}")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ue-bridge", description="Run Python in the Unreal Editor over HTTP.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    _add_serve(subparsers)
    add_client_commands(subparsers, COMMANDS)
    add_remote_commands(subparsers, COMMANDS)
    add_runs_commands(subparsers, COMMANDS)
    _add_sandbox_serve(subparsers)
    _add_mock(subparsers)
    _add_mcp(subparsers)
    _add_practice(subparsers)
    return parser


def main(argv: Optional[List[str]] = None) -> int:
    words = list(sys.argv[1:] if argv is None else argv)
    if not words or (words[0].startswith("-") and words[0] not in ("-h", "--help", "--version")):
        words.insert(0, "serve")  # `ue-bridge --port 9000` and `python -m bridge` serve
    args = build_parser().parse_args(words)
    return COMMANDS[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
