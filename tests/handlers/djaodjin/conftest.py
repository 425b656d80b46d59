"""DjaoDjin fixtures: users with API keys, organizations and roles, and the scan that
no secret (API key, SMTP password, private key) ever appears in a response or a
log line of these tests.

Every response the app client returns during a DjaoDjin test (status line,
headers and body) and every log record captured during it are scanned, when the
test ends, for every secret plaintext any test has registered so far.
"""

from __future__ import annotations

import base64
import json
import logging
import secrets
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import update

from genie.settings import Settings
from models import api_keys
from models.organizations import create_organization, grant_role, organization_by_slug
from models.users import User
from tests.conftest import Account, Env, app_client, free_port
from tests.handlers.djaodjin import smtp as smtp_server

API = "/api"


class SecretScan:
    """Plaintexts that must never be sent or logged, and what was sent and logged."""

    def __init__(self) -> None:
        # No response or log line has any business naming a private key.
        self.secrets: set[str] = {"PRIVATE KEY"}
        self.seen: list[str] = []

    def secret(self, value: str) -> str:
        """Register ``value`` as a secret: as is, as it reads inside JSON, and (PEM
        text) as its base64 body without line breaks."""
        self.secrets.add(value)
        if "\n" in value:
            self.secrets.add(json.dumps(value)[1:-1])
            self.secrets.add("".join(x for x in value.splitlines() if not x.startswith("-----")))
        return value

    def leaks(self, texts: list[str]) -> list[str]:
        return sorted({s[:12] + "…" for s in self.secrets for t in texts if s in t})


SCAN = SecretScan()


@pytest.fixture(scope="session")
async def dj_env(pg_env: Env) -> AsyncIterator[Env]:
    """The app on the test PostgreSQL database, with outbound connections to
    127.0.0.1 allowed (the local SMTP server); same database and secret key as
    ``pg``, whose app keeps the SSRF guard on."""
    settings = Settings(
        database_url=pg_env.runtime.settings.database_url,
        data_dir=pg_env.data_dir,
        validate_responses=True,
        allow_private_urls=True,
    )
    async with app_client(settings) as (client, runtime):
        yield Env("djaodjin", runtime, client, pg_env.data_dir)


@pytest.fixture(autouse=True)
async def scan_for_secrets(
    pg: Env, dj_env: Env, caplog: pytest.LogCaptureFixture
) -> AsyncIterator[list[str]]:
    """Collect this test's responses and log lines (the list it yields); fail the
    test if one holds a secret."""
    seen: list[str] = []

    async def record(response: httpx.Response) -> None:
        await response.aread()
        headers = "\n".join(f"{k}: {v}" for k, v in response.headers.items())
        seen.append(f"{response.status_code}\n{headers}\n{response.text}")

    clients = (pg.client, dj_env.client)
    for client in clients:
        client.event_hooks["response"].append(record)
    caplog.set_level(logging.DEBUG)
    try:
        yield seen
    finally:
        for client in clients:
            client.event_hooks["response"].remove(record)
    seen.extend(r.getMessage() for r in caplog.records)
    seen.append(caplog.text)
    SCAN.seen.extend(seen)
    leaked = SCAN.leaks(seen)
    assert not leaked, f"secrets leaked into responses or logs: {leaked}"


def basic(key: str, password: str = "") -> dict[str, str]:
    token = base64.b64encode(f"{key}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


@dataclass
class Member:
    """A user with an API key (and a personal organization named after them)."""

    account: Account
    key: str

    @property
    def username(self) -> str:
        return self.account.user.username

    @property
    def email(self) -> str:
        return self.account.user.email

    @property
    def auth(self) -> dict[str, str]:
        return basic(self.key)


@dataclass
class DjaoDjin:
    env: Env
    members: list[Member] = field(default_factory=list)

    @property
    def client(self) -> httpx.AsyncClient:
        return self.env.client

    async def key_for(
        self,
        user_id: int,
        *,
        lifetime: timedelta = api_keys.DEFAULT_LIFETIME,
        now: datetime | None = None,
    ) -> str:
        public_id, secret = api_keys.new_key()
        mac = self.env.runtime.crypto.mac(secret, purpose=api_keys.KEY_PURPOSE)
        async with self.env.runtime.sessions() as session, session.begin():
            api_keys.insert_key(session, user_id, public_id, mac, lifetime=lifetime, now=now)
        SCAN.secret(secret)
        return SCAN.secret(public_id + secret)

    async def member(self) -> Member:
        account = await self.env.account()
        return Member(account, await self.key_for(account.user.id))

    async def organization(self, manager: Member | None = None, **roles: Member) -> str:
        """A new organization; ``manager`` manages it, ``roles`` maps role to member."""
        slug = f"org-{secrets.token_hex(4)}"
        grants = [("manager", manager)] if manager else []
        grants += [(role, m) for role, m in roles.items()]

        def create(session: Any) -> None:
            organization = create_organization(session, slug)
            for role, member in grants:
                grant_role(session, organization, member.account.user.id, role)

        async with self.env.runtime.sessions() as session, session.begin():
            await session.run_sync(create)
        return slug

    async def grant(self, slug: str, member: Member, role: str) -> None:
        def run(session: Any) -> None:
            organization = organization_by_slug(session, slug)
            assert organization is not None
            grant_role(session, organization, member.account.user.id, role)

        async with self.env.runtime.sessions() as session, session.begin():
            await session.run_sync(run)

    async def deactivate(self, member: Member) -> None:
        async with self.env.runtime.sessions() as session, session.begin():
            await session.execute(
                update(User)
                .where(User.id == member.account.user.id)
                .values(deleted_at=datetime.now().astimezone())
            )

    async def app(self, member: Member, org: str, **fields: Any) -> dict[str, Any]:
        """Create a container through the API; its JSON."""
        body = {"slug": f"app-{secrets.token_hex(4)}", **fields}
        response = await self.client.post(
            f"{API}/containers/{org}/apps/", json=body, headers=member.auth
        )
        assert response.status_code == 201, response.text
        created: dict[str, Any] = response.json()
        return created


@pytest.fixture
def dj(dj_env: Env) -> DjaoDjin:
    return DjaoDjin(dj_env)


@pytest.fixture(scope="session")
def smtp() -> Iterator[smtp_server.SmtpSink]:
    """A real SMTP server on 127.0.0.1 for the whole session."""
    sink, controller = smtp_server.start(free_port())
    try:
        yield sink
    finally:
        controller.stop()
