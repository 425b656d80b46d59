"""Authlib's ``AsyncOAuth2Client`` (httpx) runs the code flow with PKCE against a
live ``genie serve``: sign in, authorize, exchange, call the Djinn API, revoke.
Each failure case gets its RFC 6749 error from the real client library, and no
token. The live server's whole log is scanned for every secret at the end."""

from __future__ import annotations

import re
import secrets
import subprocess
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta

import httpx
import pytest
from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.httpx_client import AsyncOAuth2Client
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from sqlalchemy import update

from genie.db import create_sync
from models.base import utcnow
from models.oauth import OAuthCode
from models.users import hash_token
from tests.conftest import LiveServer
from tests.leaks import WATCH
from tests.oauth.conftest import csrf_of

REDIRECT = "https://app.example.com/callback"
SCOPE = "namespace:read object:read"


@dataclass
class Live:
    url: str
    client_id: str
    client_secret: str
    password: str
    database_url: str

    def client(self, **kwargs: object) -> AsyncOAuth2Client:
        options = {
            "client_id": self.client_id,
            "client_secret": self.client_secret,
            "scope": SCOPE,
            "redirect_uri": REDIRECT,
            "code_challenge_method": "S256",
            **kwargs,
        }
        return AsyncOAuth2Client(**options)

    @property
    def token_url(self) -> str:
        return f"{self.url}/login/oauth/token"


def _cli(server: LiveServer, *args: str, stdin: str = "") -> str:
    result = subprocess.run(
        [sys.executable, "-m", "genie", *args],
        env=server.environ,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout


@pytest.fixture(scope="module")
def live(live_server: LiveServer) -> Live:
    password = f"pw-{secrets.token_urlsafe(16)}"
    WATCH.register(password)
    assert "password set" in _cli(live_server, "users", "set-password", "live", stdin=password)
    name = f"authlib-{secrets.token_hex(3)}"
    made = _cli(live_server, "apps", "create", name, "--redirect-uri", REDIRECT)
    fields = dict(line.split(": ", 1) for line in made.splitlines())
    WATCH.register(fields["client_secret"])
    url, db = live_server.url, live_server.database_url
    return Live(url, fields["client_id"], fields["client_secret"], password, db)


@pytest.fixture
async def browser(live: Live) -> AsyncIterator[httpx.AsyncClient]:
    """Signed in as ``live``, through the real form."""
    async with httpx.AsyncClient(base_url=live.url) as client:
        page = await client.get("/login")
        form = {"username": "live", "password": live.password, "csrf_token": csrf_of(page.text)}
        assert (await client.post("/login", data=form)).status_code == 303
        yield client


async def _authorize(browser: httpx.AsyncClient, uri: str) -> str:
    """Consent to everything asked; the redirect the app would receive."""
    page = await browser.get(uri)
    assert page.status_code == 200, page.text
    hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page.text))
    boxes = re.findall(r'name="granted" value="([^"]+)"', page.text)
    form = {**hidden, "granted": boxes, "decision": "allow"}
    answer = await browser.post("/login/oauth/authorize", data=form)
    assert answer.status_code == 303, answer.text
    location = answer.headers["location"]
    WATCH.register(re.search(r"code=([0-9a-f]+)", location).group(1))
    return location


async def _start(live: Live, client: AsyncOAuth2Client, browser: httpx.AsyncClient):
    verifier = secrets.token_urlsafe(48)
    uri, state = client.create_authorization_url(
        f"{live.url}/login/oauth/authorize", code_verifier=verifier
    )
    assert f"code_challenge={create_s256_code_challenge(verifier)}" in uri
    return verifier, state, await _authorize(browser, uri)


async def test_the_code_flow_with_pkce_end_to_end(live: Live, browser: httpx.AsyncClient) -> None:
    async with live.client() as client:
        verifier, state, location = await _start(live, client, browser)
        token = await client.fetch_token(
            live.token_url, authorization_response=location, code_verifier=verifier, state=state
        )
        WATCH.register(token["access_token"])
        assert token["token_type"] == "bearer" and token["scope"] == SCOPE
        me = await client.get(f"{live.url}/djinn/user")
        assert me.status_code == 200 and me.json()["username"] == "live"
        # The granted scopes hold: object:read yes, build:read no.
        assert (await client.get(f"{live.url}/djinn/objects")).status_code == 200
        assert (await client.get(f"{live.url}/djinn/namespaces")).status_code == 200
        revoked = await client.revoke_token(
            f"{live.url}/logout/oauth/revoke", token=token["access_token"]
        )
        assert revoked.status_code == 200
        assert (await client.get(f"{live.url}/djinn/user")).status_code == 401


async def _refused(client: AsyncOAuth2Client, live: Live, location: str, **kwargs: str) -> str:
    with pytest.raises(OAuthError) as raised:
        token = await client.fetch_token(live.token_url, authorization_response=location, **kwargs)
        WATCH.register(token["access_token"])
    return raised.value.error


async def test_a_reused_code(live: Live, browser: httpx.AsyncClient) -> None:
    async with live.client() as client:
        verifier, _, location = await _start(live, client, browser)
        first = await client.fetch_token(
            live.token_url, authorization_response=location, code_verifier=verifier
        )
        WATCH.register(first["access_token"])
        error = await _refused(client, live, location, code_verifier=verifier)
        assert error == "invalid_grant"
        # The replay revoked what the code had issued (RFC 6749 §10.5).
        assert (await client.get(f"{live.url}/djinn/user")).status_code == 401


async def test_an_expired_code(live: Live, browser: httpx.AsyncClient) -> None:
    async with live.client() as client:
        verifier, _, location = await _start(live, client, browser)
        code = re.search(r"code=([0-9a-f]+)", location).group(1)
        engine = create_sync(live.database_url)
        with engine.begin() as conn:
            conn.execute(
                update(OAuthCode)
                .where(OAuthCode.code_hash == hash_token(code))
                .values(expires_at=utcnow() - timedelta(seconds=1))
            )
        engine.dispose()
        assert await _refused(client, live, location, code_verifier=verifier) == "invalid_grant"


async def test_a_wrong_verifier(live: Live, browser: httpx.AsyncClient) -> None:
    async with live.client() as client:
        _, _, location = await _start(live, client, browser)
        wrong = secrets.token_urlsafe(48)
        assert await _refused(client, live, location, code_verifier=wrong) == "invalid_grant"


async def test_a_wrong_redirect(live: Live, browser: httpx.AsyncClient) -> None:
    async with live.client() as client:
        verifier, _, location = await _start(live, client, browser)
    async with live.client(redirect_uri="https://app.example.com/other") as other:
        error = await _refused(other, live, location, code_verifier=verifier)
    assert error == "invalid_grant"


async def test_a_wrong_secret(live: Live, browser: httpx.AsyncClient) -> None:
    async with live.client() as client:
        verifier, _, location = await _start(live, client, browser)
    async with live.client(client_secret=secrets.token_hex(32)) as wrong:
        error = await _refused(wrong, live, location, code_verifier=verifier)
    assert error == "invalid_client"
