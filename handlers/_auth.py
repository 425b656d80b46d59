"""Authentication and scope checks, referenced from the specs' security schemes.

Djinn: an ``oauth2`` scheme whose ``x-tokenInfoFunc`` looks the bearer token up
(only its SHA-256 is stored) and whose ``x-scopeValidateFunc`` refuses a token
that lacks a scope with a 403 naming the scope. An unknown token gives 401.

Optional authentication (``security: [{djinn: []}, {}]``, the public reads of
namespaces): no ``Authorization`` header at all means an anonymous caller (the
handler's ``token_info`` is ``{}``); credentials that are sent must be valid, or
the answer is 401, never a silent downgrade to anonymous. Connexion itself would
fall through to the anonymous alternative on a bad token, so
:class:`StrictSecurityMiddleware` replaces its security middleware.

DjaoDjin: an ``http`` ``basic`` scheme whose ``x-basicInfoFunc`` checks an API key
sent as the username (the password is ignored). :class:`ApiKeyBasicHandler`
parses the header as DRF's ``BasicAuthentication`` does and answers its 401s; a
scheme other than Basic counts as no credentials. The key's secret half is
compared, in constant time, with the HMAC stored for it. The caller's role on the
path's ``{organization}`` is then checked (``handlers.djaodjin._access``), in the
same connection.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
from datetime import timedelta
from functools import lru_cache, partial
from typing import Any

from connexion.exceptions import OAuthProblem, OAuthResponseProblem
from connexion.middleware.security import SecurityAPI, SecurityMiddleware, SecurityOperation
from connexion.operations import AbstractOperation
from connexion.security import (
    NO_VALUE,
    BasicSecurityHandler,
    BearerSecurityHandler,
    OAuthSecurityHandler,
    SecurityHandlerFactory,
)

from genie.ratelimit import Limit, Limited
from genie.runtime import Runtime, from_scope
from genie.scopes import parse
from handlers._errors import Forbidden, TooManyRequests, Unauthorized, missing_scopes_message
from handlers.djaodjin import _access as access
from models.api_keys import KEY_LENGTH, KEY_PURPOSE, PUBLIC_LENGTH, ApiUser, find_key
from models.base import utcnow
from models.users import find_caller

#: Longer "tokens" are refused without a database round-trip.
MAX_TOKEN_LENGTH = 256


#: Failed authentications are counted per client address over this window.
AUTH_WINDOW = timedelta(minutes=1)


def _auth_limit(rt: Runtime) -> Limit | None:
    hits = rt.settings.auth_failures
    return Limit("auth-addr", hits, AUTH_WINDOW) if hits else None


def _client(scope: Any) -> str:
    client = scope.get("client")
    return str(client[0]) if client else "unknown"


def _refuse_blocked(rt: Runtime, scope: Any) -> None:
    """429 for an address past its failures, before any look-up (this node's memory)."""
    limit = _auth_limit(rt)
    if limit is not None:
        try:
            rt.limiter.blocked_here(limit, _client(scope))
        except Limited as exc:
            raise TooManyRequests(exc.retry_after) from None


async def _failed(rt: Runtime, scope: Any) -> None:
    """Count a bad credential from the client's address (in the database, so every
    node sees it); 429 instead of 401 once the address is past the limit."""
    limit = _auth_limit(rt)
    if limit is not None:
        try:
            await rt.limiter.failure(limit, _client(scope))
        except Limited as exc:
            raise TooManyRequests(exc.retry_after) from None


#: Where a request keeps its token's look-up: the ``djinn`` and ``bearer`` schemes
#: of one operation check the same token, which is looked up (and, when bad,
#: counted against the address) once.
_LOOKED_UP = "genie.token_info"


async def djinn_token_info(token: str, request: Any) -> dict[str, Any] | None:
    scope = request.scope  # read once: each read goes through Connexion's __getattr__
    seen = scope.get(_LOOKED_UP)
    if seen is not None and seen[0] == token:
        return seen[1]
    info = await _token_info(token, scope)
    scope[_LOOKED_UP] = (token, info)
    return info


async def _token_info(token: str, scope: Any) -> dict[str, Any] | None:
    rt = from_scope(scope)
    _refuse_blocked(rt, scope)
    caller = None
    if token and len(token) <= MAX_TOKEN_LENGTH:
        async with rt.auth_reader(scope) as conn:
            caller = await find_caller(conn, token)
    if caller is None:
        await _failed(rt, scope)
        return None
    return {"sub": caller.id, "scope": parse(caller.scope), "user": caller}


def djinn_validate_scopes(required_scopes: list[str], token_scopes: frozenset[str]) -> bool:
    missing = [s for s in required_scopes if s not in token_scopes]
    if missing:
        raise Forbidden(missing_scopes_message(missing))
    return True


class OAuthHandler(OAuthSecurityHandler):
    """Connexion's OAuth handler, minus a per-request ``inspect.signature``, and
    Djinn's own check in one coroutine.

    Connexion checks on every request whether the token-info function accepts
    ``request`` and ``required_scopes``; the answer never changes. For Djinn's
    functions its three nested wrappers come down to :meth:`_djinn_verify`, which
    raises the same problems in the same order.
    """

    @staticmethod
    @lru_cache(maxsize=64)
    def _accepts_kwarg(func: Any, keyword: str) -> bool:
        return OAuthSecurityHandler._accepts_kwarg(func, keyword)

    def _get_verify_func(
        self, token_info_func: Any, scope_validate_func: Any, required_scopes: list[str]
    ) -> Any:
        if token_info_func is djinn_token_info and scope_validate_func is djinn_validate_scopes:
            return partial(self._djinn_verify, required_scopes)
        return super()._get_verify_func(token_info_func, scope_validate_func, required_scopes)

    async def _djinn_verify(self, required_scopes: list[str], request: Any) -> Any:
        """A bearer token's caller, as Connexion's wrappers would find it: no bearer
        credentials is no value (another scheme may apply), an unknown token 401,
        a missing scope 403 (:func:`djinn_validate_scopes`)."""
        auth_type, token = self.get_auth_header_value(request)
        if auth_type != "bearer":
            return NO_VALUE
        token_info = await djinn_token_info(token, request)
        if token_info is None:
            raise OAuthResponseProblem(detail="Provided token is not valid")
        djinn_validate_scopes(required_scopes, token_info["scope"])
        return token_info


class StrictSecurityHandlerFactory(SecurityHandlerFactory):
    """Alternatives that check credentials run first; the anonymous one (``{}``)
    applies only when no credentials were sent at all."""

    @classmethod
    def verify_security(cls, auth_funcs: list[Any]) -> Any:
        anonymous = any(f is SecurityHandlerFactory.verify_none for f in auth_funcs)
        checks = [f for f in auth_funcs if f is not SecurityHandlerFactory.verify_none]

        async def verify_fn(request: Any) -> None:
            token_info: Any = NO_VALUE
            errors: list[Exception] = []
            for func in checks:
                try:
                    token_info = func(request)
                    while asyncio.iscoroutine(token_info):
                        token_info = await token_info
                except Exception as err:
                    errors.append(err)
                    token_info = NO_VALUE
                    continue
                if token_info is not NO_VALUE:
                    break
            if token_info is NO_VALUE:
                if errors:
                    cls._raise_most_specific(errors)
                if not anonymous or request.headers.get("Authorization"):
                    raise OAuthProblem(detail="No authorization token provided")
                token_info = {}
            request.context.update({"user": token_info.get("sub"), "token_info": token_info})

        return verify_fn


class BearerHandler(BearerSecurityHandler):
    """``http`` ``bearer`` schemes. Djinn's (``x-tokenInfoFunc``) check the token and
    its scopes exactly as the ``djinn`` oauth2 scheme does; others (the metrics
    token) are Connexion's plain bearer."""

    def get_fn(self, security_scheme: dict[str, Any], required_scopes: list[str]) -> Any:
        if "x-tokenInfoFunc" in security_scheme:
            return OAuthHandler().get_fn(security_scheme, required_scopes)
        return super().get_fn(security_scheme, required_scopes)


#: An http scheme (whose requirement lists no scopes in OpenAPI 3.0) -> the oauth2
#: scheme whose scopes, in the same operation, it must enforce.
SHARED_SCOPES = {"bearer": "djinn"}


def with_shared_scopes(security: list[dict[str, list[str]]]) -> list[dict[str, list[str]]]:
    """``[{djinn: [s]}, {bearer: []}]`` -> ``[{djinn: [s]}, {bearer: [s]}]``."""
    found = {name: req[name] for req in security for name in SHARED_SCOPES.values() if name in req}
    return [
        {
            name: scopes or found.get(SHARED_SCOPES.get(name, ""), scopes)
            for name, scopes in req.items()
        }
        for req in security
    ]


class StrictSecurityAPI(SecurityAPI):
    def __init__(self, *args: Any, security_map: dict[str, Any] | None = None, **kwargs: Any):
        # add_paths() runs inside SecurityAPI.__init__, and needs the factory.
        self._strict_factory = StrictSecurityHandlerFactory(security_map)
        super().__init__(*args, security_map=security_map, **kwargs)

    def make_operation(self, operation: AbstractOperation) -> SecurityOperation:
        return SecurityOperation(
            self.next_app,
            security_handler_factory=self._strict_factory,
            security=with_shared_scopes(operation.security or []),
            security_schemes=operation.security_schemes,
        )


class StrictSecurityMiddleware(SecurityMiddleware):
    """Drop-in replacement for Connexion's security middleware."""

    api_cls = StrictSecurityAPI


INVALID_KEY = "Invalid token"


async def djaodjin_key_info(username: str, _password: str, request: Any) -> dict[str, Any]:
    """The user behind an API key; 401 for any key that is not valid now."""
    rt = from_scope(request.scope)
    if rt.settings.require_https and request.scope.get("scheme") != "https":
        raise Forbidden("HTTPS is required.")
    _refuse_blocked(rt, request.scope)
    try:
        return await _key_info(rt, username, request)
    except Unauthorized:
        await _failed(rt, request.scope)
        raise


async def _key_info(rt: Runtime, username: str, request: Any) -> dict[str, Any]:
    if len(username) != KEY_LENGTH:
        raise Unauthorized(INVALID_KEY)
    public_id, secret = username[:PUBLIC_LENGTH], username[PUBLIC_LENGTH:]
    async with rt.auth_reader(request.scope) as conn:
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


SECURITY_MAP = {"oauth2": OAuthHandler, "basic": ApiKeyBasicHandler, "bearer": BearerHandler}
