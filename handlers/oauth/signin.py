"""``/login``: the sign-in page and form.

Failed sign-ins are limited per account and per client address
(:mod:`genie.ratelimit`, checked before the password is looked at, counted after
a wrong one). An unknown user and a wrong password get the same text, and take
as long (a bcrypt check against a dummy hash).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import quote

from starlette.responses import Response

from genie.oauth import credentials
from genie.ratelimit import Limit, Limited
from handlers._http import reading, request, runtime
from handlers.oauth import _web
from models import oauth

ACCOUNT_LIMIT = Limit("signin-user", 5, timedelta(minutes=15))
ADDRESS_LIMIT = Limit("signin-addr", 20, timedelta(minutes=15))
WRONG = "Incorrect username or password."
TOO_MANY = "Too many failed sign-ins. Try again in {} seconds."


def default_next() -> str:
    return f"{runtime().settings.djinn_prefix}/ui/"


def safe_next(value: str | None) -> str:
    """A path on this server, never another site (``//host``, ``/\\host``)."""
    if not value or not value.startswith("/") or value.startswith(("//", "/\\")):
        return default_next()
    return value


def signin_url(next_path: str) -> str:
    return f"/login?next={quote(next_path, safe='')}"


def _form(status: int, next_path: str, username: str = "", error: str = "") -> Response:
    req = request()
    csrf = _web.Csrf(req)
    response = _web.page(
        "signin.html",
        status,
        action="/login",
        csrf_token=csrf.token,
        next=next_path,
        username=username,
        error=error,
    )
    return csrf.keep(response)


async def show(next: str | None = None) -> Response:
    return _form(200, safe_next(next))


def _too_many(exc: Limited) -> Response:
    response = _web.error_page(429, "Too many attempts", TOO_MANY.format(exc.retry_after))
    response.headers["Retry-After"] = str(exc.retry_after)
    return response


async def _verify(username: str, password: str) -> int | None:
    async with reading() as conn:
        found = await oauth.password_hash(conn, username)
    ok = await credentials.check_password(password, found[1] if found else None)
    return found[0] if ok and found else None


async def store(body: dict[str, Any]) -> Response:
    req = request()
    if not _web.csrf_ok(req, body.get("csrf_token")):
        return _web.csrf_failed()
    username, password = _web.text(body, "username"), _web.text(body, "password")
    next_path = safe_next(_web.text(body, "next"))
    limiter, address = runtime().limiter, _web.client_address(req)
    try:
        await limiter.check(ACCOUNT_LIMIT, username.lower())
        await limiter.check(ADDRESS_LIMIT, address)
        user_id = await _verify(username, password)
        if user_id is None:
            await limiter.failure(ACCOUNT_LIMIT, username.lower())
            await limiter.failure(ADDRESS_LIMIT, address)
            return _form(401, next_path, username, WRONG)
    except Limited as exc:
        return _too_many(exc)
    await limiter.clear(ACCOUNT_LIMIT, username.lower())
    response = _web.redirect(next_path)
    await _web.start_session(req, response, user_id)
    return response
