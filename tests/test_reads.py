"""``models.reads``: a hot read gives the same rows whichever way it runs.

On PostgreSQL an autocommit connection runs it as an asyncpg prepared statement;
a session's transaction, and SQLite, run it through SQLAlchemy. The rows must be
equal label by label (timestamps aware and UTC), and a prepared read inside a
transaction must not escape it.
"""

from __future__ import annotations

import asyncio
import contextlib
from datetime import UTC

from sqlalchemy import bindparam, func, select, update

from models import objects
from models.reads import Read
from models.users import _CALLER, User, hash_token
from tests.conftest import Env


async def _seed(env: Env, name: str) -> tuple[int, str]:
    account = await env.account()
    for i in range(3):
        response = await env.client.post(
            "/djinn/objects", params={"name": f"{name}{i}"}, content=b"hello", headers=account.auth
        )
        assert response.status_code == 201, response.text
    return account.user.id, account.token


async def test_prepared_and_sqlalchemy_rows_are_equal(env: Env) -> None:
    user_id, token = await _seed(env, "same")
    listing = objects.visible_objects(user_id)
    assert listing.prepared is not None
    params = {**listing.params, "limit": 26, "offset": 0}
    async with env.runtime.reader.connect() as conn:
        prepared = [dict(r) for r in await listing.prepared.all(conn, params)]
        plain = [dict(r._mapping) for r in await conn.execute(listing.page, params)]
        caller = await Read(_CALLER).first(conn, {"token_hash": hash_token(token)})
    assert [r["name"] for r in prepared] == ["same0", "same1", "same2"]
    assert prepared == plain
    assert all(r["created_at"].utcoffset() == UTC.utcoffset(None) for r in prepared)
    assert caller is not None and caller["id"] == user_id


async def test_a_missing_row_is_none(env: Env) -> None:
    async with env.runtime.reader.connect() as conn:
        assert await Read(_CALLER).first(conn, {"token_hash": hash_token("nobody")}) is None


async def test_in_a_transaction_the_read_runs_inside_it(pg: Env) -> None:
    """On a connection that is not autocommit the transaction is begun (its
    ``BEGIN`` sent) before the prepared read: ``now()`` (the transaction's start)
    is then the same in the read and in the next statement. Run before the BEGIN,
    the read would see an earlier ``now()``."""
    clock = Read(select(func.now().label("now")))
    async with pg.runtime.engine.connect() as conn:
        read = await clock.first(conn, {})
        await asyncio.sleep(0.01)
        after = await conn.scalar(select(func.now()))
        await conn.rollback()
    assert read is not None and read["now"] == after
    async with pg.runtime.reader.connect() as conn:  # autocommit: each statement its own
        read = await clock.first(conn, {})
        await asyncio.sleep(0.01)
        assert read is not None and read["now"] < await conn.scalar(select(func.now()))


async def test_a_prepared_write_commits_and_rolls_back_with_its_transaction(pg: Env) -> None:
    """A write run as a prepared statement belongs to SQLAlchemy's transaction: its
    commit keeps it, its rollback (the block raised) undoes it."""
    account = await pg.account()
    rename = Read(
        update(User.__table__)
        .where(User.__table__.c.id == bindparam("id"))
        .values(email=bindparam("email"))
    )
    email = Read(select(User.__table__.c.email).where(User.__table__.c.id == bindparam("id")))
    user_id = account.user.id
    with contextlib.suppress(RuntimeError):
        async with pg.runtime.engine.begin() as conn:
            await rename.execute(conn, {"id": user_id, "email": "undone@example.com"})
            raise RuntimeError("roll back")
    async with pg.runtime.reader.connect() as conn:
        assert await email.scalar(conn, {"id": user_id}) == account.user.email
    async with pg.runtime.engine.begin() as conn:
        await rename.execute(conn, {"id": user_id, "email": "kept@example.com"})
    async with pg.runtime.reader.connect() as conn:
        assert await email.scalar(conn, {"id": user_id}) == "kept@example.com"
