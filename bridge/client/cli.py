"""`ue-bridge`: the headless host and the command-line client."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional

from pydantic import ValidationError

from .._version import __version__
from .bridge_client import add_client_commands
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
    return serve(settings, tick_rate=args.tick_rate, data_dir=Path(".data"))


def _add_sandbox_serve(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from ..host.sandbox_serve import add_arguments, run_from_args

    parser = subparsers.add_parser(
        "sandbox-serve", help="serve only the sandbox API (on a Linux host, for remote editors)"
    )
    add_arguments(parser)
    COMMANDS["sandbox-serve"] = run_from_args


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ue-bridge", description="Run Python in the Unreal Editor over HTTP.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    _add_serve(subparsers)
    add_client_commands(subparsers, COMMANDS)
    add_runs_commands(subparsers, COMMANDS)
    _add_sandbox_serve(subparsers)
    return parser


def main(argv: Optional[List[str]] = None) -> int:
    words = list(sys.argv[1:] if argv is None else argv)
    if not words or (words[0].startswith("-") and words[0] not in ("-h", "--help", "--version")):
        words.insert(0, "serve")  # `ue-bridge --port 9000` and `python -m bridge` serve
    args = build_parser().parse_args(words)
    return COMMANDS[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
