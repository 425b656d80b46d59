"""Shared fixtures: real PostgreSQL, the real ASGI app, and factories.

PostgreSQL is ``GENIE_TEST_DATABASE_URL`` (default: a fresh ``genie_test`` database
on 127.0.0.1:5432). When it is unreachable, Postgres tests are skipped on a
developer machine and **fail** under ``CI=true``.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import psycopg2
import pytest
from psycopg2 import sql

from genie import migrate, scopes
from genie.app import create_app
from genie.runtime import Runtime
from genie.settings import Settings
from models.users import Token, User, hash_token, new_token

PG_SERVER = os.environ.get("GENIE_TEST_PG", "postgresql://postgres@127.0.0.1:5432")
ALL_SCOPES = scopes.format_scopes(scopes.ALL_SCOPES)
IN_CI = os.environ.get("CI", "").lower() == "true"


def pg_available() -> str | None:
    """None when Postgres answers, else the reason."""
    try:
        psycopg2.connect(f"{PG_SERVER}/postgres", connect_timeout=3).close()
    except psycopg2.Error as exc:
        return str(exc).strip()
    return None


def require_pg() -> None:
    reason = pg_available()
    if reason is None:
        return
    if IN_CI:
        pytest.fail(f"PostgreSQL is unreachable at {PG_SERVER} (CI=true): {reason}")
    pytest.skip(f"PostgreSQL is unreachable at {PG_SERVER}: {reason}")


def fresh_database(name: str) -> str:
    """Drop and create database ``name``; return its URL, migrated to head."""
    require_pg()
    conn = psycopg2.connect(f"{PG_SERVER}/postgres")
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        cur.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    conn.close()
    url = f"{PG_SERVER}/{name}"
    migrate.upgrade(url)
    return url


@dataclass
class Account:
    user: User
    token: str

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


@dataclass
class Env:
    """One app under test, with its runtime and a client."""

    name: str
    runtime: Runtime
    client: httpx.AsyncClient
    data_dir: Path

    async def account(self, scope: str = ALL_SCOPES) -> Account:
        """A new user with a token carrying ``scope``."""
        suffix = secrets.token_hex(4)
        token = new_token()
        async with self.runtime.sessions() as session, session.begin():
            user = User(username=f"u{suffix}", email=f"u{suffix}@example.com")
            session.add(user)
            await session.flush()
            session.add(
                Token(
                    user_id=user.id,
                    name=f"t{suffix}",
                    token_hash=hash_token(token),
                    scope=scopes.format_scopes(scopes.parse(scope)),
                )
            )
        return Account(user, token)

    async def token_for(self, account: Account, scope: str) -> str:
        """Another token for the same user, with other scopes."""
        token = new_token()
        async with self.runtime.sessions() as session, session.begin():
            session.add(
                Token(
                    user_id=account.user.id,
                    name=f"t{secrets.token_hex(4)}",
                    token_hash=hash_token(token),
                    scope=scopes.format_scopes(scopes.parse(scope)),
                )
            )
        return token

    def stored_files(self) -> list[Path]:
        """Every file in storage, staging area included."""
        return sorted(p for p in self.data_dir.rglob("*") if p.is_file())


async def _make_env(name: str, settings: Settings) -> AsyncIterator[Env]:
    runtime = Runtime.build(settings)
    app = create_app(settings, runtime)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield Env(name, runtime, client, settings.data_dir)
    await runtime.close()


@pytest.fixture(scope="session")
def pg_url() -> str:
    return fresh_database("genie_test")


@pytest.fixture(scope="session")
async def pg_env(pg_url: str, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Env]:
    settings = Settings(
        database_url=pg_url,
        data_dir=tmp_path_factory.mktemp("pg-data"),
        validate_responses=True,
    )
    async for env in _make_env("postgres", settings):
        yield env


@pytest.fixture(scope="session")
async def sqlite_env(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Env]:
    root = tmp_path_factory.mktemp("sqlite")
    url = f"sqlite:///{root / 'genie.db'}"
    migrate.upgrade(url)
    settings = Settings(database_url=url, data_dir=root / "data", validate_responses=True)
    async for env in _make_env("sqlite", settings):
        yield env


@pytest.fixture(params=["postgres", "sqlite"])
def env(request: pytest.FixtureRequest) -> Env:
    """Runs a test on PostgreSQL and on the embedded SQLite default."""
    prefix = "pg" if request.param == "postgres" else "sqlite"
    fixture: Env = request.getfixturevalue(f"{prefix}_env")
    return fixture


@pytest.fixture
def pg(pg_env: Env) -> Env:
    """PostgreSQL only."""
    return pg_env


@pytest.fixture(scope="session")
def project_root() -> Path:
    return Path(__file__).resolve().parent.parent
