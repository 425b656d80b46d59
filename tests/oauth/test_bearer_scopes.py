"""Djinn's two security schemes (``djinn``, oauth2, and ``bearer``, http) each
enforce the operation's scopes on their own: Swagger UI sends a pasted token on
the one and an OAuth token on the other."""

from __future__ import annotations

from typing import Any

import pytest
from connexion.lifecycle import ConnexionRequest
from connexion.security import SecurityHandlerFactory

from genie import SPEC_DIR
from genie.app import load_spec
from genie.runtime import SCOPE_KEY, STATE_KEY, RequestState
from handlers._auth import SECURITY_MAP, with_shared_scopes
from handlers._errors import Forbidden
from tests.conftest import Env

SPEC = load_spec(SPEC_DIR / "djinn.yaml")
SCHEMES = SPEC["components"]["securitySchemes"]


def test_every_operation_offers_both_schemes_with_the_same_scopes() -> None:
    for item in SPEC["paths"].values():
        for op in item.values():
            if not isinstance(op, dict) or op.get("security") == []:
                continue
            security = with_shared_scopes(op.get("security", SPEC["security"]))
            djinn = next(r["djinn"] for r in security if "djinn" in r)
            assert {"bearer": djinn} in security, op["operationId"]


async def _check(check: Any, env: Env, token: str) -> Any:
    """Run ``check`` as the security middleware would, then give back the
    connection the authentication borrowed."""
    state = RequestState(env.runtime.readers)
    try:
        return await check(_request(env, token, state))
    finally:
        await state.release()


def _request(env: Env, token: str, state: RequestState) -> ConnexionRequest:
    scope: dict[str, Any] = {
        "type": "http",
        "method": "GET",
        "path": "/djinn/objects",
        "headers": [(b"authorization", f"Bearer {token}".encode())],
        SCOPE_KEY: env.runtime,
        STATE_KEY: state,
    }
    return ConnexionRequest(scope)


@pytest.mark.parametrize("scheme", ["djinn", "bearer"])
async def test_a_token_without_the_scope_gets_403_on_either_scheme(pg: Env, scheme: str) -> None:
    account = await pg.account("namespace:read")
    required = with_shared_scopes([{"djinn": ["object:read"]}, {"bearer": []}])
    scopes = next(r[scheme] for r in required if scheme in r)
    assert scopes == ["object:read"]
    check = SecurityHandlerFactory(SECURITY_MAP).parse_security_scheme(SCHEMES[scheme], scopes)
    with pytest.raises(Forbidden):
        await _check(check, pg, account.token)
    allowed = await pg.account("object:read")
    info = await _check(check, pg, allowed.token)
    assert info["sub"] == allowed.user.id
