"""Helpers of the OAuth provider's tests: users with passwords, apps, a browser-like
client with its own cookies, and the consent step."""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
from collections.abc import AsyncIterator
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from genie.oauth import apps, credentials
from models.users import User
from tests.conftest import Env
from tests.leaks import WATCH

REDIRECT = "https://app.example.com/callback"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass
class Person:
    username: str
    password: str


def csrf_of(html: str) -> str:
    found = CSRF.search(html)
    assert found, html
    return found.group(1)


def pkce() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode()).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def query_of(location: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


async def person(env: Env) -> Person:
    """A user with a password (bcrypt at 4 rounds: the tests check logic, not cost)."""
    suffix = secrets.token_hex(4)
    password = f"pw-{secrets.token_urlsafe(12)}"
    WATCH.register(password)
    async with env.runtime.sessions() as session, session.begin():
        session.add(
            User(
                username=f"p{suffix}",
                email=f"p{suffix}@example.com",
                password_hash=credentials.hash_password(password, rounds=4),
            )
        )
    return Person(f"p{suffix}", password)


async def new_app(env: Env, *, public: bool = False, redirect: str = REDIRECT) -> apps.Created:
    crypto = env.runtime.crypto
    name = f"app-{secrets.token_hex(4)}"
    async with env.runtime.sessions() as session, session.begin():
        created = await session.run_sync(
            lambda s: apps.create(s, crypto, name, redirect, public=public)
        )
    if created.client_secret:
        WATCH.register(created.client_secret)
    return created


def browser_for(env: Env, base_url: str = "http://testserver") -> httpx.AsyncClient:
    """A client of the same app with a cookie jar of its own."""
    return httpx.AsyncClient(
        transport=env.client._transport,
        base_url=base_url,
        event_hooks={"response": [WATCH.check_response]},
    )


async def sign_in(client: httpx.AsyncClient, who: Person) -> httpx.Response:
    page = await client.get("/login")
    form = {"username": who.username, "password": who.password, "csrf_token": csrf_of(page.text)}
    return await client.post("/login", data=form)


@pytest.fixture
async def browser(pg: Env) -> AsyncIterator[httpx.AsyncClient]:
    async with browser_for(pg) as client:
        yield client


async def consent(
    client: httpx.AsyncClient, params: dict[str, str], granted: list[str] | None = None
) -> httpx.Response:
    """Open the consent page for ``params``, then allow (the boxes in ``granted``,
    or all of them)."""
    page = await client.get("/login/oauth/authorize", params=params)
    assert page.status_code == 200, page.text
    boxes = re.findall(r'name="granted" value="([^"]+)"', page.text)
    form: dict[str, object] = {k: v for k, v in params.items()}
    form.update(csrf_token=csrf_of(page.text), decision="allow")
    form["granted"] = boxes if granted is None else granted
    return await client.post("/login/oauth/authorize", data=form)


async def code_for(
    client: httpx.AsyncClient, params: dict[str, str], granted: list[str] | None = None
) -> str:
    answer = await consent(client, params, granted)
    assert answer.status_code == 303, answer.text
    code = query_of(answer.headers["location"])["code"]
    WATCH.register(code)
    return code
