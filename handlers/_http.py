"""Small request helpers shared by both APIs: the runtime, the caller, URLs."""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from typing import Any

from connexion import context
from sqlalchemy.ext.asyncio import AsyncConnection
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
        if configured:
            found = configured
        else:
            url = req.url
            found = f"{url.scheme}://{url.netloc}"
        scope[_BASE_KEY] = found
    return found


def api_root(req: Request) -> str:
    """Absolute URL of the API the request is for, e.g. ``https://host/djinn``."""
    routing = req.scope.get("extensions", {}).get("connexion_routing", {})
    return base_url(req) + str(routing.get("api_base_path", ""))


def api_url(req: Request, path: str) -> str:
    return api_root(req) + path
