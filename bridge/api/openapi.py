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
class RouteDoc:
    method: str
    path: str
    summary: str
    tag: str
    body: Optional[Type[BaseModel]] = None
    # status -> model; None documents a non-JSON or schemaless reply
    responses: Mapping[int, Optional[Type[BaseModel]]] = field(default_factory=dict)
    query: Optional[Type[BaseModel]] = None  # one field per query parameter, parsed by http.parse_query
    path_params: Optional[Type[BaseModel]] = None  # one field per {name} in the path, parsed by http.parse_path
    content_type: str = "application/json"
    body_content_type: str = "application/json"  # multipart/form-data for an upload


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
        query: Optional[Type[BaseModel]] = None,
        path_params: Optional[Type[BaseModel]] = None,
        content_type: str = "application/json",
        body_content_type: str = "application/json",
    ) -> Callable[[Handler], Handler]:
        names = _PATH_PARAM.findall(path)
        if path_params is not None and sorted(path_params.model_fields) != sorted(names):
            raise ValueError(f"path_params of {method} {path} must have exactly the fields {names}, "
                             f"has {list(path_params.model_fields)}")

        def register(handler: Handler) -> Handler:
            self.routes.route(method, path)(handler)
            self.docs.append(
                RouteDoc(method.upper(), path, summary, self.tag, body, dict(responses or {}), query=query,
                         path_params=path_params, content_type=content_type,
                         body_content_type=body_content_type)
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
        parameters = (
            _parameters(doc.path_params, "path") if doc.path_params is not None
            # aiohttp never matches an empty path segment
            else [{"name": name, "in": "path", "required": True, "schema": {"type": "string", "minLength": 1}}
                  for name in _PATH_PARAM.findall(doc.path)]
        )
        if doc.query is not None:
            parameters += _parameters(doc.query, "query")
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
                "content": {doc.body_content_type: {"schema": refs[(doc.body, "validation")]}},
            }
        for status, model in sorted(doc.responses.items()):
            content: Dict[str, Any] = (
                {doc.content_type: {"schema": refs[(model, "serialization")]}} if model is not None
                else {doc.content_type: {}}
            )
            operation["responses"][str(status)] = {"description": _describe(status), "content": content}
        error = {"application/json": {"schema": refs[(error_model, "serialization")]}}
        operation["responses"].setdefault("4XX", {"description": "Bad input", "content": error})
        operation["responses"].setdefault("5XX", {"description": "Unavailable or failed", "content": error})
        paths.setdefault(openapi_path, {})[doc.method.lower()] = operation

    return {
        "openapi": "3.1.0",
        "info": {"title": title, "version": version},
        "paths": paths,
        "components": {"schemas": schema.get("$defs", {})},
    }


def _parameters(model: Type[BaseModel], where: str) -> List[Dict[str, Any]]:
    """OpenAPI parameters from a model's fields: names, required, limits and descriptions."""
    schema = model.model_json_schema(mode="validation")
    required = set(schema.get("required", ()))
    parameters = []
    for name, prop in schema["properties"].items():
        prop = _without_null(prop)
        prop.pop("title", None)
        parameter: Dict[str, Any] = {"name": name, "in": where, "required": where == "path" or name in required}
        if "description" in prop:
            parameter["description"] = prop.pop("description")
        parameter["schema"] = prop
        parameters.append(parameter)
    return parameters


def _without_null(prop: Dict[str, Any]) -> Dict[str, Any]:
    # An Optional parameter is one that may be left out: a query string has no null to send.
    branches = prop.get("anyOf")
    if branches is None:
        return dict(prop)
    kept = [b for b in branches if b != {"type": "null"}]
    rest = {k: v for k, v in prop.items() if k != "anyOf" and not (k == "default" and v is None)}
    return {**kept[0], **rest} if len(kept) == 1 else {**rest, "anyOf": kept}


def _describe(status: int) -> str:
    return {200: "OK", 201: "Created", 202: "Accepted, still running", 204: "No content",
            400: "Bad input", 404: "Not found", 408: "Timed out", 503: "Unavailable"}.get(status, str(status))
