"""One pool, two engines: autocommit reads and READ COMMITTED transactions.

On PostgreSQL the pool's connections are autocommit from the moment they connect
(reads pay no isolation switch on checkout), and the transactional engine asks for
READ COMMITTED on each checkout and gives the connection back autocommit.
"""

from __future__ import annotations

import pytest
from sqlalchemy import text

from genie.db import WRITE_ISOLATION, create_engines


async def _in_transaction(conn: object) -> bool:
    raw = await conn.get_raw_connection()  # type: ignore[attr-defined]
    return bool(raw.driver_connection.is_in_transaction())


async def test_reads_are_autocommit_and_writes_transactions(pg_url: str) -> None:
    engine, reader = create_engines(pg_url, pool_size=1)
    try:
        for _ in range(2):  # the same pooled connection, back and forth
            async with reader.connect() as conn:
                await conn.execute(text("SELECT 1"))
                assert not await _in_transaction(conn)
            async with engine.begin() as conn:
                level = (await conn.execute(text("SHOW transaction_isolation"))).scalar()
                assert level == WRITE_ISOLATION.lower()
                assert await _in_transaction(conn)
        assert engine.sync_engine.pool is reader.sync_engine.pool
        assert engine.sync_engine.pool.checkedout() == 0
    finally:
        await engine.dispose()


async def test_a_rolled_back_write_leaves_nothing(pg_url: str) -> None:
    engine, reader = create_engines(pg_url, pool_size=1)
    table = "engines_probe"
    try:
        async with reader.connect() as conn:
            await conn.execute(text(f"CREATE TABLE IF NOT EXISTS {table} (v int)"))
        with pytest.raises(RuntimeError):
            async with engine.begin() as conn:
                await conn.execute(text(f"INSERT INTO {table} VALUES (1)"))
                raise RuntimeError("the write fails after its insert")
        async with reader.connect() as conn:
            assert (await conn.execute(text(f"SELECT count(*) FROM {table}"))).scalar() == 0
    finally:
        async with reader.connect() as conn:
            await conn.execute(text(f"DROP TABLE IF EXISTS {table}"))
        await engine.dispose()
