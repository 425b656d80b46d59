"""``/login/oauth/authorize``: the consent page and the consent itself.

The request is checked by :mod:`genie.oauth.flow` on both methods: the form
carries it again, so nothing is trusted from the page that was shown.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response

from genie import scopes
from genie.oauth import flow, grants
from handlers._http import reading, request, runtime
from handlers.oauth import _web
from handlers.oauth.signin import signin_url
from models import oauth

#: The request's own fields, carried through the consent form.
FIELDS = (
    "response_type",
    "client_id",
    "redirect_uri",
    "scope",
    "state",
    "code_challenge",
    "code_challenge_method",
)


async def _check(req: Request, params: dict[str, Any]) -> flow.AuthRequest:
    """The checked request; :class:`flow.PageError` or :class:`flow.RedirectError`."""
    async with reading() as conn:
        found = await oauth.find_app(conn, _web.text(params, "client_id"))
    app, redirect_uri = flow.check_app(found, _web.text(params, "redirect_uri"), _web.origin(req))
    return flow.check_request(app, redirect_uri, params)


async def _checked(req: Request, params: dict[str, Any]) -> flow.AuthRequest | Response:
    try:
        return await _check(req, params)
    except flow.PageError as exc:
        return _web.error_page(400, "Cannot authorize", str(exc))
    except flow.RedirectError as exc:
        return _web.redirect(exc.location)


async def show(**params: Any) -> Response:
    req = request()
    checked = await _checked(req, params)
    if isinstance(checked, Response):
        return checked
    user = await _web.signed_in(req)
    if user is None:
        return _web.redirect(signin_url(f"{req.url.path}?{req.url.query}"))
    csrf = _web.Csrf(req)
    hidden = [(name, params[name]) for name in FIELDS if params.get(name)]
    response = _web.page(
        "consent.html",
        action="/login/oauth/authorize",
        app_name=checked.app.name,
        username=user[1],
        csrf_token=csrf.token,
        hidden=hidden,
        scopes=[(s, flow.in_words(s)) for s in flow.ordered(checked.scopes)],
    )
    return csrf.keep(response)


async def store(body: dict[str, Any]) -> Response:
    req = request()
    if not _web.csrf_ok(req, body.get("csrf_token")):
        return _web.csrf_failed()
    checked = await _checked(req, body)
    if isinstance(checked, Response):
        return checked
    user = await _web.signed_in(req)
    if user is None:
        query = urlencode({k: body[k] for k in FIELDS if _web.text(body, k)})
        return _web.redirect(signin_url(f"{req.url.path}?{query}"))
    if body.get("decision") != "allow":
        denied = {"error": "access_denied", "state": checked.state}
        return _web.redirect(flow.with_query(checked.redirect_uri, denied))
    code = grants.new_code()
    values = {
        "app_id": checked.app.id,
        "user_id": user[0],
        "scope": scopes.format_scopes(flow.granted(checked, body.get("granted"))),
        "redirect_uri": checked.redirect_uri,
        "code_challenge": checked.code_challenge,
    }
    async with runtime().transaction() as conn:
        await oauth.insert_code(conn, code, values)
    return _web.redirect(
        flow.with_query(checked.redirect_uri, {"code": code, "state": checked.state})
    )
