"""Database URLs and engines.

One URL setting serves two drivers: the server's async engine (asyncpg on
PostgreSQL, aiosqlite on SQLite) and the synchronous paths, alembic and the CLI
(psycopg2 on PostgreSQL, the standard sqlite3 module on SQLite). A plain
``postgresql://`` or ``sqlite:///`` URL works for both.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy import exc as sa
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine

ASYNC_DRIVERS = {"postgresql": "asyncpg", "sqlite": "aiosqlite"}
SYNC_DRIVERS = {"postgresql": "psycopg2", "sqlite": "pysqlite"}


def _with_driver(url: str | URL, drivers: dict[str, str]) -> URL:
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "postgres":
        backend = "postgresql"
    if backend not in drivers:
        raise ValueError(f"unsupported database {backend!r}: use postgresql:// or sqlite:///")
    return parsed.set(drivername=f"{backend}+{drivers[backend]}")


def async_url(url: str | URL) -> URL:
    return _with_driver(url, ASYNC_DRIVERS)


def sync_url(url: str | URL) -> URL:
    return _with_driver(url, SYNC_DRIVERS)


def is_sqlite(url: str | URL) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


#: The isolation of genie's transactions on PostgreSQL: its default, the one genie's
#: statements are written for.
WRITE_ISOLATION = "READ COMMITTED"


def create_engines(url: str, *, pool_size: int = 10) -> tuple[AsyncEngine, AsyncEngine]:
    """The engine for transactions and the autocommit engine for reads, over one pool.

    On PostgreSQL the pool's connections are autocommit from the moment they
    connect, and the transactional engine asks for :data:`WRITE_ISOLATION` on each
    checkout. SQLAlchemy sets a connection's isolation on checkout and resets it on
    return whenever an engine's level differs from the pool's: about a twentieth of
    a list request's CPU (bench/README.md), now paid by writes, which are fewer and
    slower, instead of by every read. On SQLite the reads' engine is the view.
    """
    target = async_url(url)
    if is_sqlite(target):
        engine = create_async_engine(target)
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine, engine.execution_options(isolation_level="AUTOCOMMIT")
    base = create_async_engine(
        target, pool_size=pool_size, max_overflow=pool_size, isolation_level="AUTOCOMMIT"
    )
    event.listen(base.sync_engine.pool, "checkout", _alive_on_checkout)
    return base.execution_options(isolation_level=WRITE_ISOLATION), base


def _alive_on_checkout(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
    """Refuse a pooled connection the server has closed (a restart, a terminated
    backend): the pool then drops every connection older than now and opens a new one.

    This replaces ``pool_pre_ping``, whose ping on asyncpg is three round trips
    (``BEGIN``, ``;``, ``ROLLBACK``) per checkout: about a fifth of a list
    request's CPU (bench/README.md). A server that closes a connection closes its
    socket, which asyncpg notices as soon as the event loop reads it; a
    connection lost mid-query is invalidated with the pool's older ones by
    SQLAlchemy itself (:mod:`genie.outage` answers that request 503).
    """
    if dbapi_connection.driver_connection.is_closed():
        raise sa.InvalidatePoolError("the server closed the connection")


def create_sync(url: str) -> Engine:
    target = sync_url(url)
    engine = create_engine(target)
    if is_sqlite(target):
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def sessionmaker_for(engine: AsyncEngine) -> async_sessionmaker:
    return async_sessionmaker(engine, expire_on_commit=False)
