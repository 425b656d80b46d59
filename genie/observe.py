"""What every request leaves behind: its request id, an access line, its metrics.

:class:`Observe` is the outermost layer of the app (:class:`genie.app.GenieApp`),
so it sees every response: errors, routing 404s, redirects and 500s included.

* **Request id.** ``X-Request-ID`` from the client when it is a plausible token
  (:data:`REQUEST_ID_PATTERN`: 1-128 letters, digits and ``-_.:/+=@``), else a
  new random one. It is set in :data:`genie.logs.REQUEST_ID` for every log line
  of the request, and sent back as ``X-Request-ID`` on every response.
* **Access line** (logger ``genie.access``, level INFO): method, path, the query
  with its values dropped except a few harmless ones (:func:`redact_query`: a
  query may carry secrets), status, duration_ms, bytes (of the response body),
  request_id, operation_id (when the request matched an operation: ``djinn.``,
  ``djaodjin.`` or ``service.`` and the spec's operationId) and client.
* **Metrics**: one count and one latency observation per request, by
  operationId and status (:meth:`genie.metrics.Metrics.request`).
"""

from __future__ import annotations

import logging
import os
import re
import time
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from genie.logs import REQUEST_ID
from genie.metrics import Metrics

access_log = logging.getLogger("genie.access")

HEADER = b"x-request-id"
#: Connexion names an operation by its resolved function: ``handlers.djinn.objects.index``.
HANDLERS = "handlers."
REQUEST_ID_PATTERN = re.compile(rb"[A-Za-z0-9\-_.:/+=@]{1,128}")
#: Query parameters whose values the access line keeps (paging: never secret).
SAFE_QUERY_VALUES = frozenset({b"page", b"page_size", b"limit"})
_SAFE_VALUE = re.compile(rb"[0-9A-Za-z_\-]{0,20}")
#: Longest path and query kept in an access line.
MAX_LOGGED = 1024


def request_id(headers: list[tuple[bytes, bytes]]) -> str:
    """The client's ``X-Request-ID`` when it is a plausible token, else a new one."""
    for name, value in headers:
        if name == HEADER:
            if REQUEST_ID_PATTERN.fullmatch(value):
                return value.decode("ascii")
            break
    return os.urandom(16).hex()


def redact_query(query: bytes) -> str:
    """``page=2&token=s3cr3t&search=x`` → ``page=2&token&search``: parameter names,
    and only the values of :data:`SAFE_QUERY_VALUES` (short, plain ones)."""
    kept = []
    for part in query.split(b"&"):
        name, equals, value = part.partition(b"=")
        if not name:
            continue
        if equals and name in SAFE_QUERY_VALUES and _SAFE_VALUE.fullmatch(value):
            kept.append(part)
        else:
            kept.append(name)
    return b"&".join(kept)[:MAX_LOGGED].decode("ascii", "backslashreplace")


def operation_id(scope: Scope) -> str | None:
    """The operation the request was routed to, if it matched one: its API's
    handler package and the spec's operationId, as ``djinn.objects.index``,
    ``djaodjin.containers.show`` or ``service.health.ready``."""
    routing = scope["extensions"].get("connexion_routing") or {}
    found: str | None = routing.get("operation_id")
    return found.removeprefix(HANDLERS) if found else None


def _path(scope: Scope) -> str:
    raw: bytes = scope.get("raw_path") or scope["path"].encode("utf-8")
    return raw.partition(b"?")[0][:MAX_LOGGED].decode("ascii", "backslashreplace")


def log_access(scope: Scope, status: int, size: int, seconds: float, operation: str | None) -> None:
    """The request's access line, at INFO on ``genie.access``."""
    path = _path(scope)
    fields: dict[str, Any] = {
        "method": scope["method"],
        "path": path,
        "status": status,
        "duration_ms": round(seconds * 1000, 3),
        "bytes": size,
    }
    query = redact_query(scope["query_string"]) if scope.get("query_string") else ""
    if query:
        fields["query"] = query
    if operation:
        fields["operation_id"] = operation
    client = scope.get("client")
    if client:
        fields["client"] = client[0]
    target = f"{path}?{query}" if query else path
    access_log.info("%s %s %d", scope["method"], target, status, extra=fields)


class _Response:
    """What the app sent: the status, and the body's size."""

    __slots__ = ("size", "status")

    def __init__(self) -> None:
        self.status = 0
        self.size = 0


class Observe:
    """ASGI middleware: request id, access line and metrics for every HTTP request."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rid = request_id(scope["headers"])
        token = REQUEST_ID.set(rid)
        # Connexion's routing records the operation in this dict, shared by the
        # copies of the scope it passes on.
        if scope.get("extensions") is None:
            scope["extensions"] = {}
        response = _Response()
        header = (HEADER, rid.encode("ascii"))

        async def observed_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                response.status = message["status"]
                headers = [h for h in message.get("headers", ()) if h[0].lower() != HEADER]
                headers.append(header)
                message = {**message, "headers": headers}
            elif message["type"] == "http.response.body":
                response.size += len(message.get("body", b""))
            await send(message)

        started = time.perf_counter()
        try:
            await self.app(scope, receive, observed_send)
        finally:
            self._record(scope, response, time.perf_counter() - started)
            REQUEST_ID.reset(token)

    def _record(self, scope: Scope, response: _Response, seconds: float) -> None:
        operation = operation_id(scope)
        # A request that raised, or was cancelled (a node stopping past its
        # grace), before its response started gets uvicorn's plain 500.
        status = response.status or 500
        self.metrics.request(operation, status, seconds)
        if access_log.isEnabledFor(logging.INFO):
            log_access(scope, status, response.size, seconds, operation)
