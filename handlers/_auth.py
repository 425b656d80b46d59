"""Authentication and scope checks, referenced from the specs' security schemes.

Djinn: an ``oauth2`` scheme whose ``x-tokenInfoFunc`` looks the bearer token up
(only its SHA-256 is stored) and whose ``x-scopeValidateFunc`` refuses a token
that lacks a scope with a 403 naming the scope. An unknown token gives 401.

DjaoDjin: an ``http`` ``basic`` scheme whose ``x-basicInfoFunc`` checks an API key
sent as the username (the password is ignored). :class:`ApiKeyBasicHandler`
parses the header as DRF's ``BasicAuthentication`` does and answers its 401s; a
scheme other than Basic counts as no credentials. The key's secret half is
compared, in constant time, with the HMAC stored for it. The caller's role on the
path's ``{organization}`` is then checked (``handlers.djaodjin._access``), in the
same connection.
"""

from __future__ import annotations

import base64
import binascii
from functools import lru_cache
from typing import Any

from connexion.security import NO_VALUE, BasicSecurityHandler, OAuthSecurityHandler

from genie.runtime import from_scope
from genie.scopes import parse
from handlers._errors import Forbidden, Unauthorized
from handlers.djaodjin import _access as access
from models.api_keys import KEY_LENGTH, KEY_PURPOSE, PUBLIC_LENGTH, ApiUser, find_key
from models.base import utcnow
from models.users import find_caller

#: Longer "tokens" are refused without a database round-trip.
MAX_TOKEN_LENGTH = 256


async def djinn_token_info(token: str, request: Any) -> dict[str, Any] | None:
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    async with from_scope(request.scope).reader.connect() as conn:
        caller = await find_caller(conn, token)
    if caller is None:
        return None
    return {"sub": caller.id, "scope": parse(caller.scope), "user": caller}


def djinn_validate_scopes(required_scopes: list[str], token_scopes: frozenset[str]) -> bool:
    missing = [s for s in required_scopes if s not in token_scopes]
    if missing:
        plural = "scopes" if len(missing) > 1 else "scope"
        raise Forbidden(f"Forbidden: the token lacks the {plural} {', '.join(missing)}")
    return True


class OAuthHandler(OAuthSecurityHandler):
    """Connexion's OAuth handler, minus a per-request ``inspect.signature``.

    Connexion checks on every request whether the token-info function accepts
    ``request`` and ``required_scopes``; the answer never changes.
    """

    @staticmethod
    @lru_cache(maxsize=64)
    def _accepts_kwarg(func: Any, keyword: str) -> bool:
        return OAuthSecurityHandler._accepts_kwarg(func, keyword)


INVALID_KEY = "Invalid token"


async def djaodjin_key_info(username: str, _password: str, request: Any) -> dict[str, Any]:
    """The user behind an API key; 401 for any key that is not valid now."""
    rt = from_scope(request.scope)
    if rt.settings.require_https and request.scope.get("scheme") != "https":
        raise Forbidden("HTTPS is required.")
    if len(username) != KEY_LENGTH:
        raise Unauthorized(INVALID_KEY)
    public_id, secret = username[:PUBLIC_LENGTH], username[PUBLIC_LENGTH:]
    async with rt.reader.connect() as conn:
        owner = await find_key(conn, public_id)
        if owner is None or not rt.crypto.mac_matches(
            secret, owner.secret_mac, purpose=KEY_PURPOSE
        ):
            raise Unauthorized(INVALID_KEY)
        if owner.ends_at <= utcnow():
            raise Unauthorized(INVALID_KEY)
        if not owner.active:
            raise Unauthorized("User inactive or deleted.")
        user = ApiUser(owner.user_id, owner.username, owner.email)
        organization = await access.authorize(conn, rt, user, request.scope, request.method)
    return {"sub": user.id, "user": user, "organization": organization}


class ApiKeyBasicHandler(BasicSecurityHandler):
    """HTTP Basic, parsed as DRF does, with DRF's messages for a malformed header."""

    def _get_verify_func(self, basic_info_func: Any) -> Any:
        check = self.check_basic_auth(basic_info_func)

        def wrapper(request: Any) -> Any:
            parts = (request.headers.get("Authorization") or "").split()
            if not parts or parts[0].lower() != "basic":
                return NO_VALUE
            if len(parts) == 1:
                raise Unauthorized("Invalid basic header. No credentials provided.")
            if len(parts) > 2:
                raise Unauthorized(
                    "Invalid basic header. Credentials string should not contain spaces."
                )
            username, password = _basic_credentials(parts[1])
            return check(request, username, password)

        return wrapper

    @staticmethod
    @lru_cache(maxsize=64)
    def _accepts_kwarg(func: Any, keyword: str) -> bool:
        return BasicSecurityHandler._accepts_kwarg(func, keyword)


def _basic_credentials(encoded: str) -> tuple[str, str]:
    try:
        raw = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raw = None
    if raw is not None:
        try:
            decoded = raw.decode("utf-8")
        except UnicodeDecodeError:
            decoded = raw.decode("latin-1")
        username, colon, password = decoded.partition(":")
        if colon:
            return username, password
    raise Unauthorized("Invalid basic header. Credentials not correctly base64 encoded.")


SECURITY_MAP = {"oauth2": OAuthHandler, "basic": ApiKeyBasicHandler}
