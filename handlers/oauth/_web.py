"""Browser glue shared by the sign-in and consent pages: pages, redirects, the
session and CSRF cookies, the signed-in user."""

from __future__ import annotations

import secrets
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from genie.oauth import credentials, pages
from handlers._http import base_url, reading, runtime
from models import oauth

SESSION_COOKIE = "genie_session"
CSRF_COOKIE = "genie_csrf"
CSRF_FAILED = "The form has expired or did not come from this site. Go back and try again."
#: Pages are never cached, framed, or sent with a Referer (codes are in URLs).
_PAGE_HEADERS = {
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "frame-ancestors 'none'",
    "Referrer-Policy": "no-referrer",
}


def page(template: str, status: int = 200, **context: Any) -> HTMLResponse:
    return HTMLResponse(pages.render(template, **context), status, headers=_PAGE_HEADERS)


def error_page(status: int, title: str, message: str) -> HTMLResponse:
    return page("error.html", status, title=title, message=message)


def redirect(location: str) -> RedirectResponse:
    return RedirectResponse(location, 303, headers={"Cache-Control": "no-store"})


def origin(req: Request) -> str:
    return base_url(req)


def set_cookie(response: Response, req: Request, name: str, value: str, max_age: int) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path="/",
        httponly=True,
        samesite="lax",
        secure=req.url.scheme == "https",
    )


class Csrf:
    """The browser's CSRF cookie (made when it has none) and the form token for it."""

    def __init__(self, req: Request) -> None:
        crypto = runtime().crypto
        current = credentials.unsign(crypto, req.cookies.get(CSRF_COOKIE))
        self.fresh = current is None
        self.cookie = current or secrets.token_urlsafe(32)
        self.token = credentials.csrf_token(crypto, self.cookie)
        self._req = req

    def keep(self, response: Response) -> Response:
        if self.fresh:
            signed = credentials.sign(runtime().crypto, self.cookie)
            set_cookie(response, self._req, CSRF_COOKIE, signed, 60 * 60 * 24 * 14)
        return response


def csrf_ok(req: Request, token: Any) -> bool:
    crypto = runtime().crypto
    cookie = credentials.unsign(crypto, req.cookies.get(CSRF_COOKIE))
    return credentials.csrf_matches(crypto, cookie, token if isinstance(token, str) else None)


def csrf_failed() -> HTMLResponse:
    return error_page(403, "Forbidden", CSRF_FAILED)


async def signed_in(req: Request) -> tuple[int, str] | None:
    """``(id, username)`` of the user the session cookie names, if any."""
    session_id = credentials.unsign(runtime().crypto, req.cookies.get(SESSION_COOKIE))
    if session_id is None:
        return None
    async with reading() as conn:
        return await oauth.session_user(conn, session_id)


async def start_session(req: Request, response: Response, user_id: int) -> None:
    rt = runtime()
    session_id = secrets.token_urlsafe(32)
    async with rt.transaction() as conn:
        await oauth.insert_session(conn, session_id, user_id)
    signed = credentials.sign(rt.crypto, session_id)
    lifetime = int(oauth.SESSION_LIFETIME.total_seconds())
    set_cookie(response, req, SESSION_COOKIE, signed, lifetime)


def client_address(req: Request) -> str:
    return req.client.host if req.client else "unknown"


def text(body: dict[str, Any] | None, name: str) -> str:
    value = (body or {}).get(name)
    return value if isinstance(value, str) else ""
