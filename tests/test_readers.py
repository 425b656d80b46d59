"""Autocommit connections kept between requests (genie.readers), on real PostgreSQL."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from genie.db import create_engines
from genie.metrics import Metrics
from genie.readers import Readers


@pytest.fixture
async def engines(pg_url: str) -> AsyncIterator[tuple[AsyncEngine, AsyncEngine]]:
    engine, reader = create_engines(pg_url, pool_size=2)
    try:
        yield engine, reader
    finally:
        await engine.dispose()


@pytest.fixture
async def table(engines: tuple[AsyncEngine, AsyncEngine]) -> AsyncIterator[str]:
    """An empty table of one integer column, dropped after the test."""
    _, reader = engines
    name = f"readers_probe_{secrets.token_hex(3)}"
    async with reader.connect() as conn:
        await conn.execute(text(f"CREATE TABLE {name} (v int)"))
    yield name
    async with reader.connect() as conn:
        await conn.execute(text(f"DROP TABLE {name}"))


@pytest.fixture
async def readers_of(
    engines: tuple[AsyncEngine, AsyncEngine],
) -> AsyncIterator[Callable[[int], Readers]]:
    """Readers over the test's pool, keeping so many; after the test each is closed
    and every connection must be back in the pool."""
    engine, reader = engines
    made: list[Readers] = []

    def make(keep: int) -> Readers:
        made.append(Readers(reader, keep, writer=engine))
        return made[-1]

    yield make
    for readers in made:
        await readers.close()
    assert _out(reader) == 0


def _out(engine: AsyncEngine) -> int:
    pool: Any = engine.sync_engine.pool
    return int(pool.checkedout())


def _driver(conn: AsyncConnection) -> Any:
    """The asyncpg connection under ``conn``."""
    sync = conn.sync_connection
    assert sync is not None
    return sync.connection.driver_connection


async def _pid(conn: AsyncConnection) -> int:
    return int((await conn.execute(text("SELECT pg_backend_pid()"))).scalar_one())


async def test_a_given_connection_is_taken_again_without_a_checkout(
    engines: tuple[AsyncEngine, AsyncEngine], readers_of: Callable[[int], Readers]
) -> None:
    _, reader = engines
    readers = readers_of(1)
    first = await readers.take()
    await readers.give(first)
    assert readers.idle == 1
    assert _out(reader) == 1  # kept: still out of the pool, idle here
    again = await readers.take()
    assert again is first
    await readers.give(again)


async def test_a_connection_sqlalchemy_began_a_transaction_on_goes_back(
    engines: tuple[AsyncEngine, AsyncEngine], readers_of: Callable[[int], Readers]
) -> None:
    _, reader = engines
    readers = readers_of(1)
    conn = await readers.take()
    await conn.execute(text("SELECT 1"))
    assert conn.in_transaction()
    await readers.give(conn)
    assert readers.idle == 0
    assert _out(reader) == 0


async def test_a_connection_the_server_closed_is_never_handed_out(
    engines: tuple[AsyncEngine, AsyncEngine], readers_of: Callable[[int], Readers]
) -> None:
    engine, _ = engines
    readers = readers_of(1)
    kept = await readers.take()
    pid = await _pid(kept)
    await kept.rollback()  # end SQLAlchemy's autobegun transaction: keepable again
    await readers.give(kept)
    assert readers.idle == 1
    async with engine.begin() as admin:
        await admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    driver = _driver(kept)
    for _ in range(200):  # asyncpg sees the socket close when the loop reads it
        if driver.is_closed():
            break
        await asyncio.sleep(0.01)
    assert driver.is_closed()
    fresh = await readers.take()
    assert fresh is not kept
    assert await _pid(fresh) != pid
    await fresh.rollback()
    await readers.give(fresh)


async def test_at_most_keep_are_kept(
    engines: tuple[AsyncEngine, AsyncEngine], readers_of: Callable[[int], Readers]
) -> None:
    _, reader = engines
    readers = readers_of(1)
    one, two = await readers.take(), await readers.take()
    await readers.give(one)
    await readers.give(two)
    assert readers.idle == 1
    assert _out(reader) == 1


async def test_one_is_kept_only_while_the_pool_could_serve_another(
    engines: tuple[AsyncEngine, AsyncEngine], readers_of: Callable[[int], Readers]
) -> None:
    """With the pool's two connections out, the first given goes back to the pool
    (a write would otherwise open an overflow connection); the second is kept."""
    engine, reader = engines
    readers = readers_of(2)
    one, two = await readers.take(), await readers.take()
    assert _out(reader) == 2
    await readers.give(one)
    assert readers.idle == 0
    await readers.give(two)
    assert readers.idle == 1
    async with engine.begin() as conn:  # a write gets the pool's idle connection
        assert await _pid(conn) > 0
        assert _out(reader) == 2


async def test_the_pool_gauge_counts_only_connections_in_use(
    engines: tuple[AsyncEngine, AsyncEngine], readers_of: Callable[[int], Readers]
) -> None:
    _, reader = engines
    readers = readers_of(1)
    metrics = Metrics()
    metrics.watch_pool(reader, lambda: readers.idle)
    conn = await readers.take()
    assert metrics.registry.get_sample_value("genie_db_pool_in_use") == 1
    await readers.give(conn)
    assert readers.idle == 1
    assert metrics.registry.get_sample_value("genie_db_pool_in_use") == 0


async def _scalar(conn: AsyncConnection, sql: str) -> object:
    return (await conn.execute(text(sql))).scalar()


async def test_a_transaction_commits_on_a_kept_connection_then_reads_autocommit(
    engines: tuple[AsyncEngine, AsyncEngine], readers_of: Callable[[int], Readers], table: str
) -> None:
    _, reader = engines
    readers = readers_of(1)
    kept = await readers.take()
    await readers.give(kept)
    async with readers.transaction() as conn:
        assert conn is kept
        assert await _scalar(conn, "SHOW transaction_isolation") == "read committed"
        await conn.execute(text(f"INSERT INTO {table} VALUES (1)"))
        assert _driver(conn).is_in_transaction()
    assert readers.idle == 1
    again = await readers.take()
    assert again is kept
    driver = _driver(again)
    await driver.execute(f"INSERT INTO {table} VALUES (2)")
    assert not driver.is_in_transaction()  # autocommit again: the row is there
    await readers.give(again)
    async with reader.connect() as other:
        assert await _scalar(other, f"SELECT sum(v) FROM {table}") == 3


async def test_a_transaction_that_raises_leaves_nothing(
    engines: tuple[AsyncEngine, AsyncEngine], readers_of: Callable[[int], Readers], table: str
) -> None:
    _, reader = engines
    readers = readers_of(1)
    with pytest.raises(RuntimeError):
        async with readers.transaction() as conn:
            await conn.execute(text(f"INSERT INTO {table} VALUES (1)"))
            async with conn.begin_nested():  # savepoints work as in any transaction
                await conn.execute(text(f"INSERT INTO {table} VALUES (2)"))
            raise RuntimeError("the write fails after its inserts")
    async with reader.connect() as conn:
        assert await _scalar(conn, f"SELECT count(*) FROM {table}") == 0
    assert readers.idle == 1  # rolled back, autocommit again, kept


async def test_without_kept_connections_a_transaction_is_the_writers(
    engines: tuple[AsyncEngine, AsyncEngine], readers_of: Callable[[int], Readers]
) -> None:
    _, reader = engines
    readers = readers_of(0)
    async with readers.transaction() as conn:
        assert await _scalar(conn, "SHOW transaction_isolation") == "read committed"
        assert conn.in_transaction()
    assert readers.idle == 0
    assert _out(reader) == 0


async def test_a_write_cancelled_mid_statement_leaves_nothing(
    readers_of: Callable[[int], Readers], table: str
) -> None:
    """A request cancelled inside its transaction (a client gone, a node stopping):
    the row is not kept, and no connection goes back still in the transaction."""
    readers = readers_of(1)
    started = asyncio.Event()

    async def write() -> None:
        async with readers.transaction() as conn:
            await conn.execute(text(f"INSERT INTO {table} VALUES (1)"))
            started.set()
            await conn.execute(text("SELECT pg_sleep(5)"))

    task = asyncio.create_task(write())
    await started.wait()
    await asyncio.sleep(0.1)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    for _ in range(3):  # every connection handed out afterwards is clean
        conn = await readers.take()
        assert not _driver(conn).is_in_transaction()
        assert await _scalar(conn, f"SELECT count(*) FROM {table}") == 0
        await conn.rollback()
        await readers.give(conn)
