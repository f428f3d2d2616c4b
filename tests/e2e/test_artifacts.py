"""/api/artifacts over real HTTP: multipart uploads streamed to disk, byte-exact downloads, filters, errors."""
from __future__ import annotations

import io
import json
import urllib.parse
from typing import Any, Dict, Optional

import aiohttp
import pytest

from bridge.host import BridgeHost
from bridge.runs import RunKind, RunStatus

from .conftest import ARTIFACT_KEYS, error_code, get, reply

BINARY = bytes(range(256)) * 4096 + b"\x00\xff tail"  # every byte value, ~1 MB, not valid UTF-8


def finished_run(bridge: BridgeHost, **kwargs: Any) -> str:
    run = bridge.history.create(RunKind.COMMAND, command="build", **kwargs)
    bridge.history.finish(run.id, RunStatus.COMPLETED, exit_code=0)
    return run.id


def form(fields: Dict[str, Any], file: Optional[bytes] = None, file_name: str = "data.bin",
         content_type: str = "application/octet-stream") -> aiohttp.FormData:
    # As curl and browsers send them: multipart even without a file, the file name not percent-encoded.
    data = aiohttp.FormData(quote_fields=False, default_to_multipart=True)
    for name, value in fields.items():
        for item in value if isinstance(value, list) else [value]:
            data.add_field(name, item)
    if file is not None:
        data.add_field("file", io.BytesIO(file), filename=file_name, content_type=content_type)
    return data


async def upload(http: aiohttp.ClientSession, fields: Dict[str, Any], file: Optional[bytes] = BINARY,
                 status: int = 201, **kwargs: Any) -> Dict[str, Any]:
    async with http.post("/api/artifacts", data=form(fields, file, **kwargs)) as response:
        return await reply(response, status)


async def test_a_binary_file_goes_up_and_comes_back_byte_for_byte(bridge: BridgeHost,
                                                                  http: aiohttp.ClientSession) -> None:
    run_id = finished_run(bridge)
    created = (await upload(http, {"execution_id": run_id, "name": "Dump", "description": "raw",
                                   "artifact_type": "data", "tags": ["a", "b"]}))["data"]
    assert set(created) == ARTIFACT_KEYS
    assert (created["execution_id"], created["name"], created["description"]) == (run_id, "Dump", "raw")
    assert (created["file_name"], created["file_size"], created["artifact_type"]) == ("data.bin", len(BINARY), "data")
    assert created["tags"] == ["a", "b"] and created["is_public"] is True and created["retention_days"] == 30
    assert created["download_url"] == f"/api/artifacts/{created['id']}/download"
    assert not created["file_path"].startswith("/") and ".." not in created["file_path"]
    async with http.get(created["download_url"]) as response:
        assert response.status == 200
        assert await response.read() == BINARY
        assert response.headers["Content-Type"] == created["mime_type"]
        assert response.headers["Content-Disposition"].startswith("attachment;")
        assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert (await get(http, f"/api/artifacts/{created['id']}"))["data"] == created
    detail = (await get(http, f"/api/executions/{run_id}"))["data"]
    assert detail["artifacts"] == [created] and detail["execution"]["id"] == run_id


async def test_the_download_name_is_safe_and_rfc_6266_encoded(bridge: BridgeHost,
                                                               http: aiohttp.ClientSession) -> None:
    run_id = finished_run(bridge)
    created = (await upload(http, {"execution_id": run_id, "name": "Bericht"}, b"<p>hi</p>",
                            file_name="../../etc/Größe:report?.html", content_type="text/html"))["data"]
    assert created["file_name"] == "Größe_report_.html" and created["mime_type"] == "text/html"
    async with http.get(created["download_url"]) as response:
        disposition = response.headers["Content-Disposition"]
        assert await response.read() == b"<p>hi</p>"
    assert disposition == ('attachment; filename="Gr__e_report_.html"; '
                           f"filename*=UTF-8''{urllib.parse.quote('Größe_report_.html', safe='')}")
    assert response.headers["Content-Security-Policy"] == "sandbox"


async def test_tags_as_a_json_array_and_step_ids(bridge: BridgeHost, http: aiohttp.ClientSession) -> None:
    run = bridge.history.create(RunKind.COMMAND, command="x", started=True)
    step = bridge.history.begin_step(run.id, "pack")
    created = (await upload(http, {"execution_id": run.id, "name": "n", "step_id": step.id,
                                   "tags": json.dumps(["x", "y"])}, b"zip"))["data"]
    assert created["tags"] == ["x", "y"] and created["step_id"] == step.id
    bridge.history.finish(run.id, RunStatus.COMPLETED)
    unknown_step = await upload(http, {"execution_id": run.id, "name": "n", "step_id": "nope"}, b"1", status=404)
    assert unknown_step["error_code"] == "STEP_NOT_FOUND"


async def test_list_filters_and_delete(bridge: BridgeHost, http: aiohttp.ClientSession) -> None:
    first, second = finished_run(bridge), finished_run(bridge)
    image = (await upload(http, {"execution_id": first, "name": "shot"}, b"\x89PNG", file_name="shot.png",
                          content_type="image/png"))["data"]
    log = (await upload(http, {"execution_id": second, "name": "log"}, b"line\n", file_name="build.log"))["data"]
    every = (await get(http, "/api/artifacts"))["data"]
    assert set(every) == {"artifacts", "total_count", "has_more"}
    assert [a["id"] for a in every["artifacts"]] == [log["id"], image["id"]] and every["total_count"] == 2
    assert all(set(a) == ARTIFACT_KEYS for a in every["artifacts"])
    by_run = (await get(http, "/api/artifacts", params={"execution_id": first}))["data"]["artifacts"]
    assert [a["id"] for a in by_run] == [image["id"]]
    by_type = (await get(http, "/api/artifacts", params={"artifact_type": "log"}))["data"]["artifacts"]
    assert [a["id"] for a in by_type] == [log["id"]]
    page = (await get(http, "/api/artifacts", params={"limit": "1"}))["data"]
    assert len(page["artifacts"]) == 1 and page["has_more"] is True
    async with http.delete(f"/api/artifacts/{image['id']}") as response:
        assert (await reply(response, 200))["data"] == {"message": "Artifact deleted successfully"}
    for path in (f"/api/artifacts/{image['id']}", image["download_url"]):
        assert await error_code(http.get(path), 404) == "ARTIFACT_NOT_FOUND"
    assert await error_code(http.delete(f"/api/artifacts/{image['id']}"), 404) == "ARTIFACT_NOT_FOUND"
    assert (await get(http, f"/api/executions/{first}"))["data"]["artifacts"] == []


@pytest.mark.parametrize("missing", ["execution_id", "name", "file"])
async def test_a_missing_form_field_is_named(bridge: BridgeHost, http: aiohttp.ClientSession, missing: str) -> None:
    fields = {"execution_id": finished_run(bridge), "name": "n"}
    fields.pop(missing, None)
    body = await upload(http, fields, None if missing == "file" else b"x", status=400)
    assert body["error_code"] == "MISSING_FIELD" and body["error"] == f"Missing required field: {missing}"


@pytest.mark.parametrize(("fields", "fragment"), [
    ({"artifact_type": "video"}, "artifact_type"),
    ({"colour": "red"}, "colour"),
    ({"name": ["twice", "again"]}, "given 2 times"),
    ({"tags": "[1, 2]"}, "JSON array of strings"),
])
async def test_bad_form_fields_are_400(bridge: BridgeHost, http: aiohttp.ClientSession, fields: Dict[str, Any],
                                       fragment: str) -> None:
    body = await upload(http, {"execution_id": finished_run(bridge), "name": "n", **fields}, b"x", status=400)
    assert body["error_code"] == "INVALID_REQUEST" and fragment in body["error"]


async def test_an_unknown_execution_is_404(http: aiohttp.ClientSession) -> None:
    body = await upload(http, {"execution_id": "nope", "name": "n"}, b"x", status=404)
    assert body["error_code"] == "EXECUTION_NOT_FOUND"
    assert (await get(http, "/api/artifacts", params={"execution_id": "nope"}))["data"]["total_count"] == 0


async def test_an_upload_must_be_multipart(bridge: BridgeHost, http: aiohttp.ClientSession) -> None:
    refused = http.post("/api/artifacts", json={"execution_id": finished_run(bridge), "name": "n"})
    assert await error_code(refused, 415) == "UNSUPPORTED_MEDIA_TYPE"
    # the exception is for this one route: every other POST stays JSON only
    other = http.post("/api/executions", data=form({"command": "true"}))
    assert await error_code(other, 415) == "UNSUPPORTED_MEDIA_TYPE"


async def test_a_file_over_the_limit_is_413_and_leaves_nothing(start_bridge: Any) -> None:
    bridge: BridgeHost = start_bridge(history={"artifact_max_bytes": 1000})
    run_id = finished_run(bridge)
    async with aiohttp.ClientSession(base_url=bridge.url) as http:
        body = await upload(http, {"execution_id": run_id, "name": "big"}, b"x" * 1001, status=413)
        assert body["error_code"] == "ARTIFACT_TOO_LARGE" and "artifact_max_bytes" in body["error"]
        assert (await upload(http, {"execution_id": run_id, "name": "ok"}, b"x" * 1000))["data"]["file_size"] == 1000
        too_long = http.post("/api/artifacts", data=io.BytesIO(b"x" * (2 * 1024 * 1024)),
                             headers={"Content-Type": "multipart/form-data; boundary=b"})
        assert await error_code(too_long, 413) == "PAYLOAD_TOO_LARGE"
    leftovers = [p.name for p in bridge.artifact_files.root.iterdir() if p.name.startswith(".incoming")]
    assert leftovers == []


async def test_a_malformed_multipart_body_is_400(http: aiohttp.ClientSession) -> None:
    broken = http.post("/api/artifacts", data=b"no boundary here",
                       headers={"Content-Type": "multipart/form-data; boundary=zzz"})
    assert await error_code(broken, 400) == "INVALID_REQUEST"


async def test_a_multipart_type_without_a_boundary_is_400(http: aiohttp.ClientSession) -> None:
    refused = http.post("/api/artifacts", data=b"x", headers={"Content-Type": "multipart/form-data"})
    assert await error_code(refused, 400) == "INVALID_REQUEST"
