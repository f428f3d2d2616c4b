"""BridgeClient: a small stdlib HTTP client of the bridge API, for the CLI and for CI pipelines."""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, TextIO, Tuple

from ..host.instance import find_instance
from .remote import add_remote_arguments, cmd_exec_remote

DEFAULT_URL = "http://127.0.0.1:8000"
FINISHED = ("completed", "failed", "cancelled")


class BridgeError(Exception):
    """The bridge could not be reached, or it refused the request; the message says what to do."""

    def __init__(self, message: str, status: Optional[int] = None, code: Optional[str] = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code


@dataclass(frozen=True)
class Target:
    url: str
    token: Optional[str] = None


def resolve_target(url: Optional[str] = None, project: Optional[Path] = None) -> Target:
    """Where to send requests: --url, else the project's instance.json, else UE_BRIDGE_URL or the default.

    The token comes from the instance's token file, else UE_BRIDGE_TOKEN.
    """
    token = os.environ.get("UE_BRIDGE_TOKEN") or None
    if url:
        return Target(url.rstrip("/"), token)
    if project is not None:
        try:
            info = find_instance(project)
        except ValueError as exc:
            raise BridgeError(str(exc)) from None
        if info.token_file:
            try:
                token = Path(info.token_file).read_text(encoding="utf-8").strip() or token
            except OSError as exc:
                raise BridgeError(
                    f"cannot read the bridge's token file {info.token_file}: {exc.strerror}; "
                    "set UE_BRIDGE_TOKEN instead"
                ) from None
        return Target(info.url.rstrip("/"), token)
    return Target((os.environ.get("UE_BRIDGE_URL") or DEFAULT_URL).rstrip("/"), token)


class BridgeClient:
    """Blocking calls to one bridge; every error becomes a BridgeError."""

    def __init__(self, target: Target, request_timeout: float = 30.0) -> None:
        self.target = target
        self.request_timeout = request_timeout
        # The bridge is on loopback: an HTTP(S)_PROXY from the environment must not be used.
        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        self._aio: Any = None  # the aiohttp session of the async calls, made on first use

    def request(
        self, method: str, path: str, body: Optional[Dict[str, Any]] = None,
        query: Optional[Dict[str, str]] = None,
    ) -> Tuple[int, Dict[str, Any]]:
        url = self.target.url + path + ("?" + urllib.parse.urlencode(query) if query else "")
        headers = {"Accept": "application/json"}
        data = None
        if body is not None:
            data = json.dumps(body).encode("utf-8")
            headers["Content-Type"] = "application/json"
        if self.target.token:
            headers["Authorization"] = f"Bearer {self.target.token}"
        request = urllib.request.Request(url, data=data, headers=headers, method=method)
        try:
            with self._opener.open(request, timeout=self.request_timeout) as response:
                return response.status, _decode(response.read())
        except urllib.error.HTTPError as exc:
            reply = _decode(exc.read())
            raise BridgeError(
                str(reply.get("error") or reply.get("detail") or f"HTTP {exc.code} from {url}"),
                exc.code, reply.get("error_code"),
            ) from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise BridgeError(
                f"cannot reach the bridge at {self.target.url}: {reason}. Is the editor running with the "
                "PythonBridge plugin? Pass --project DIR or --url URL to pick it"
            ) from None

    def execute(self, code: str, *, timeout: float, name: Optional[str] = None) -> str:
        """Start a job; its id."""
        body: Dict[str, Any] = {"code": code, "timeout": timeout, "async": True}
        if name:
            body["name"] = name[:200]
        return str(self.request("POST", "/api/v1/python/execute", body)[1]["job_id"])

    def execute_source(self, *, file: Optional[str] = None, module: Optional[str] = None, args: List[str],
                       timeout: float, name: Optional[str] = None) -> str:
        """Start a job that runs a file (a path the bridge can see) or a module; its id."""
        body: Dict[str, Any] = {"args": list(args), "timeout": timeout, "async": True}
        body.update({key: value for key, value in (("file", file), ("module", module)) if value is not None})
        if name:
            body["name"] = name[:200]
        return str(self.request("POST", "/api/v1/python/execute", body)[1]["job_id"])

    def run_script(self, name: str, params: Dict[str, Any], *, timeout: float) -> str:
        path = f"/api/v1/scripts/{urllib.parse.quote(name, safe='')}/run"
        reply = self.request("POST", path, {"params": params, "timeout": timeout, "async": True})[1]
        return str(reply["job_id"])

    def job(self, job_id: str) -> Dict[str, Any]:
        return dict(self.request("GET", "/api/v1/python/job", query={"id": job_id})[1]["job"])

    def jobs(self) -> List[Dict[str, Any]]:
        return list(self.request("GET", "/api/v1/python/jobs")[1]["jobs"])

    def cancel(self, job_id: str) -> Dict[str, Any]:
        return self.request("DELETE", "/api/v1/python/job", query={"id": job_id})[1]

    def executions(self, query: Optional[Dict[str, str]] = None) -> Dict[str, Any]:
        """A page of the history (`executions`, `total_count`, `has_more`), newest first."""
        return dict(self.request("GET", "/api/executions", query=query)[1]["data"])

    def execution(self, run_id: str) -> Dict[str, Any]:
        """`execution`, `steps` and `artifacts` of one run of any kind."""
        return dict(self.request("GET", f"/api/executions/{urllib.parse.quote(run_id, safe='')}")[1]["data"])

    def execution_output(self, run_id: str) -> Dict[str, Any]:
        """What a run printed (`output`) and its `logs`."""
        path = f"/api/executions/{urllib.parse.quote(run_id, safe='')}/output"
        return dict(self.request("GET", path)[1]["data"])

    def scripts(self) -> List[Dict[str, Any]]:
        return list(self.request("GET", "/api/v1/scripts")[1]["scripts"])

    def script(self, name: str) -> Dict[str, Any]:
        path = f"/api/v1/scripts/{urllib.parse.quote(name, safe='')}"
        return dict(self.request("GET", path)[1]["script"])

    # --- the same calls for a caller on an event loop (the MCP server), over one kept-alive aiohttp session ---

    async def request_async(
        self, method: str, path: str, body: Optional[Dict[str, Any]] = None,
        query: Optional[Dict[str, str]] = None, *, timeout: Optional[float] = None,
    ) -> Tuple[int, Dict[str, Any]]:
        """`request()` without blocking the loop; the same BridgeErrors."""
        import asyncio

        import aiohttp

        url = self.target.url + path
        try:
            async with self._session().request(
                method, url, json=body, params=query, headers=self._auth_headers(),
                timeout=aiohttp.ClientTimeout(total=timeout or self.request_timeout),
            ) as response:
                reply = _decode(await response.read())
                status = response.status
        except (aiohttp.ClientError, OSError, asyncio.TimeoutError) as exc:
            reason = str(exc) or type(exc).__name__
            raise BridgeError(
                f"cannot reach the bridge at {self.target.url}: {reason}. Is the editor running with the "
                "PythonBridge plugin? Pass --project DIR or --url URL to pick it"
            ) from None
        if status >= 400:
            raise BridgeError(str(reply.get("error") or reply.get("detail") or f"HTTP {status} from {url}"),
                              status, reply.get("error_code"))
        return status, reply

    def _auth_headers(self) -> Dict[str, str]:
        return {"Authorization": f"Bearer {self.target.token}"} if self.target.token else {}

    def _session(self) -> Any:
        import aiohttp

        session = self._aio
        if session is None or session.closed:
            # The bridge is on loopback: no proxy from the environment (trust_env=False).
            session = self._aio = aiohttp.ClientSession(trust_env=False)
        return session

    async def aclose(self) -> None:
        """Close the session the async calls keep alive."""
        if self._aio is not None:
            await self._aio.close()

    async def execute_async(self, code: str, *, timeout: Optional[float] = None, mode: str = "exec",
                            session_id: Optional[str] = None, name: Optional[str] = None) -> Dict[str, Any]:
        """Start a job; the 202 reply (`job_id`, `status`)."""
        body: Dict[str, Any] = {"code": code, "async": True, "mode": mode}
        body.update({k: v for k, v in (("timeout", timeout), ("session_id", session_id), ("name", name)) if v})
        return (await self.request_async("POST", "/api/v1/python/execute", body))[1]

    async def run_script_async(self, name: str, params: Dict[str, Any]) -> Dict[str, Any]:
        path = f"/api/v1/scripts/{urllib.parse.quote(name, safe='')}/run"
        return (await self.request_async("POST", path, {"params": params, "async": True}))[1]

    async def job_async(self, job_id: str) -> Dict[str, Any]:
        return dict((await self.request_async("GET", "/api/v1/python/job", query={"id": job_id}))[1]["job"])

    async def cancel_async(self, job_id: str) -> Dict[str, Any]:
        return (await self.request_async("DELETE", "/api/v1/python/job", query={"id": job_id}))[1]

    async def executions_async(self, query: Optional[Dict[str, str]] = None) -> Dict[str, Any]:
        return dict((await self.request_async("GET", "/api/executions", query=query))[1]["data"])

    async def execution_async(self, run_id: str) -> Dict[str, Any]:
        path = f"/api/executions/{urllib.parse.quote(run_id, safe='')}"
        return dict((await self.request_async("GET", path))[1]["data"])

    async def execution_output_async(self, run_id: str) -> Dict[str, Any]:
        path = f"/api/executions/{urllib.parse.quote(run_id, safe='')}/output"
        return dict((await self.request_async("GET", path))[1]["data"])

    async def scripts_async(self) -> List[Dict[str, Any]]:
        return list((await self.request_async("GET", "/api/v1/scripts"))[1]["scripts"])

    async def info_async(self, *, timeout: Optional[float] = None) -> Dict[str, Any]:
        return (await self.request_async("GET", "/api/v1/python/info", timeout=timeout))[1]

    async def trace_async(self, body: Dict[str, Any], *, timeout: float) -> Dict[str, Any]:
        """POST /api/v1/execute: the program's OPT steps."""
        return (await self.request_async("POST", "/api/v1/execute", body, timeout=timeout))[1]

    async def sandbox_async(self, body: Dict[str, Any], *, timeout: float) -> Dict[str, Any]:
        """POST /api/execute: one sandboxed run."""
        return (await self.request_async("POST", "/api/execute", body, timeout=timeout))[1]

    async def events_async(self) -> Any:
        """A connected WebSocket of /api/ws (every run's live events); the caller closes it."""
        import aiohttp

        url = self.target.url.replace("http", "ws", 1) + "/api/ws"
        try:
            return await self._session().ws_connect(url, headers=self._auth_headers(), heartbeat=30.0)
        except aiohttp.WSServerHandshakeError as exc:
            raise BridgeError(f"the bridge refused the WebSocket /api/ws: HTTP {exc.status} {exc.message}",
                              exc.status) from None
        except (aiohttp.ClientError, OSError) as exc:
            raise BridgeError(f"cannot open {url}: {exc}") from None

    def follow(
        self, job_id: str, out: TextIO, *, deadline: Optional[float] = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> Dict[str, Any]:
        """Poll a job, writing its output to `out` as it grows; its final detail (latest at `deadline`)."""
        shown = 0
        pause = 0.05
        while True:
            detail = self.job(job_id)
            output = str(detail.get("output") or "")
            if len(output) > shown:
                out.write(output[shown:])
                out.flush()
                shown = len(output)
            if detail["status"] in FINISHED:
                return detail
            if deadline is not None and time.monotonic() > deadline:
                return detail
            sleep(pause)
            pause = min(pause * 1.5, 0.5)


def _decode(raw: bytes) -> Dict[str, Any]:
    try:
        value = json.loads(raw.decode("utf-8") or "{}")
    except ValueError:
        return {"error": raw.decode("utf-8", "replace")[:500]}
    return value if isinstance(value, dict) else {"value": value}


def parse_param(text: str, schema: Optional[Dict[str, Any]] = None) -> Tuple[str, Any]:
    """`k=v` as given on the command line: JSON when it parses (numbers, lists, true), else the text.

    A parameter whose schema says string always keeps the text, so `--param name=007` stays "007".
    """
    key, sep, raw = text.partition("=")
    if not sep or not key:
        raise ValueError(f"--param takes NAME=VALUE, got {text!r}")
    prop = ((schema or {}).get("properties") or {}).get(key, {})
    if prop.get("type") == "string":
        return key, raw
    try:
        return key, json.loads(raw)
    except ValueError:
        return key, raw


# --- `ue-bridge` client commands ----------------------------------------------------------------

EXIT_OK, EXIT_JOB_FAILED, EXIT_ERROR = 0, 1, 2


def add_target_arguments(parser: argparse.ArgumentParser) -> None:
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--url", help=f"the bridge's URL (default: UE_BRIDGE_URL or {DEFAULT_URL})")
    where.add_argument("--project", type=Path, metavar="DIR",
                       help="find the editor that has this project open (Saved/PythonBridge/instance.json)")


def add_client_commands(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
    commands: Dict[str, Callable[[argparse.Namespace], int]],
) -> None:
    """Add exec, jobs, job, cancel, scripts and run to the `ue-bridge` parser."""
    run_help = "seconds before the job is interrupted (30)"
    parser = subparsers.add_parser("exec", help="run Python in the editor and print its output")
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("file", nargs="?", type=Path, help="a Python file to run ('-' reads stdin)")
    source.add_argument("-c", dest="code", metavar="CODE", help="Python source to run")
    source.add_argument("-m", dest="module", metavar="MODULE", help="run a module as `python -m` (pkg.tool)")
    parser.add_argument("--arg", dest="args", action="append", default=[], metavar="ARG",
                        help="an argument of the file or module, in sys.argv[1:] (repeatable)")
    parser.add_argument("--timeout", type=float, default=30.0, help=run_help)
    parser.add_argument("--async", dest="run_async", action="store_true", help="print the job id and return")
    add_target_arguments(parser)
    add_remote_arguments(parser)
    commands["exec"] = cmd_exec

    parser = subparsers.add_parser("jobs", help="list recent jobs, newest first")
    parser.add_argument("--json", action="store_true", help="print the raw JSON")
    add_target_arguments(parser)
    commands["jobs"] = cmd_jobs

    parser = subparsers.add_parser("job", help="show one job as JSON: output, logs, result, error")
    parser.add_argument("job_id", metavar="ID")
    add_target_arguments(parser)
    commands["job"] = cmd_job

    parser = subparsers.add_parser("cancel", help="cancel a pending or running job")
    parser.add_argument("job_id", metavar="ID")
    add_target_arguments(parser)
    commands["cancel"] = cmd_cancel

    parser = subparsers.add_parser("scripts", help="list the named editor scripts and their parameters")
    parser.add_argument("--json", action="store_true", help="print the raw JSON")
    add_target_arguments(parser)
    commands["scripts"] = cmd_scripts

    parser = subparsers.add_parser(
        "run", help="run a named editor script (NAME), or show a run of the history (ID: a run id)",
        description="`run NAME` runs a named editor script; `run ID` shows a run of any kind, its steps, "
                    "artifacts and output (`--follow`: live, until it ends). Script names are Python "
                    "identifiers, so a run id is never taken for one.",
    )
    parser.add_argument("name", metavar="NAME|ID")
    parser.add_argument("--follow", "-f", action="store_true",
                        help="with a run ID: print its output as it comes until it ends (exit 0 if it completed)")
    parser.add_argument("--json", action="store_true", help="with a run ID: print the raw JSON")
    parser.add_argument("--param", "-p", action="append", default=[], metavar="NAME=VALUE",
                        help="a parameter; VALUE is JSON when it parses as JSON (repeatable)")
    parser.add_argument("--timeout", type=float, default=30.0, help=run_help)
    parser.add_argument("--async", dest="run_async", action="store_true", help="print the job id and return")
    add_target_arguments(parser)
    commands["run"] = cmd_run


def _client(args: argparse.Namespace) -> BridgeClient:
    return BridgeClient(resolve_target(args.url, args.project))


def _fail(message: str, code: int = EXIT_ERROR) -> int:
    print(f"ue-bridge: {message}", file=sys.stderr)
    return code


def _guarded(command: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    def run(args: argparse.Namespace) -> int:
        try:
            return command(args)
        except BridgeError as exc:
            return _fail(str(exc))
        except BrokenPipeError:
            # `ue-bridge jobs | head`: the reader left; silence the flush at exit, no traceback.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return EXIT_JOB_FAILED

    run.__name__ = command.__name__
    run.__doc__ = command.__doc__
    return run


def _finish(client: BridgeClient, job_id: str, timeout: float, show_result: Callable[[Any], None]) -> int:
    """Follow a job to its end; Ctrl-C cancels it. The exit status says how it ended."""
    # The server interrupts the job at `timeout`; past that plus a margin it is stuck in native code.
    deadline = time.monotonic() + timeout + 60.0
    try:
        detail = client.follow(job_id, sys.stdout, deadline=deadline)
    except KeyboardInterrupt:
        try:
            client.cancel(job_id)
        except BridgeError:
            pass
        return _fail(f"interrupted; job {job_id} was cancelled", 130)
    status = detail["status"]
    if status == "completed":
        if detail.get("result") is not None:
            show_result(detail["result"])
        return EXIT_OK
    if status not in FINISHED:
        return _fail(f"job {job_id} is still {status} after its timeout (inside a native call?); "
                     f"check it with `ue-bridge job {job_id}`", EXIT_JOB_FAILED)
    sys.stdout.flush()
    sys.stderr.write(detail.get("traceback") or f"{detail.get('error') or 'job ' + status}\n")
    sys.stderr.flush()
    return EXIT_JOB_FAILED


@_guarded
def cmd_exec(args: argparse.Namespace) -> int:
    """`ue-bridge exec FILE | -m MODULE | -c CODE`: a file the bridge can see is sent as `file`, else its text."""
    if args.remote_execution:
        return cmd_exec_remote(args)
    if args.args and args.code is not None:
        return _fail("--arg is for a FILE or -m MODULE")
    client = _client(args)
    job_id = None
    if args.module is not None:
        job_id = client.execute_source(module=args.module, args=args.args, timeout=args.timeout)
    elif args.code is not None:
        code, name = args.code, "-c"
    elif str(args.file) == "-":
        code, name = sys.stdin.read(), "<stdin>"
    else:
        job_id = _execute_visible_file(client, args)
        if job_id is None:
            try:
                code, name = args.file.read_text(encoding="utf-8"), str(args.file)
            except OSError as exc:
                return _fail(f"cannot read {args.file}: {exc.strerror}")
            if args.args:
                return _fail(f"the bridge at {client.target.url} cannot see {args.file}, so it runs the file's text, "
                             "which takes no --arg; put the file in the project's Content/Python or python.paths")
    if job_id is None:
        job_id = client.execute(code, timeout=args.timeout, name=name)
    if args.run_async:
        print(job_id)
        return EXIT_OK
    return _finish(client, job_id, args.timeout, lambda result: print(result))


def _execute_visible_file(client: BridgeClient, args: argparse.Namespace) -> Optional[str]:
    """The job of the file sent by path, when the bridge runs on this machine and may run it; else None."""
    if urllib.parse.urlsplit(client.target.url).hostname not in ("127.0.0.1", "localhost", "::1"):
        return None
    path = Path(args.file).resolve()
    if not path.is_file():
        return None
    try:
        return client.execute_source(file=str(path), args=args.args, timeout=args.timeout)
    except BridgeError as exc:
        if exc.code in ("PATH_NOT_ALLOWED", "FILE_NOT_FOUND"):
            return None
        raise


@_guarded
def cmd_run(args: argparse.Namespace) -> int:
    """`ue-bridge run NAME --param k=v`, or `ue-bridge run ID [--follow]`."""
    from .runs import is_run_id, show_run

    if is_run_id(args.name):
        if args.param or args.run_async:
            return _fail("--param and --async are for a script NAME; a run ID is shown (or --follow'ed)")
        return show_run(_client(args), args.name, follow=args.follow, as_json=args.json)
    if args.follow or args.json:
        return _fail(f"--follow and --json are for a run ID; {args.name!r} is not one (ue-bridge runs lists them)")
    client = _client(args)
    schema = client.script(args.name).get("parameters") or {}
    try:
        params = dict(parse_param(text, schema) for text in args.param)
    except ValueError as exc:
        return _fail(str(exc))
    job_id = client.run_script(args.name, params, timeout=args.timeout)
    if args.run_async:
        print(job_id)
        return EXIT_OK
    return _finish(client, job_id, args.timeout, lambda result: print(json.dumps(result, indent=2)))


@_guarded
def cmd_jobs(args: argparse.Namespace) -> int:
    jobs = _client(args).jobs()
    if args.json:
        print(json.dumps(jobs, indent=2))
        return EXIT_OK
    for job in jobs:
        label = job.get("name") or ""
        print(f"{job['id']}  {job['status']:<9}  {job['kind']:<7}  {job['created_at']}  "
              f"{job['duration_ms']:>10.1f} ms  {label}")
    return EXIT_OK


@_guarded
def cmd_job(args: argparse.Namespace) -> int:
    print(json.dumps(_client(args).job(args.job_id), indent=2))
    return EXIT_OK


@_guarded
def cmd_cancel(args: argparse.Namespace) -> int:
    print(_client(args).cancel(args.job_id).get("message", "cancelled"))
    return EXIT_OK


@_guarded
def cmd_scripts(args: argparse.Namespace) -> int:
    scripts = _client(args).scripts()
    if args.json:
        print(json.dumps(scripts, indent=2))
        return EXIT_OK
    for script in scripts:
        if script.get("error"):
            print(f"{script['name']}  (failed to load: {script['error']})")
            continue
        schema = script.get("parameters") or {}
        required = set(schema.get("required") or [])
        params = ", ".join(
            f"{name}{'' if name in required else '?'}: {_type_name(prop)}"
            for name, prop in (schema.get("properties") or {}).items()
        )
        print(f"{script['name']}({params})\n    {script.get('description') or ''}")
    return EXIT_OK


def _type_name(prop: Dict[str, Any]) -> str:
    if "type" in prop:
        kind = str(prop["type"])
        if kind == "array" and isinstance(prop.get("items"), dict):
            return f"array[{_type_name(prop['items'])}]"
        return kind
    options = prop.get("anyOf") or prop.get("oneOf")
    if isinstance(options, list):
        return " | ".join(_type_name(option) for option in options if isinstance(option, dict))
    if "enum" in prop:
        return "|".join(json.dumps(value) for value in prop["enum"])
    return "any"
