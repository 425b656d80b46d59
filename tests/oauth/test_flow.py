"""The authorization-code flow in process: consent, exchange, PKCE, the RFC 6749
errors, revocation, and the tokens on the Djinn API (scopes enforced on both
security schemes)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import select, text, update

from genie.oauth import apps
from models.base import utcnow
from models.oauth import OAuthCode
from models.users import hash_token
from tests.conftest import Env
from tests.leaks import WATCH
from tests.oauth.conftest import (
    REDIRECT,
    Person,
    browser_for,
    code_for,
    new_app,
    person,
    pkce,
    query_of,
    sign_in,
)


@pytest.fixture
async def signed_in(pg: Env) -> AsyncIterator[tuple[httpx.AsyncClient, Person]]:
    who = await person(pg)
    async with browser_for(pg) as client:
        assert (await sign_in(client, who)).status_code == 303
        yield client, who


def _params(app: apps.Created, scope: str = "build:read namespace:read", **more: str) -> dict:
    return {
        "client_id": app.client_id,
        "redirect_uri": REDIRECT,
        "scope": scope,
        "state": "s-1",
        "response_type": "code",
        **more,
    }


async def _exchange(client: httpx.AsyncClient, app: apps.Created, code: str, **more: str):
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT, **more}
    auth = (app.client_id, app.client_secret) if app.client_secret else None
    if auth is None:
        form["client_id"] = app.client_id
    answer = await client.post(
        "/login/oauth/token", data=form, auth=auth, headers={"Accept": "application/json"}
    )
    if answer.status_code == 200:
        WATCH.register(answer.json()["access_token"])
    return answer


def _error(answer: httpx.Response, status: int, error: str) -> None:
    assert answer.status_code == status, answer.text
    assert answer.json()["error"] == error
    assert "access_token" not in answer.text


async def test_the_whole_flow_with_a_confidential_app(pg: Env, signed_in) -> None:
    client, who = signed_in
    app = await new_app(pg)
    code = await code_for(client, _params(app))
    answer = await _exchange(client, app, code)
    assert answer.status_code == 200, answer.text
    assert answer.headers["cache-control"] == "no-store"
    token = answer.json()
    assert token["token_type"] == "bearer" and token["scope"] == "build:read namespace:read"
    me = await client.get(
        "/djinn/user", headers={"Authorization": f"Bearer {token['access_token']}"}
    )
    assert me.status_code == 200 and me.json()["username"] == who.username
    async with pg.runtime.reader.connect() as conn:
        stored = (
            await conn.execute(
                text("SELECT token_hash FROM tokens WHERE token_hash = :h"),
                {"h": hash_token(token["access_token"])},
            )
        ).all()
    assert len(stored) == 1


async def test_the_consent_page_lists_the_scopes_in_words(pg: Env, signed_in) -> None:
    client, _ = signed_in
    app = await new_app(pg)
    page = await client.get("/login/oauth/authorize", params=_params(app, "object:read,write"))
    assert "Read objects" in page.text and "Create and change objects" in page.text
    assert app.client_secret not in page.text


async def test_granted_scopes_are_the_requested_ones_the_user_kept(pg: Env, signed_in) -> None:
    client, _ = signed_in
    app = await new_app(pg)
    params = _params(app, "build:read namespace:read")
    code = await code_for(client, params, granted=["namespace:read", "key:delete"])
    token = (await _exchange(client, app, code)).json()
    assert token["scope"] == "namespace:read"
    bearer = {"Authorization": f"Bearer {token['access_token']}"}
    # No object:read: 403, on the oauth2 scheme and on the http bearer one alike.
    assert (await client.get("/djinn/objects", headers=bearer)).status_code == 403
    assert (await client.get("/djinn/namespaces", headers=bearer)).status_code == 200


async def test_a_public_app_must_use_pkce(pg: Env, signed_in) -> None:
    client, _ = signed_in
    app = await new_app(pg, public=True)
    refused = await client.get("/login/oauth/authorize", params=_params(app))
    assert refused.status_code == 303
    assert query_of(refused.headers["location"])["error"] == "invalid_request"
    verifier, challenge = pkce()
    code = await code_for(
        client, _params(app, code_challenge=challenge, code_challenge_method="S256")
    )
    _error(await _exchange(client, app, code), 400, "invalid_request")  # no verifier
    code = await code_for(
        client, _params(app, code_challenge=challenge, code_challenge_method="S256")
    )
    _error(await _exchange(client, app, code, code_verifier="w" * 43), 400, "invalid_grant")
    code = await code_for(
        client, _params(app, code_challenge=challenge, code_challenge_method="S256")
    )
    assert (await _exchange(client, app, code, code_verifier=verifier)).status_code == 200


async def test_plain_pkce_is_refused(pg: Env, signed_in) -> None:
    client, _ = signed_in
    app = await new_app(pg, public=True)
    params = _params(app, code_challenge="a" * 43, code_challenge_method="plain")
    refused = await client.get("/login/oauth/authorize", params=params)
    assert query_of(refused.headers["location"])["error"] == "invalid_request"


async def test_a_reused_code_is_refused_and_revokes_its_token(pg: Env, signed_in) -> None:
    client, _ = signed_in
    app = await new_app(pg)
    code = await code_for(client, _params(app))
    first = (await _exchange(client, app, code)).json()["access_token"]
    _error(await _exchange(client, app, code), 400, "invalid_grant")
    me = await client.get("/djinn/user", headers={"Authorization": f"Bearer {first}"})
    assert me.status_code == 401


async def test_an_expired_code_is_refused(pg: Env, signed_in) -> None:
    client, _ = signed_in
    app = await new_app(pg)
    code = await code_for(client, _params(app))
    async with pg.runtime.engine.begin() as conn:
        await conn.execute(
            update(OAuthCode)
            .where(OAuthCode.code_hash == hash_token(code))
            .values(expires_at=utcnow() - timedelta(seconds=1))
        )
    _error(await _exchange(client, app, code), 400, "invalid_grant")


async def test_codes_live_exactly_ten_minutes(pg: Env, signed_in) -> None:
    client, _ = signed_in
    app = await new_app(pg)
    before = utcnow()
    code = await code_for(client, _params(app))
    after = utcnow()
    async with pg.runtime.reader.connect() as conn:
        expires = (
            await conn.execute(
                select(OAuthCode.expires_at).where(OAuthCode.code_hash == hash_token(code))
            )
        ).scalar_one()
    assert before + timedelta(minutes=10) <= expires <= after + timedelta(minutes=10)


async def test_a_wrong_redirect_uri_gets_invalid_grant(pg: Env, signed_in) -> None:
    client, _ = signed_in
    app = await new_app(pg)
    code = await code_for(client, _params(app))
    answer = await _exchange(client, app, code, redirect_uri="https://evil.example.com/cb")
    _error(answer, 400, "invalid_grant")


async def test_a_wrong_secret_or_client_gets_invalid_client(pg: Env, signed_in) -> None:
    client, _ = signed_in
    app = await new_app(pg)
    code = await code_for(client, _params(app))
    form = {"grant_type": "authorization_code", "code": code}
    wrong = await client.post("/login/oauth/token", data=form, auth=(app.client_id, "0" * 64))
    _error(wrong, 401, "invalid_client")
    assert wrong.headers["www-authenticate"].startswith("Basic")
    unknown = await client.post("/login/oauth/token", data={**form, "client_id": "f" * 32})
    _error(unknown, 401, "invalid_client")
    nul = await client.post("/login/oauth/token", data={**form, "client_id": "f\x00f"})
    _error(nul, 401, "invalid_client")  # no client id holds U+0000: unknown, not a 500
    missing = await client.post("/login/oauth/token", data={**form, "client_id": app.client_id})
    _error(missing, 401, "invalid_client")
    # The code survives failed client authentication: the right client still gets it.
    assert (await _exchange(client, app, code)).status_code == 200


async def test_the_secret_may_come_in_the_form(pg: Env, signed_in) -> None:
    client, _ = signed_in
    app = await new_app(pg)
    for field in ("client_secret", "secret"):
        code = await code_for(client, _params(app))
        form = {
            "grant_type": "authorization_code",
            "code": code,
            "client_id": app.client_id,
            field: app.client_secret,
        }
        answer = await client.post("/login/oauth/token", data=form)
        assert answer.status_code == 200, answer.text
        WATCH.register(answer.json()["access_token"])


async def test_other_grants_and_missing_codes(pg: Env, signed_in) -> None:
    client, _ = signed_in
    app = await new_app(pg)
    auth = (app.client_id, app.client_secret)
    other = await client.post("/login/oauth/token", data={"grant_type": "password"}, auth=auth)
    _error(other, 400, "unsupported_grant_type")
    missing = await client.post(
        "/login/oauth/token", data={"grant_type": "authorization_code"}, auth=auth
    )
    _error(missing, 400, "invalid_request")
    unknown = await client.post(
        "/login/oauth/token", data={"grant_type": "authorization_code", "code": "0" * 32}, auth=auth
    )
    _error(unknown, 400, "invalid_grant")


async def test_the_answer_is_form_encoded_on_request(pg: Env, signed_in) -> None:
    client, _ = signed_in
    app = await new_app(pg)
    code = await code_for(client, _params(app))
    form = {"grant_type": "authorization_code", "code": code}
    answer = await client.post(
        "/login/oauth/token",
        data=form,
        auth=(app.client_id, app.client_secret),
        headers={"Accept": "application/x-www-form-urlencoded"},
    )
    assert answer.headers["content-type"].startswith("application/x-www-form-urlencoded")
    fields = query_of("?" + answer.text)
    WATCH.register(fields["access_token"])
    assert fields["token_type"] == "bearer"


async def test_unknown_apps_and_redirect_mismatches_are_shown_not_redirected(
    pg: Env, signed_in
) -> None:
    client, _ = signed_in
    app = await new_app(pg)
    unknown = await client.get("/login/oauth/authorize", params={"client_id": "f" * 32})
    nul = await client.get("/login/oauth/authorize", params={"client_id": "\u00ae\x00x"})
    mismatch = await client.get(
        "/login/oauth/authorize", params=_params(app, redirect_uri="https://evil.example.com/")
    )
    for answer in (unknown, nul, mismatch):
        assert answer.status_code == 400
        assert "location" not in answer.headers
        assert answer.headers["content-type"].startswith("text/html")


async def test_bad_scopes_and_response_types_go_back_to_the_app(pg: Env, signed_in) -> None:
    client, _ = signed_in
    app = await new_app(pg)
    scope = await client.get("/login/oauth/authorize", params=_params(app, "build:fly"))
    kind = await client.get("/login/oauth/authorize", params=_params(app, response_type="token"))
    assert query_of(scope.headers["location"])["error"] == "invalid_scope"
    assert query_of(kind.headers["location"]) == {
        "error": "unsupported_response_type",
        "error_description": "Only response_type=code is supported.",
        "state": "s-1",
    }


async def test_signed_out_users_are_sent_to_sign_in(pg: Env) -> None:
    app = await new_app(pg)
    async with browser_for(pg) as client:
        answer = await client.get("/login/oauth/authorize", params=_params(app))
    assert answer.status_code == 303
    assert answer.headers["location"].startswith("/login?next=%2Flogin%2Foauth%2Fauthorize%3F")


async def test_consent_without_csrf_is_refused_and_deny_is_access_denied(
    pg: Env, signed_in
) -> None:
    client, _ = signed_in
    app = await new_app(pg)
    forged = await client.post("/login/oauth/authorize", data={**_params(app), "decision": "allow"})
    assert forged.status_code == 403
    page = await client.get("/login/oauth/authorize", params=_params(app))
    token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    denied = await client.post(
        "/login/oauth/authorize", data={**_params(app), "csrf_token": token, "decision": "deny"}
    )
    assert query_of(denied.headers["location"]) == {"error": "access_denied", "state": "s-1"}


async def test_revoke_per_rfc_7009_and_as_djinn(pg: Env, signed_in) -> None:
    client, _ = signed_in
    app = await new_app(pg)
    auth = (app.client_id, app.client_secret)
    tokens = []
    for _ in range(2):
        code = await code_for(client, _params(app))
        tokens.append((await _exchange(client, app, code)).json()["access_token"])
    revoked = await client.post("/logout/oauth/revoke", data={"token": tokens[0]}, auth=auth)
    assert revoked.status_code == 200
    gone = await client.get("/djinn/user", headers={"Authorization": f"Bearer {tokens[0]}"})
    assert gone.status_code == 401
    bearer = {"Authorization": f"Bearer {tokens[1]}"}
    assert (await client.post("/logout/oauth/revoke", headers=bearer)).status_code == 204
    assert (await client.get("/djinn/user", headers=bearer)).status_code == 401
    assert (await client.post("/logout/oauth/revoke", headers=bearer)).status_code == 404
    assert (
        await client.post("/logout/oauth/revoke", headers={"Authorization": "Bearer"})
    ).status_code == 404
    bad = await client.post(
        "/logout/oauth/revoke", data={"token": tokens[1]}, auth=(app.client_id, "0" * 64)
    )
    _error(bad, 401, "invalid_client")


async def test_revoking_an_app_deletes_its_tokens(pg: Env, signed_in) -> None:
    client, _ = signed_in
    app = await new_app(pg)
    code = await code_for(client, _params(app))
    token = (await _exchange(client, app, code)).json()["access_token"]
    async with pg.runtime.sessions() as session, session.begin():
        assert await session.run_sync(lambda s: apps.revoke(s, app.id))
    me = await client.get("/djinn/user", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 401


async def test_an_app_cannot_revoke_or_redeem_what_another_was_given(pg: Env, signed_in) -> None:
    client, _ = signed_in
    mine, theirs = await new_app(pg), await new_app(pg)
    code = await code_for(client, _params(mine))
    stolen = await client.post(
        "/login/oauth/token",
        data={"grant_type": "authorization_code", "code": code},
        auth=(theirs.client_id, theirs.client_secret),
    )
    _error(stolen, 400, "invalid_grant")
    token = (await _exchange(client, mine, code)).json()["access_token"]
    other = await client.post(
        "/logout/oauth/revoke", data={"token": token}, auth=(theirs.client_id, theirs.client_secret)
    )
    assert other.status_code == 200  # RFC 7009 §2.2: no hint whether it was valid
    me = await client.get("/djinn/user", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200


async def test_codes_and_passwords_stay_out_of_the_access_log(
    pg: Env, signed_in, caplog: pytest.LogCaptureFixture
) -> None:
    client, who = signed_in
    app = await new_app(pg, redirect="/djinn/ui/oauth2-redirect.html")
    params = {**_params(app), "redirect_uri": "http://testserver/djinn/ui/oauth2-redirect.html"}
    with caplog.at_level("INFO", logger="genie.access"):
        code = await code_for(client, params)
        landed = await client.get("/djinn/ui/oauth2-redirect.html", params={"code": code})
        await sign_in(client, who)
    assert landed.status_code == 200
    lines = [r.getMessage() for r in caplog.records if r.name == "genie.access"]
    assert any("oauth2-redirect.html?code" in line for line in lines), lines
    assert not [line for line in lines if code in line or who.password in line]
    assert WATCH.responses_scanned > 0
