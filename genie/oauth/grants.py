"""The token endpoint's work: client authentication and the code exchange
(RFC 6749 §2.3.1, §4.1.3 and §5.2; RFC 7636 §4.6), and RFC 7009 revocation.

Errors are :class:`OAuthError` with the RFC's code: ``invalid_client`` (401),
``invalid_grant``, ``invalid_request``, ``unsupported_grant_type`` (400).
"""

from __future__ import annotations

import base64
import binascii
import hmac
import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from authlib.oauth2.rfc7636.challenge import CODE_VERIFIER_PATTERN, create_s256_code_challenge
from sqlalchemy.ext.asyncio import AsyncConnection

from genie import scopes
from genie.crypto import Crypto
from genie.oauth import credentials, flow
from models import oauth
from models.base import utcnow
from models.users import new_token


class OAuthError(Exception):
    def __init__(self, error: str, description: str, status: int = 400) -> None:
        super().__init__(description)
        self.error = error
        self.description = description
        self.status = status

    def body(self) -> dict[str, str]:
        return {
            "error": self.error,
            "error_description": self.description,
            "message": self.description,
        }


def invalid_client() -> OAuthError:
    return OAuthError("invalid_client", "Client authentication failed.", 401)


@dataclass(frozen=True)
class Issued:
    access_token: str
    scope: str


def _basic(header: str | None) -> tuple[str, str] | None:
    """``(client_id, secret)`` from HTTP Basic (form-encoded, RFC 6749 §2.3.1)."""
    kind, _, encoded = (header or "").partition(" ")
    if kind.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, ValueError):
        raise invalid_client() from None
    client_id, colon, secret = decoded.partition(":")
    if not colon:
        raise invalid_client()
    return unquote(client_id), unquote(secret)


def client_credentials(form: dict[str, Any], header: str | None) -> tuple[str, str | None]:
    """The client id and secret sent (Basic wins over the form, as in Djinn)."""
    basic = _basic(header)
    if basic is not None:
        return basic
    client_id = form.get("client_id")
    if not isinstance(client_id, str) or not client_id:
        raise invalid_client()
    secret = form.get("client_secret") or form.get("secret")
    return client_id, secret if isinstance(secret, str) else None


async def authenticate(
    conn: AsyncConnection, crypto: Crypto, form: dict[str, Any], header: str | None
) -> oauth.App:
    client_id, secret = client_credentials(form, header)
    app = await oauth.find_app(conn, client_id)
    if app is None:
        raise invalid_client()
    if app.secret_hash is None:
        if secret:  # a public client has no secret to send
            raise invalid_client()
        return app
    if not secret or not credentials.client_secret_matches(crypto, secret, app.secret_hash):
        raise invalid_client()
    return app


def _text(form: dict[str, Any], name: str) -> str | None:
    value = form.get(name)
    return value if isinstance(value, str) and value else None


def _verify(code: oauth.Code, app: oauth.App, form: dict[str, Any], origin: str) -> None:
    """Why ``code`` may not be exchanged by ``app`` with this form, if it may not."""
    bad = OAuthError("invalid_grant", "The code is unknown, used or expired.")
    if code.app_id != app.id or code.used_at is not None or code.expires_at <= utcnow():
        raise bad
    sent = _text(form, "redirect_uri")
    if sent is not None and sent != flow.registered_redirect(app, origin):
        raise OAuthError("invalid_grant", "redirect_uri does not match the authorization's.")
    verifier = _text(form, "code_verifier")
    if code.code_challenge is None:
        if verifier is not None:
            raise OAuthError("invalid_grant", "No code_challenge was sent for this code.")
        return
    if verifier is None:
        raise OAuthError("invalid_request", "code_verifier is required for this code.")
    if not CODE_VERIFIER_PATTERN.match(verifier) or not hmac.compare_digest(
        create_s256_code_challenge(verifier), code.code_challenge
    ):
        raise OAuthError("invalid_grant", "code_verifier does not match the code_challenge.")


def check_form(form: dict[str, Any]) -> str:
    """The code, once the grant type and code are there."""
    grant_type = _text(form, "grant_type") or "authorization_code"
    if grant_type != "authorization_code":
        raise OAuthError("unsupported_grant_type", f"grant_type {grant_type} is not supported.")
    code = _text(form, "code")
    if code is None:
        raise OAuthError("invalid_request", "code is required.")
    return code


async def exchange(
    conn: AsyncConnection, app: oauth.App, code_text: str, form: dict[str, Any], origin: str
) -> Issued | OAuthError:
    """Exchange a code, in the caller's transaction. A failure is returned, not
    raised, so that what it did (a used code's tokens revoked, the code spent)
    is committed with it."""
    code = await oauth.take_code(conn, code_text)
    if code is None:
        return OAuthError("invalid_grant", "The code is unknown, used or expired.")
    if code.used_at is not None and code.app_id == app.id:
        await oauth.revoke_code_tokens(conn, code.id)
    try:
        _verify(code, app, form, origin)
    except OAuthError as exc:
        if code.used_at is None and code.app_id == app.id:
            await oauth.mark_used(conn, code.id)
        return exc
    await oauth.mark_used(conn, code.id)
    token = new_token()
    await oauth.insert_token(conn, token, code, app)
    return Issued(token, " ".join(flow.ordered(scopes.parse(code.scope))))


def new_code() -> str:
    return secrets.token_hex(16)
