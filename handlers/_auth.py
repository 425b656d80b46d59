"""Authentication and scope checks, referenced from the specs' security schemes.

Djinn: an ``oauth2`` scheme whose ``x-tokenInfoFunc`` looks the bearer token up
(only its SHA-256 is stored) and whose ``x-scopeValidateFunc`` refuses a token
that lacks a scope with a 403 naming the scope. An unknown token gives 401.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from connexion.security import OAuthSecurityHandler

from genie.runtime import from_scope
from genie.scopes import parse
from handlers._errors import Forbidden
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


SECURITY_MAP = {"oauth2": OAuthHandler}
