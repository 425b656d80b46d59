"""Checking an authorization request (RFC 6749 §4.1.1, RFC 7636 §4.3).

Two kinds of failure, as RFC 6749 §4.1.2.1 orders them:

* :class:`PageError`: the app is unknown or the ``redirect_uri`` is not exactly
  the registered one. Nothing may be redirected; the error is shown on the page.
* :class:`RedirectError`: anything else wrong with the request, sent back to the
  (now trusted) redirect URI as ``error=…&state=…``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from authlib.oauth2.rfc7636.challenge import CODE_CHALLENGE_PATTERN

from genie import scopes
from models.oauth import App

S256 = "S256"


class PageError(Exception):
    """Shown to the user, never redirected (400)."""


class RedirectError(Exception):
    def __init__(self, redirect_uri: str, error: str, description: str, state: str | None):
        super().__init__(description)
        self.location = with_query(
            redirect_uri, {"error": error, "error_description": description, "state": state}
        )


@dataclass(frozen=True)
class AuthRequest:
    app: App
    redirect_uri: str
    scopes: frozenset[str]
    state: str | None
    code_challenge: str | None


def with_query(uri: str, params: dict[str, str | None]) -> str:
    """``uri`` with ``params`` (those not None) added to its query."""
    query = urlencode({k: v for k, v in params.items() if v is not None})
    return f"{uri}{'&' if '?' in uri else '?'}{query}"


def registered_redirect(app: App, origin: str) -> str:
    """The app's redirect URI; a path is on this server's own origin."""
    uri = app.redirect_uri
    return origin + uri if uri.startswith("/") else uri


def check_app(app: App | None, redirect_uri: str | None, origin: str) -> tuple[App, str]:
    """The app and the redirect URI to use, or :class:`PageError`."""
    if app is None:
        raise PageError("Unknown client_id: no app is registered with it.")
    registered = registered_redirect(app, origin)
    if redirect_uri and redirect_uri != registered:
        raise PageError("The redirect_uri does not match the one registered for this app.")
    return app, registered


def check_request(app: App, redirect_uri: str, params: dict[str, Any]) -> AuthRequest:
    """The rest of the request, for an app and redirect already checked."""
    state = params.get("state") or None

    def fail(error: str, description: str) -> RedirectError:
        return RedirectError(redirect_uri, error, description, state)

    if (params.get("response_type") or "code") != "code":
        raise fail("unsupported_response_type", "Only response_type=code is supported.")
    try:
        requested = scopes.parse(params.get("scope") or "")
    except scopes.ScopeError as exc:
        raise fail("invalid_scope", str(exc)) from None
    challenge = params.get("code_challenge") or None
    method = params.get("code_challenge_method") or (S256 if challenge else None)
    if challenge is None and app.public:
        raise fail("invalid_request", "Public clients must use PKCE (code_challenge, S256).")
    if challenge is not None and (method != S256 or not CODE_CHALLENGE_PATTERN.match(challenge)):
        raise fail("invalid_request", "code_challenge must be an S256 challenge.")
    return AuthRequest(app, redirect_uri, requested, state, challenge)


def granted(request: AuthRequest, kept: Any) -> frozenset[str]:
    """The requested scopes the user kept on the consent page (and only those)."""
    items = kept if isinstance(kept, list) else [kept] if isinstance(kept, str) else []
    return request.scopes & frozenset(items)


RESOURCE_WORDS = {
    "build": "builds",
    "invite": "invites",
    "image": "images",
    "namespace": "namespaces",
    "object": "objects",
    "variable": "variables",
    "key": "SSH keys",
    "cron": "cron jobs",
    "webhook": "webhooks",
}
PERMISSION_WORDS = {"read": "Read", "write": "Create and change", "delete": "Delete"}


def in_words(scope: str) -> str:
    """``build:write`` → ``Create and change builds``."""
    resource, _, permission = scope.partition(":")
    return f"{PERMISSION_WORDS[permission]} {RESOURCE_WORDS[resource]}"


def ordered(granted_scopes: frozenset[str]) -> list[str]:
    """Scopes in Djinn's order (resources as listed, then read, write, delete)."""
    return [
        f"{r}:{p}"
        for r in scopes.RESOURCES
        for p in scopes.PERMISSIONS
        if f"{r}:{p}" in granted_scopes
    ]
