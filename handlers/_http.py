"""Small request helpers shared by both APIs: the runtime, the caller, URLs."""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from functools import lru_cache
from typing import Any

from connexion import context
from sqlalchemy.ext.asyncio import AsyncConnection
from starlette.datastructures import URL
from starlette.requests import Request
from starlette.types import Scope

from genie.runtime import Runtime, from_scope
from handlers._errors import json_response
from models.users import Caller

__all__ = [
    "api_url",
    "caller",
    "json_response",
    "optional_caller",
    "reading",
    "request",
    "runtime",
]


def _scope() -> Scope:
    """The current request's scope itself. Connexion's ``context.scope`` is a
    werkzeug proxy: a ``Request`` built on it paid a proxy look-up on every access
    to the scope (about 20 a request, bench/README.md)."""
    scope: Scope = context.scope._get_current_object()
    return scope


def request() -> Request:
    """The current request, as Starlette sees it (streaming, headers, URL)."""
    return Request(_scope(), context.receive._get_current_object())


def runtime() -> Runtime:
    return from_scope(_scope())


def reading() -> AbstractAsyncContextManager[AsyncConnection]:
    """An autocommit connection for the handler's reads; the first one reuses the
    connection the request's authentication used (:meth:`Runtime.read`)."""
    scope = _scope()
    return from_scope(scope).read(scope)


def caller(token_info: dict[str, Any]) -> Caller:
    user: Caller = token_info["user"]
    return user


def optional_caller(token_info: dict[str, Any] | None) -> Caller | None:
    """The caller on an operation that also admits anonymous callers (None then)."""
    user: Caller | None = (token_info or {}).get("user")
    return user


#: The request's base URL, worked out once (a list's ``Link`` needs it three times).
_BASE_KEY = "genie.base_url"


def base_url(req: Request) -> str:
    """``https://host`` from the setting, else from the request."""
    scope = req.scope
    found: str | None = scope.get(_BASE_KEY)
    if found is None:
        configured = from_scope(scope).settings.base_url
        server = scope.get("server")
        found = configured or _origin(
            scope.get("scheme", "http"), _host(scope), tuple(server) if server else None
        )
        scope[_BASE_KEY] = found
    return found


def _host(scope: Scope) -> bytes | None:
    for name, value in scope["headers"]:
        if name == b"host":
            return bytes(value)
    return None


@lru_cache(maxsize=64)
def _origin(scheme: str, host: bytes | None, server: tuple[str, int] | None) -> str:
    """``scheme://netloc`` exactly as Starlette's ``Request.url`` works it out from the
    Host header (checked) or the server's address; a server sees few of them, and
    building the whole URL cost more than the page's links."""
    headers = [] if host is None else [(b"host", host)]
    url = URL(scope={"scheme": scheme, "server": server, "path": "/", "headers": headers})
    return f"{url.scheme}://{url.netloc}"


def request_path(req: Request) -> str:
    """The request's path as Starlette's ``Request.url.path`` has it (escaped
    ``?``, ``#`` and ``\\``), without building the whole URL."""
    path: str = req.scope["path"]
    return path.replace("?", "%3F").replace("#", "%23").replace("\\", "%5C")


def api_root(req: Request) -> str:
    """Absolute URL of the API the request is for, e.g. ``https://host/djinn``."""
    routing = req.scope.get("extensions", {}).get("connexion_routing", {})
    return base_url(req) + str(routing.get("api_base_path", ""))


def api_url(req: Request, path: str) -> str:
    return api_root(req) + path
