"""Shared fixtures: real PostgreSQL, the real ASGI app, and factories.

PostgreSQL is ``GENIE_TEST_DATABASE_URL`` (default: a fresh ``genie_test`` database
on 127.0.0.1:5432). When it is unreachable, Postgres tests are skipped on a
developer machine and **fail** under ``CI=true``.
"""

from __future__ import annotations

import logging
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import psycopg2
import pytest
from psycopg2 import sql

from genie import migrate, scopes
from genie.app import create_app
from genie.cluster import pg_admin
from genie.runtime import Runtime
from genie.settings import Settings
from models.organizations import create_personal_organization
from models.users import Token, User, hash_token, new_token
from tests.leaks import WATCH
from tests.storage import FolderView, StorageView, StoredFile

# The storage suite's fixtures (moto, S3-backed apps and servers, each backend) and
# the real daemons builds run on (sshd, dockerd).
pytest_plugins = ["tests.storage_fixtures", "tests.daemons"]

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


def _admin(statement: sql.Composable) -> None:
    pg_admin(PG_SERVER, statement)


def fresh_database(name: str) -> str:
    """Create database ``<name>_<pid>`` (unique to this run), migrated to head.

    Unique names keep concurrent runs on one machine (``tox p``, CI beside a
    developer) from dropping each other's databases. Dropped at exit.
    """
    require_pg()
    unique = f"{name}_{os.getpid()}"
    _admin(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(unique)))
    _admin(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(unique)))
    _created.append(unique)
    url = f"{PG_SERVER}/{unique}"
    migrate.upgrade(url)
    return url


_created: list[str] = []


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    for name in _created:
        with suppress(psycopg2.Error):
            _admin(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


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
    #: What its storage holds (the folder's files, or the bucket's).
    files: StorageView | None = None

    def __post_init__(self) -> None:
        if self.files is None:
            self.files = FolderView(self.data_dir)

    async def account(self, scope: str = ALL_SCOPES) -> Account:
        """A new user with a token carrying ``scope``."""
        suffix = secrets.token_hex(4)
        token = new_token()
        async with self.runtime.sessions() as session, session.begin():
            user = User(username=f"u{suffix}", email=f"u{suffix}@example.com")
            session.add(user)
            await session.flush()
            # Every user has a personal organization (DjaoDjin), as `genie users create` makes.
            await session.run_sync(
                lambda s: create_personal_organization(s, user.id, user.username)
            )
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

    def stored_files(self) -> list[StoredFile]:
        """Every file in storage, unfinished uploads included."""
        assert self.files is not None
        return self.files.files()


@asynccontextmanager
async def app_client(
    settings: Settings,
    base_url: str = "http://testserver",
    *,
    peer: tuple[str, int] = ("127.0.0.1", 123),
    **create: Any,
) -> AsyncIterator[tuple[httpx.AsyncClient, Runtime]]:
    """The real app (``create_app``) behind an in-process HTTP client, whose
    requests come from ``peer`` (the client address the app sees)."""
    runtime = Runtime.build(settings)
    app = create_app(settings, runtime, **create)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False, client=peer)
    try:
        async with httpx.AsyncClient(
            transport=transport,
            base_url=base_url,
            event_hooks={"response": [WATCH.check_response]},
        ) as client:
            yield client, runtime
    finally:
        await runtime.close()


async def _make_env(
    name: str, settings: Settings, files: StorageView | None = None
) -> AsyncIterator[Env]:
    async with app_client(settings) as (client, runtime):
        yield Env(name, runtime, client, settings.data_dir, files)


@pytest.fixture(autouse=True)
def no_secret_logged() -> Iterator[None]:
    """No registered secret (``tests.leaks``) in a log record of the test, the
    access line of every in-process request included."""
    logging.getLogger().addHandler(WATCH)
    logging.getLogger("genie.access").setLevel(logging.INFO)
    WATCH.logged.clear()
    yield
    assert not WATCH.logged, f"a registered secret was logged: {WATCH.logged}"


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


@dataclass
class LiveServer:
    """A real ``genie serve`` process (uvicorn) on PostgreSQL."""

    url: str
    token: str
    process: subprocess.Popen[bytes]
    data_dir: Path
    database_url: str
    environ: dict[str, str]
    #: A DjaoDjin API key of the same user, manager of the organization ``cowork``.
    api_key: str = ""
    #: What its storage holds.
    files: StorageView | None = None

    def __post_init__(self) -> None:
        if self.files is None:
            self.files = FolderView(self.data_dir)

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def genie(self, *args: str) -> str:
        """Run the real CLI against the server's database; return its stdout."""
        result = subprocess.run(
            [sys.executable, "-m", "genie", *args],
            env=self.environ,
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        return result.stdout.strip()

    @contextmanager
    def worker(self, *kinds: str) -> Iterator[subprocess.Popen[bytes]]:
        """A real ``genie worker`` process on the server's database, while the block
        runs; only jobs of ``kinds`` when given (other tests' webhooks stay queued)."""
        argv = [sys.executable, "-m", "genie", "worker"]
        for kind in kinds:
            argv += ["--kind", kind]
        process = subprocess.Popen(argv, env=self.environ)
        try:
            yield process
        finally:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()

    def status(self, field: str) -> int:
        """A ``VmHWM``-style field of /proc/PID/status, in KiB."""
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
        raise KeyError(field)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_healthy(url: str, process: subprocess.Popen[bytes], timeout: float = 30) -> bool:
    """Poll ``/healthz`` until it answers 200; False if the process dies or time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                return True
        except httpx.HTTPError:
            pass
        time.sleep(0.05)
    return False


@contextmanager
def _live_server(
    tmp_path_factory: pytest.TempPathFactory,
    name: str,
    extra: dict[str, str],
    database_url: str | None = None,
) -> Iterator[LiveServer]:
    """A ``genie serve`` process on a fresh PostgreSQL database ``genie_<name>``
    (or on ``database_url``), with ``extra`` in its environment, and a user with a
    token, an API key and an organization."""
    database_url = database_url or fresh_database(f"genie_{name}")
    data_dir = tmp_path_factory.mktemp(f"{name}-data")
    port = free_port()
    environ = {
        **os.environ,
        "GENIE_DATABASE_URL": database_url,
        "GENIE_DATA_DIR": str(data_dir),
        "GENIE_OBJECT_MAX_SIZE": str(1024 * 1024 * 1024),
        # Outbound connections to receivers the tests run on 127.0.0.1 (SMTP).
        # Webhooks may name any host without a DNS lookup: the server runs no job
        # worker, so nothing is delivered beyond loopback. A test that needs jobs
        # run starts `genie worker` (LiveServer.worker).
        "GENIE_ALLOW_PRIVATE_URLS": "1",
        "GENIE_JOBS_WORKER": "0",
        # Every access line, as JSON: the leak watch reads them all at the end.
        "GENIE_LOG_FORMAT": "json",
        # The contract run sends thousands of bad credentials from loopback, which
        # the per-address limit would answer with 429 for the rest of the minute
        # (valid ones included); tests/reliability/test_limits.py turns it on.
        "GENIE_AUTH_FAILURES": "0",
        **extra,
    }
    log_path = tmp_path_factory.getbasetemp() / f"{name}-server.log"
    log = log_path.open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "genie", "serve", "--port", str(port), "--log-level", "info"],
        env=environ,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    if not wait_healthy(url, process):
        process.kill()
        raise RuntimeError(f"genie serve did not start; see {log.name}")
    server = LiveServer(url, "", process, data_dir, database_url, environ)
    server.genie("users", "create", "live", "--email", "live@example.com")
    server.token = server.genie("tokens", "create", "live", "--scopes", ALL_SCOPES)
    server.api_key = server.genie("apikeys", "create", "live", "--title", "live server")
    server.genie("orgs", "create", "cowork", "--manager", "live")
    WATCH.register(server.token, server.api_key[32:])
    try:
        yield server
    finally:
        # The server a test restarted (tests/reliability/test_crash.py), not the
        # one it killed: that one was left running after the session.
        process = server.process
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
    WATCH.scan_log(f"the live server's log ({log_path})", log_path.read_text(errors="replace"))


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    # Builds may name the os driver (the contract's examples do); this server runs
    # no job worker, so none runs here.
    with _live_server(tmp_path_factory, "live", {"GENIE_DRIVERS": "os"}) as server:
        yield server
