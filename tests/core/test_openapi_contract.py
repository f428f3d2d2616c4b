"""The OpenAPI document is the contract: schemathesis fuzzes every operation of a live headless bridge."""
from __future__ import annotations

import json
import urllib.request
from typing import Any, Dict, Iterator, List, Optional, Set, Tuple

import aiohttp
import pytest

from bridge.editor.sessions import SESSION_ID_PATTERN
from bridge.host import BridgeHost
from bridge.sandbox.runtimes import ALIASES
from mock_unreal.testing import MockProject, project_fixture

# schemathesis 4 needs Python 3.11; the editor's Python 3.9 run (make test-editor-py39) has no use for it.
schemathesis = pytest.importorskip("schemathesis")
from schemathesis.engine import Status, StopReason, events  # noqa: E402
from schemathesis.engine.run import PhaseName  # noqa: E402
from schemathesis.specs.openapi.checks import positive_data_acceptance  # noqa: E402

EXAMPLES_PER_OPERATION = 30
CONFIG: Dict[str, Any] = {
    # Every check; positive_data_acceptance is replaced by positive_data_acceptance_but_host_rules below.
    "checks": {"enabled": True, "positive_data_acceptance": {"enabled": False}},
    "generation": {
        "mode": "all",  # valid and invalid data
        "max-examples": EXAMPLES_PER_OPERATION,
        "deterministic": True,  # derandomized: CI sees the same cases every run
        "database": "none",
    },
    # Stateful sequences follow links between operations, which the document does not declare.
    "phases": {"examples": {"enabled": True}, "coverage": {"enabled": True}, "fuzzing": {"enabled": True},
               "stateful": {"enabled": False}},
    "workers": 1,
}

# Rules the document cannot state, checked by the server with a 400 that names them. A schema-valid request
# may break one, so positive_data_acceptance is skipped for exactly these replies, and only these.
# - /api/execute: which languages and versions are installed, and each language's own maxima, depend on the
#   host (GET /api/runtimes lists them); the seed 004 messages say which rule was broken.
# - /api/v1/scripts/{name}/run: `params` follows each script's own schema (GET /api/v1/scripts/{name}), and
#   scripts are loaded and reloaded while the server runs.
# - /api/v1/execute/stream: `code` or `session_id` must be given; OpenAPI has no rule across parameters.
# - DELETE /api/v1/python/job: a job that has finished cannot be cancelled (JOB_ALREADY_FINISHED), and the
#   history hands out the ids of finished jobs (GET /api/v1/python/jobs, /api/executions).
# - POST /api/executions: whether a command can run here (its quoting, its working_directory on this disk,
#   the configured history.command_timeout) only the host knows; InvalidCommand names the field.
HOST_RULES = {
    ("POST", "/api/execute"): ("Unsupported language or version: ", "Resource limits exceed maximum allowed values"),
    ("POST", "/api/v1/scripts/{name}/run"): ("params.",),
    ("GET", "/api/v1/execute/stream"): ("Missing required query parameter: code",),
    ("DELETE", "/api/v1/python/job"): ("Job '",),
    ("POST", "/api/executions"): ("command ", "working_directory ", "environment ", "timeout "),
    ("POST", "/api/v1/python/execute"): ("Missing required field: code", "give exactly one of ", "file ",
                                         "mode and session_id are for ", "args are for "),
}


@pytest.fixture
def unreal_project(tmp_path: Any) -> Iterator[MockProject]:
    """A fresh mock project: the named editor scripts the fuzzer runs change this one only."""
    yield from project_fixture(tmp_path)


def parameters(doc: Dict[str, Any], method: str, path: str) -> Dict[str, Any]:
    return {p["name"]: p for p in doc["paths"][path][method].get("parameters", [])}


def field(doc: Dict[str, Any], model: str, name: str) -> Dict[str, Any]:
    schema = doc["components"]["schemas"][model]["properties"][name]
    return next((s for s in schema.get("anyOf", []) if s.get("type") != "null"), schema)  # Optional: not null


async def test_the_document_states_the_limits_the_server_enforces(http: aiohttp.ClientSession) -> None:
    async with http.get("/api/openapi.json") as response:
        doc = await response.json()
    page = parameters(doc, "get", "/api/v1/sessions")
    assert page["limit"]["schema"] == {"type": "integer", "minimum": 1, "maximum": 200, "default": 20}
    assert page["offset"]["schema"]["minimum"] == 0
    stream = parameters(doc, "get", "/api/v1/execute/stream")
    assert (stream["max_steps"]["schema"]["minimum"], stream["max_steps"]["schema"]["maximum"]) == (1, 10000)
    assert stream["session_id"]["schema"]["pattern"] == SESSION_ID_PATTERN
    for method in ("get", "delete"):
        session_id = parameters(doc, method, "/api/v1/sessions/{session_id}")["session_id"]
        assert session_id["required"] and session_id["schema"]["pattern"] == SESSION_ID_PATTERN
        job_id = parameters(doc, method, "/api/v1/python/job")["id"]
        assert job_id["required"] and job_id["schema"]["minLength"] == 1
    assert parameters(doc, "post", "/api/v1/scripts/{name}/run")["name"]["schema"]["minLength"] == 1
    assert field(doc, "TraceOptions", "max_steps") == {"type": "integer", "minimum": 1, "maximum": 10000}
    assert field(doc, "TraceOptions", "trace")["type"] == "boolean"
    for model in ("bridge__api__models__ExecuteRequest", "ScriptRunRequest"):
        assert (field(doc, model, "timeout")["exclusiveMinimum"], field(doc, model, "timeout")["maximum"]) == (0, 3600)
    sandbox = "bridge__sandbox__models__ExecuteRequest"
    assert set(field(doc, sandbox, "language")["enum"]) == {
        name for language, aliases in ALIASES.items() for name in (language, *aliases)
    }
    assert field(doc, sandbox, "memory_mb")["maximum"] == 2048
    error = doc["components"]["schemas"]["ErrorReply"]
    assert set(error["required"]) == {"success", "error_code", "error", "detail"}
    for path, operations in doc["paths"].items():
        for method, operation in operations.items():
            for status in ("4XX", "5XX"):
                schema = operation["responses"][status]["content"]["application/json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/ErrorReply"}, (method, path, status)
    timeout_reply = doc["components"]["schemas"]["TimeoutResponse"]
    assert {"success", "error_code", "error", "detail", "stdout", "status"} <= set(timeout_reply["required"])


def breaks_a_host_rule(response: Any, case: Any) -> bool:
    """A 400 that names one of HOST_RULES for this operation."""
    prefixes = HOST_RULES.get((case.operation.method.upper(), case.operation.path))
    if prefixes is None or response.status_code != 400:
        return False
    return str(response.json().get("error", "")).startswith(prefixes)


@schemathesis.check
def positive_data_acceptance_but_host_rules(ctx: Any, response: Any, case: Any) -> Optional[bool]:
    """The built-in positive_data_acceptance, except for a 400 that names one of HOST_RULES."""
    if breaks_a_host_rule(response, case):
        return None
    return positive_data_acceptance(ctx, response, case)


def run_schemathesis(openapi_url: str) -> Tuple[Set[str], List[str]]:
    """Every phase that tests operations one by one: the operations fuzzed, and one line per failure or error."""
    schema = schemathesis.openapi.from_url(openapi_url, config=schemathesis.Config.from_dict(CONFIG))
    fuzzed: Set[str] = set()
    problems: List[str] = []
    for event in schemathesis.engine.from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished):
            if event.phase is PhaseName.FUZZING and event.status is not Status.SKIP:
                fuzzed.add(str(event.label))
            if event.status in (Status.FAILURE, Status.ERROR):
                failed = [c for checks in event.recorder.checks.values() for c in checks if c.failure_info]
                problems += [f"{event.label}: {c.name}: {c.failure_info.failure.title}: "
                             f"{c.failure_info.failure.message}\n  {c.failure_info.code_sample}"
                             for c in failed if c.failure_info is not None]
                if not failed:
                    problems.append(f"{event.label}: {event.status.value} in {event.phase.value}, no check failed")
        elif isinstance(event, events.NonFatalError):
            problems.append(f"{event.label}: {event.info.format()}")
        elif isinstance(event, events.FatalError):
            problems.append(f"schemathesis stopped: {event.exception!r}")
        elif isinstance(event, events.EngineFinished) and event.stop_reason is not StopReason.COMPLETED:
            problems.append(f"schemathesis did not complete: {event.stop_reason.value}")
    return fuzzed, problems


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_every_operation_keeps_to_the_document(unreal_project: MockProject, start_bridge: Any) -> None:
    host: BridgeHost = start_bridge()
    with urllib.request.urlopen(f"{host.url}/api/openapi.json") as response:
        doc = json.load(response)
    operations = {f"{method.upper()} {path}" for path, ops in doc["paths"].items() for method in ops}
    fuzzed, problems = run_schemathesis(f"{host.url}/api/openapi.json")
    assert not problems, f"{len(problems)} schemathesis failures:\n" + "\n".join(problems)
    # schemathesis leaves out the operation it loaded the document from; loading it tested that one
    assert fuzzed == operations - {"GET /api/openapi.json"}
