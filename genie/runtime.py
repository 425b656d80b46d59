"""What a running app holds: settings, the async engine and the storage.

The app factory builds one :class:`Runtime`; a tiny middleware puts it in every
request's ASGI scope, where handlers and security functions find it.

A request's authentication and its handler's first read share one autocommit
connection (:meth:`Runtime.auth_reader`, :meth:`Runtime.read`), taken from the
connections kept between requests (:mod:`genie.readers`): a pool checkout and
return cost about 33 µs of CPU, a twentieth of a list request. A write's
transaction (:meth:`Runtime.transaction`) takes one of those too.

**No pooled connection is ever held across client I/O.** Only a request without
a body (GET, HEAD) keeps the authentication's connection for its first read;
any other gives it back at once, before its body is read, so clients that send
their bodies slowly cannot empty the pool. The operation returns a connection
nothing took before the response is sent (:mod:`genie.app`).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker
from starlette.types import ASGIApp, Receive, Scope, Send

from genie.crypto import Crypto
from genie.db import create_engines, is_sqlite, sessionmaker_for
from genie.job_worker import Worker
from genie.metrics import Metrics
from genie.ratelimit import RateLimiter
from genie.readers import Readers
from genie.settings import Settings
from genie.storage import Storage, from_settings
from genie.uploads import QueueGuard
from models.base import ping

log = logging.getLogger("genie.runtime")

SCOPE_KEY = "genie.runtime"
#: The request's :class:`RequestState`. Connexion's middlewares pass shallow
#: copies of the scope along, so the state is one object they all share.
STATE_KEY = "genie.request"
#: Seconds a readiness or liveness probe waits for the database or the storage.
PROBE_TIMEOUT = 3.0
#: Methods whose requests have no body to wait for.
_BODILESS = frozenset({"GET", "HEAD"})


class RequestState:
    """What the layers of one request share."""

    __slots__ = ("reader", "readers")

    def __init__(self, readers: Readers) -> None:
        #: The autocommit connection the authentication used, until a read takes it.
        self.reader: AsyncConnection | None = None
        #: Where the connection goes back to.
        self.readers = readers

    async def release(self) -> None:
        """Give the kept connection back, if nothing took it."""
        conn, self.reader = self.reader, None
        if conn is not None:
            await self.readers.give(conn)


@asynccontextmanager
async def _lent(
    readers: Readers, conn: AsyncConnection | None = None
) -> AsyncIterator[AsyncConnection]:
    """``conn``, or one taken from ``readers``, given back when the block ends."""
    if conn is None:
        conn = await readers.take()
    try:
        yield conn
    finally:
        await readers.give(conn)


@dataclass
class Runtime:
    settings: Settings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    storage: Storage
    #: The same pool in autocommit mode: reads need no BEGIN/ROLLBACK round trips.
    reader: AsyncEngine
    #: Encryption at rest and HMACs (``GENIE_SECRET_KEY``).
    crypto: Crypto
    #: The background job worker; ``jobs.wake()`` after committing new jobs.
    jobs: Worker = field(init=False)
    #: Failure rate limits (sign-ins, bad credentials), counted in the database.
    limiter: RateLimiter = field(init=False)
    #: This process's Prometheus metrics (``GET /metrics``).
    metrics: Metrics = field(init=False)
    #: Autocommit connections kept between requests (:mod:`genie.readers`).
    readers: Readers = field(init=False)

    def __post_init__(self) -> None:
        keep = 0 if is_sqlite(self.settings.database_url) else self.settings.pool_size // 2
        self.readers = Readers(self.reader, keep, writer=self.engine)
        self.metrics = Metrics()
        self.metrics.watch_pool(self.engine, lambda: self.readers.idle)
        self.jobs = Worker(self)
        self.limiter = RateLimiter(self.reader)
        # Unfinished multipart uploads are recorded in the queue (genie.uploads).
        self.storage.guard_uploads(QueueGuard(self))

    @classmethod
    def build(cls, settings: Settings) -> Runtime:
        engine, reader = create_engines(settings.database_url, pool_size=settings.pool_size)
        return cls(
            settings=settings,
            engine=engine,
            sessions=sessionmaker_for(engine),
            storage=from_settings(settings),
            reader=reader,
            crypto=Crypto.from_settings(settings),
        )

    async def close(self) -> None:
        await self.jobs.stop(self.settings.shutdown_grace)
        await self.storage.close()
        await self.readers.close()
        await self.engine.dispose()

    async def database_ok(self) -> bool:
        """Whether the database answers a query within :data:`PROBE_TIMEOUT`."""
        return await _probe("database", self._ping)

    async def storage_ok(self) -> bool:
        """Whether the storage backend answers within :data:`PROBE_TIMEOUT`."""
        return await _probe("storage", self.storage.probe)

    async def _ping(self) -> None:
        async with self.reader.connect() as conn:
            await ping(conn)

    @asynccontextmanager
    async def auth_reader(self, scope: MutableMapping[str, Any]) -> AsyncIterator[AsyncConnection]:
        """An autocommit connection for the authentication's look-up.

        It stays open for the request's first :meth:`read` only when the request
        has no body to wait for (GET, HEAD); the operation releases it before the
        response is sent, :class:`RuntimeMiddleware` at the end at the latest.
        """
        state: RequestState | None = scope.get(STATE_KEY)
        conn = await self.readers.take()
        try:
            yield conn
        except BaseException:
            await self.readers.give(conn)
            raise
        if state is None or state.reader is not None or scope["method"] not in _BODILESS:
            await self.readers.give(conn)
        else:
            state.reader = conn

    def transaction(self) -> AbstractAsyncContextManager[AsyncConnection]:
        """A write transaction (:data:`genie.db.WRITE_ISOLATION`), committed when the
        block ends, on a kept connection where there is one (:mod:`genie.readers`)."""
        return self.readers.transaction()

    def read(self, scope: MutableMapping[str, Any]) -> AbstractAsyncContextManager[AsyncConnection]:
        """An autocommit connection for reads, given back when the block ends: the
        one the authentication kept, if no read took it yet, else another."""
        state: RequestState | None = scope.get(STATE_KEY)
        if state is not None and state.reader is not None:
            conn, state.reader = state.reader, None
            return _lent(self.readers, conn)
        return _lent(self.readers)


async def _probe(what: str, check: Callable[[], Awaitable[None]]) -> bool:
    try:
        async with asyncio.timeout(PROBE_TIMEOUT):
            await check()
    except Exception as exc:
        log.warning("probe: %s unreachable: %s", what, type(exc).__name__)
        return False
    return True


def from_scope(scope: MutableMapping[str, Any]) -> Runtime:
    runtime: Runtime = scope[SCOPE_KEY]
    return runtime


class RuntimeMiddleware:
    def __init__(self, app: ASGIApp, runtime: Runtime) -> None:
        self.app = app
        self.runtime = runtime

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        scope[SCOPE_KEY] = self.runtime
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        state = scope[STATE_KEY] = RequestState(self.runtime.readers)
        try:
            await self.app(scope, receive, send)
        finally:
            await state.release()
