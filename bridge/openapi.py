"""Routes declared once with their pydantic models; the OpenAPI document is generated from them."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable, Dict, List, Literal, Mapping, Optional, Sequence, Tuple, Type

from aiohttp import web
from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
JsonSchemaMode = Literal["validation", "serialization"]


@dataclass(frozen=True)
class QueryParam:
    name: str
    description: str
    required: bool = False
    type: str = "string"


@dataclass(frozen=True)
class RouteDoc:
    method: str
    path: str
    summary: str
    tag: str
    body: Optional[Type[BaseModel]] = None
    # status -> model; None documents a non-JSON or schemaless reply
    responses: Mapping[int, Optional[Type[BaseModel]]] = field(default_factory=dict)
    query: Sequence[QueryParam] = ()
    content_type: str = "application/json"


class RouteTable:
    """An aiohttp RouteTableDef that also records what each route takes and returns."""

    def __init__(self, tag: str) -> None:
        self.tag = tag
        self.routes = web.RouteTableDef()
        self.docs: List[RouteDoc] = []

    def route(
        self,
        method: str,
        path: str,
        *,
        summary: str,
        body: Optional[Type[BaseModel]] = None,
        responses: Optional[Mapping[int, Optional[Type[BaseModel]]]] = None,
        query: Sequence[QueryParam] = (),
        content_type: str = "application/json",
    ) -> Callable[[Handler], Handler]:
        def register(handler: Handler) -> Handler:
            self.routes.route(method, path)(handler)
            self.docs.append(
                RouteDoc(method.upper(), path, summary, self.tag, body, dict(responses or {}), tuple(query),
                         content_type)
            )
            return handler

        return register


_PATH_PARAM = re.compile(r"{(\w+)(?::[^}]*)?}")


def build_openapi(docs: Sequence[RouteDoc], title: str, version: str, error_model: Type[BaseModel]) -> Dict[str, Any]:
    """An OpenAPI 3.1 document for every registered route."""
    wanted: List[Tuple[Type[BaseModel], JsonSchemaMode]] = [(error_model, "serialization")]
    for doc in docs:
        if doc.body is not None:
            wanted.append((doc.body, "validation"))
        wanted.extend((model, "serialization") for model in doc.responses.values() if model is not None)
    unique = list(dict.fromkeys(wanted))
    refs, schema = models_json_schema(unique, ref_template="#/components/schemas/{model}")

    paths: Dict[str, Dict[str, Any]] = {}
    for doc in docs:
        openapi_path = _PATH_PARAM.sub(r"{\1}", doc.path)
        parameters: List[Dict[str, Any]] = [
            {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
            for name in _PATH_PARAM.findall(doc.path)
        ]
        parameters += [
            {"name": q.name, "in": "query", "required": q.required, "description": q.description,
             "schema": {"type": q.type}}
            for q in doc.query
        ]
        operation: Dict[str, Any] = {
            "summary": doc.summary,
            "tags": [doc.tag],
            "operationId": f"{doc.method.lower()}_{re.sub(r'[^a-z0-9]+', '_', openapi_path.lower()).strip('_')}",
            "responses": {},
        }
        if parameters:
            operation["parameters"] = parameters
        if doc.body is not None:
            operation["requestBody"] = {
                "required": True,
                "content": {"application/json": {"schema": refs[(doc.body, "validation")]}},
            }
        for status, model in sorted(doc.responses.items()):
            content: Dict[str, Any] = (
                {doc.content_type: {"schema": refs[(model, "serialization")]}} if model is not None
                else {doc.content_type: {}}
            )
            operation["responses"][str(status)] = {"description": _describe(status), "content": content}
        operation["responses"].setdefault(
            "4XX", {"description": "Bad input", "content": {"application/json": {
                "schema": refs[(error_model, "serialization")]}}}
        )
        paths.setdefault(openapi_path, {})[doc.method.lower()] = operation

    return {
        "openapi": "3.1.0",
        "info": {"title": title, "version": version},
        "paths": paths,
        "components": {"schemas": schema.get("$defs", {})},
    }


def _describe(status: int) -> str:
    return {200: "OK", 201: "Created", 202: "Accepted, still running", 204: "No content",
            400: "Bad input", 404: "Not found", 408: "Timed out", 503: "Unavailable"}.get(status, str(status))
