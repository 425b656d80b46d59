"""``/login/oauth/token`` and ``/logout/oauth/revoke``."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from starlette.responses import Response

from genie.oauth import grants
from handlers._errors import NotFound, json_response
from handlers._http import request, runtime
from handlers.oauth import _web
from models import oauth

_NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}
FORM = "application/x-www-form-urlencoded"


def _error(exc: grants.OAuthError) -> Response:
    headers = dict(_NO_STORE)
    if exc.status == 401:
        headers["WWW-Authenticate"] = 'Basic realm="genie"'
    return json_response(exc.body(), exc.status, headers=headers)


def _wants_form(accept: str) -> bool:
    """Djinn's form-encoded answer, for clients that ask for it and not for JSON."""
    kinds = {part.split(";")[0].strip().lower() for part in accept.split(",")}
    return "application/json" not in kinds and bool(kinds & {FORM, "text/plain"})


def _issued(issued: grants.Issued, accept: str) -> Response:
    fields = {"access_token": issued.access_token, "token_type": "bearer", "scope": issued.scope}
    if _wants_form(accept):
        return Response(urlencode(fields), 200, headers=_NO_STORE, media_type=FORM)
    return json_response(fields, 200, headers=_NO_STORE)


async def store(body: dict[str, Any] | None = None) -> Response:
    req, rt = request(), runtime()
    form = body or {}
    try:
        code = grants.check_form(form)
        async with rt.transaction() as conn:
            app = await grants.authenticate(conn, rt.crypto, form, req.headers.get("Authorization"))
            outcome = await grants.exchange(conn, app, code, form, _web.origin(req))
    except grants.OAuthError as exc:
        return _error(exc)
    if isinstance(outcome, grants.OAuthError):
        return _error(outcome)
    return _issued(outcome, req.headers.get("Accept", ""))


async def revoke(body: dict[str, Any] | None = None) -> Response:
    req, rt = request(), runtime()
    header = req.headers.get("Authorization")
    if body:
        token = _web.text(body, "token")
        try:
            async with rt.transaction() as conn:
                app = await grants.authenticate(conn, rt.crypto, body, header)
                if not token:
                    raise grants.OAuthError("invalid_request", "token is required.")
                await oauth.delete_token(conn, token, app.id)
        except grants.OAuthError as exc:
            return _error(exc)
        return json_response({}, 200, headers=_NO_STORE)
    kind, _, token = (header or "").partition(" ")
    if kind.lower() != "bearer" or not token.strip():
        raise NotFound()
    async with rt.transaction() as conn:
        if not await oauth.delete_token(conn, token.strip()):
            raise NotFound()
    return Response(status_code=204)
