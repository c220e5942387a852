"""The FastAPI application: routes, the one error shape, the body limit, the health check.

Every error is JSON ``{"errors": [{"message", "file", "where", "field"}, ...]}``: bad input
(an :class:`~costshare.errors.InputError` or a request that does not validate) is 422, a
body over the limit 413, an unknown route 404; anything else is 500 with one sentence
and a reference that the server's log carries beside the traceback (never sent).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
import threading
import uuid
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from costshare import __version__, jobs
from costshare.api import routes, store_routes
from costshare.api.identity import Identity
from costshare.errors import InputError, Problem
from costshare.jobs.base import MAX_FILE_BYTES
from costshare.jobs.output import to_jsonable

__all__ = ["HEALTH_TIMEOUT", "MAX_BODY_BYTES", "create_app", "problems_json"]

MAX_BODY_BYTES = MAX_FILE_BYTES * 4 // 3 + 1_000_000
"""Largest request body (bytes): the largest input file a job takes, base64-encoded, + 1 MB."""

HEALTH_TIMEOUT = 5.0
"""Seconds ``/healthz`` waits for the store before answering 503."""

log = logging.getLogger("costshare.api")

_FILE_SCHEMA = {
    "title": "FileInput",
    "type": "object",
    "description": "An input file (roster, register, ballots, candidates), base64-encoded. "
    "The record keeps only its sha256 and size.",
    "properties": {
        "name": {"type": "string", "maxLength": 255, "description": "e.g. roster.xlsx"},
        "content_b64": {"type": "string", "contentEncoding": "base64"},
    },
    "required": ["content_b64"],
    "additionalProperties": False,
}


_ERRORS_SCHEMA = {
    "title": "Errors",
    "type": "object",
    "description": "Every problem found, each with its place: file, row or rule, field.",
    "properties": {
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    k: {"anyOf": [{"type": "string"}, {"type": "null"}]}
                    for k in ("message", "file", "where", "field")
                },
                "required": ["message", "file", "where", "field"],
            },
        },
        "more": {"type": "integer", "description": "Problems found beyond those listed"},
    },
    "required": ["errors"],
}


def problems_json(problems: list[Problem], more: int = 0) -> dict[str, Any]:
    """The API's error body: every problem with its place (file, row or rule, field).

    >>> problems_json([Problem("not a number", file="roster.xlsx", where="row 3", field="area")])
    {'errors': [{'message': 'not a number', 'file': 'roster.xlsx', 'where': 'row 3', 'field': 'area'}]}
    """
    body: dict[str, Any] = {
        "errors": [
            {"message": p.message, "file": p.file, "where": p.where, "field": p.field}
            for p in problems
        ]
    }
    if more:
        body["more"] = more
    return body


def create_app(
    *,
    max_body_bytes: int = MAX_BODY_BYTES,
    health_timeout: float = HEALTH_TIMEOUT,
    access: Any = None,
    db: str | None = None,
) -> FastAPI:
    """The costshare HTTP API (serve it with ``costshare api`` or any ASGI server).

    `access` is the deployment's :class:`~costshare.store.access.Access` (default: the
    file at ``$COSTSHARE_ACCESS``; ``False``: single-user mode); its ``api:`` entry says
    how callers are identified (:mod:`costshare.api.identity`). `db` is the store's URL
    (default ``$COSTSHARE_DB``), opened on first use.

    Examples
    --------
    >>> from fastapi.testclient import TestClient
    >>> client = TestClient(create_app())
    >>> r = client.post("/v1/community", json={"scenario": "fujian_default"})
    >>> r.status_code, r.json()["record"]["results"]["gap_fen"]
    (200, 7600000)
    """
    app = FastAPI(
        title="costshare",
        version=__version__,
        description="Who pays what in old-community renovation (城镇老旧小区改造): one "
        "route per job, the same request and the same JSON as the CLI, every figure exact "
        "to the fen and traced to its policy source.",
    )
    from costshare.store import ConflictError, PermissionDeniedError, load_access

    acc = load_access() if access is None else (access or None)
    _add_store(app, acc, db)
    app.add_exception_handler(InputError, _input_error)  # type: ignore[arg-type]
    app.add_exception_handler(PermissionDeniedError, _status(403))  # type: ignore[arg-type]
    app.add_exception_handler(ConflictError, _status(409))  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, _invalid)  # type: ignore[arg-type]
    app.add_exception_handler(StarletteHTTPException, _http_error)  # type: ignore[arg-type]
    signed = [Depends(_authenticate)]
    app.include_router(routes.router, dependencies=signed)
    app.include_router(store_routes.router, dependencies=signed)
    _add_service_routes(app, health_timeout, signed)
    app.add_middleware(_Guard, max_body=max_body_bytes)

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = FastAPI.openapi(app)
            comps = schema.get("components", {}).get("schemas", {})
            for name in [n for n in comps if n.split("-")[0] == "FileInput"]:
                comps[name] = _FILE_SCHEMA  # the JSON form, not the in-memory fields
            if "HTTPValidationError" in comps:  # FastAPI's 422 shape is not ours
                comps["HTTPValidationError"] = _ERRORS_SCHEMA
                comps.pop("ValidationError", None)
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    return app


def _add_store(app: FastAPI, acc: Any, db: str | None) -> None:
    """The app's identity check and its one store (opened on first use, acting as no one)."""
    from costshare.store import Store

    lock, opened = threading.Lock(), []
    app.state.identity = Identity(acc)

    def open_store() -> Store:
        with lock:
            if not opened:
                opened.append(Store(db, access=acc or False, serve=True))
            return opened[0]

    def close() -> None:
        for store in opened:
            store.close()

    app.state.open_store = open_store
    app.router.on_shutdown.append(close)


def _authenticate(request: Request) -> None:
    """Who calls (401 when the deployment requires an identity and none is valid)."""
    request.state.user = request.app.state.identity.user(request)


def _add_service_routes(app: FastAPI, health_timeout: float, signed: list[Any]) -> None:
    @app.get("/healthz", tags=["service"])
    async def healthz() -> JSONResponse:
        """Ready to serve: the store opens and answers (within a few seconds)."""
        try:
            check = app.state.open_store
            await asyncio.wait_for(asyncio.to_thread(_check_store, check), health_timeout)
        except TimeoutError:
            problem = f"the store did not answer within {health_timeout:g} s"
        except Exception as exc:  # the message may carry the (redacted) URL: not sent
            log.warning("healthz: the store cannot be opened: %s", type(exc).__name__)
            problem = f"the store cannot be opened ({type(exc).__name__})"
        else:
            return JSONResponse({"status": "ok", "store": "ok", "jobs": sorted(jobs.JOBS)})
        return JSONResponse({"status": "unavailable", "store": problem}, status_code=503)

    @app.get("/v1/rules", tags=["rules"], dependencies=signed)
    def jurisdictions() -> list[str]:
        """Keys of the bundled jurisdictions (rule tables)."""
        from costshare import rules

        return rules.available()

    @app.get("/v1/rules/{jurisdiction}", tags=["rules"], dependencies=signed)
    def rules_of(
        jurisdiction: str,
        on: Annotated[
            dt.date | None, Query(description="The rules in force on this day (default today)")
        ] = None,
    ) -> JSONResponse:
        """Every rule of a jurisdiction in force on `on`: value, document, article, date."""
        from costshare import rules
        from costshare.jobs.lookup import rule_table

        if jurisdiction not in rules.available():
            msg = f"unknown jurisdiction {jurisdiction!r}; available: {rules.available()}"
            raise InputError(Problem(msg, field="jurisdiction"))
        rs = rule_table(jurisdiction, on)
        data = {"jurisdiction": rs.key, "name": rs.name, "code": rs.code, "on": rs.on}
        data |= {"chain": list(rs.chain), "rules": rs.provenance()}
        return JSONResponse(to_jsonable(data))


def _check_store(open_store: Any) -> None:
    from sqlalchemy import text

    # reachability and schema only, as no one in particular: a health probe has no login
    store = open_store()
    with store.errors(), store.engine.connect() as conn:
        conn.execute(text("SELECT 1"))


async def _input_error(request: Request, exc: InputError) -> JSONResponse:
    return JSONResponse(problems_json(exc.problems, exc.more), status_code=422)


def _status(code: int) -> Any:
    async def handler(request: Request, exc: InputError) -> JSONResponse:
        return JSONResponse(problems_json(exc.problems, exc.more), status_code=code)

    return handler


async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
    """A request that does not validate, in the library's words where it is a job's body."""
    name = routes.job_of_path(request.url.path)
    body = getattr(exc, "body", None)
    if name is not None and isinstance(body, dict):
        try:
            jobs.parse(name, body)
        except InputError as again:
            return await _input_error(request, again)
    problems = []
    for err in exc.errors():
        loc = [str(p) for p in err.get("loc", ())]
        if err.get("type") == "json_invalid":
            at = f" (at character {loc[-1]})" if len(loc) > 1 else ""
            problems.append(Problem(f"the body is not valid JSON{at}", file="request"))
            continue
        if loc == ["body"] and err.get("type") in ("model_attributes_type", "dict_type"):
            msg = "the body must be a JSON object"
        else:
            msg = str(err.get("msg", "invalid")).removeprefix("Value error, ")
        where = ".".join(loc[:-1]) or None
        problems.append(Problem(msg, file="request", where=where, field=loc[-1] if loc else None))
    return JSONResponse(problems_json(problems), status_code=422)


async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    problem = Problem(str(exc.detail), where=request.url.path)
    return JSONResponse(problems_json([problem]), status_code=exc.status_code, headers=exc.headers)


class _Guard:
    """ASGI middleware: bound the request body (413) and end unknown failures in a 500.

    The body is read here, up to `max_body` bytes whatever ``Content-Length`` says (a
    chunked upload is counted as it streams), then handed on. An exception no handler
    took is logged with a reference, and the client gets one sentence with that reference.
    """

    def __init__(self, app: Any, max_body: int) -> None:
        self.app, self.max_body = app, max_body

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.max_body:
            await self._too_large(send)
            return
        chunks, size, more = [], 0, True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body:
                await self._too_large(send)
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        body, given, started = b"".join(chunks), False, False

        async def replay() -> dict[str, Any]:
            nonlocal given
            if not given:
                given = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()  # after the body: wait for the disconnect

        async def watch(message: dict[str, Any]) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, replay, watch)
        except Exception:
            ref = uuid.uuid4().hex[:12]
            log.exception(
                "request %s %s failed (reference %s)", scope["method"], scope["path"], ref
            )
            if not started:
                msg = f"The server failed to answer this request (reference {ref})."
                await _send_json(send, 500, problems_json([Problem(msg)]) | {"reference": ref})

    async def _too_large(self, send: Any) -> None:
        msg = f"the request body is larger than {self.max_body:,} bytes"
        await _send_json(send, 413, problems_json([Problem(msg, file="request")]), close=True)


async def _send_json(send: Any, status: int, data: dict[str, Any], close: bool = False) -> None:
    body = json.dumps(data, ensure_ascii=False).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    if close:
        headers.append((b"connection", b"close"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
