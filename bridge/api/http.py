"""JSON in and out: orjson responses, and request parsing that turns bad input into clear 4xx errors."""
from __future__ import annotations

import asyncio
import re
from typing import Annotated, Any, Dict, Mapping, Optional, Type, TypeVar

import orjson
from aiohttp import web
from pydantic import BaseModel, BeforeValidator, ValidationError
from pydantic_core import PydanticCustomError

from ..runs import RunHistory
from . import state
from .errors import invalid_request, missing_field, missing_parameter

M = TypeVar("M", bound=BaseModel)
_DECIMAL = re.compile(r"-?[0-9]+")


def _decimal_only(value: Any) -> Any:
    # pydantic's lax int also takes " 5", "+5", "1_0" and "5.0"; a query string gets digits or a 400
    if isinstance(value, str) and not _DECIMAL.fullmatch(value):
        raise PydanticCustomError("int_parsing", "Input should be a valid integer in decimal digits")
    return value


DECIMAL_DIGITS = BeforeValidator(_decimal_only)
# Limits go in the field's own Field(ge=...), or before DECIMAL_DIGITS in an Annotated: after it they are
# enforced but documented as `ge` instead of `minimum`.
QueryInt = Annotated[int, DECIMAL_DIGITS]


def requester(request: web.Request) -> str:
    """Who asked, as the run history records it: "token" when the bridge wants a bearer token (the
    security middleware has checked it by now), else "local"."""
    settings = request.app.get(state.SETTINGS)
    presented = request.headers.get("Authorization", "").startswith("Bearer ")
    return "token" if settings is not None and settings.token and presented else "local"


async def durable(history: RunHistory) -> None:
    """Wait until everything the history has recorded is committed: a reply that names a run must not
    name one a `kill -9` right after it could lose."""
    flushed = history.flush()
    if not flushed.done():  # already durable: no hop through the loop's self-pipe
        await asyncio.wrap_future(flushed)


def json_response(data: Any, status: int = 200, headers: Optional[Mapping[str, str]] = None) -> web.Response:
    body = data.model_dump_json().encode() if isinstance(data, BaseModel) else orjson.dumps(data)
    return web.Response(body=body, status=status, content_type="application/json", headers=headers)


async def read_json(request: web.Request) -> Any:
    raw = await request.read()  # past client_max_size: 413, worded by the error middleware
    if not raw:
        raise invalid_request("Request body must be valid JSON: the body is empty")
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise invalid_request(f"Request body must be valid JSON: {exc}") from None


def describe_validation_error(error: ValidationError, what: str = "field") -> str:
    """One line per problem, each naming the field: `timeout: Input should be greater than 0 (got -1)`."""
    lines = []
    for item in error.errors(include_url=False):
        where = ".".join(str(part) for part in item["loc"]) or "body"
        message = item["msg"]
        if item["type"] == "extra_forbidden":
            message = f"unknown {what}; remove it or check its spelling"
        elif item["type"] != "missing" and "input" in item:
            message += f" (got {_short(item['input'])})"
        lines.append(f"{where}: {message}")
    return "; ".join(lines)


def _short(value: Any) -> str:
    text = orjson.dumps(value).decode() if not isinstance(value, bytes) else repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def validate(model: Type[M], data: Any) -> M:
    """Validate a decoded body. A missing required field gets MISSING_FIELD; anything else INVALID_REQUEST."""
    if not isinstance(data, dict):
        raise invalid_request(f"Request body must be a JSON object, got {type(data).__name__}")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        for item in exc.errors(include_url=False):
            if item["type"] == "missing" and len(item["loc"]) == 1:
                raise missing_field(str(item["loc"][0])) from None
        raise invalid_request(describe_validation_error(exc)) from None


async def parse_body(request: web.Request, model: Type[M]) -> M:
    return validate(model, await read_json(request))


def parse_query(request: web.Request, model: Type[M]) -> M:
    """The query string as a model: a parameter missing, given twice, empty or out of range is a 400."""
    values: Dict[str, str] = {}
    for name in set(request.query):
        given = request.query.getall(name)
        if len(given) > 1:
            raise invalid_request(f"query parameter {name} is given {len(given)} times; give it once")
        values[name] = given[0]
    try:
        return model.model_validate(values)
    except ValidationError as exc:
        for item in exc.errors(include_url=False):
            if item["type"] == "missing" and len(item["loc"]) == 1:
                raise missing_parameter(str(item["loc"][0])) from None
        raise invalid_request(describe_validation_error(exc, "query parameter")) from None


def parse_path(request: web.Request, model: Type[M]) -> M:
    """The path's {names} as a model, e.g. an id that must match a pattern."""
    try:
        return model.model_validate(dict(request.match_info))
    except ValidationError as exc:  # routing has matched every name: only a value can be wrong
        raise invalid_request(describe_validation_error(exc, "path parameter")) from None
