"""Database URLs and engines.

One URL setting serves two drivers: the server's async engine (asyncpg on
PostgreSQL, aiosqlite on SQLite) and the synchronous paths, alembic and the CLI
(psycopg2 on PostgreSQL, the standard sqlite3 module on SQLite). A plain
``postgresql://`` or ``sqlite:///`` URL works for both.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, create_engine, event
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


def create_async(url: str, *, pool_size: int = 10) -> AsyncEngine:
    target = async_url(url)
    if is_sqlite(target):
        engine = create_async_engine(target)
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    return create_async_engine(
        target, pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=True
    )


def create_sync(url: str) -> Engine:
    target = sync_url(url)
    engine = create_engine(target)
    if is_sqlite(target):
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def sessionmaker_for(engine: AsyncEngine) -> async_sessionmaker:
    return async_sessionmaker(engine, expire_on_commit=False)
