"""Autocommit connections kept between requests, for their reads and writes.

Every request's authentication reads its token, and most requests' handlers then
read a page or a row, on one autocommit connection (:class:`genie.runtime.Runtime`).
Checking that connection out of SQLAlchemy's pool and back costs about 33 µs of
CPU (a ``Connection``, two greenlet hops, the pool's events and its reset), more
than the token's look-up itself. :class:`Readers` keeps a few such connections
checked out, idle, between requests: taking one is a list ``pop``, giving it back
an ``append``.

What keeps it honest:

* **Only clean connections are kept.** One that SQLAlchemy began a transaction on
  (a read through ``conn.execute``), closed or invalidated goes back to the pool
  as before; :mod:`models.reads` runs its statements on the driver, outside any.
* **A dead one is never handed out.** A connection the server closed (a restart, a
  terminated backend) is seen by asyncpg as soon as the event loop reads its
  socket; :meth:`Readers.take` drops it, invalidated, and takes the next, and
  :meth:`Readers.give` invalidates one that is closed or still in a transaction.
* **Writes are not starved.** At most :attr:`Readers.keep` are kept, and one is kept
  only while the pool could still hand out another without opening an overflow
  connection: under write load the readers flow back to the pool instead of
  pushing transactions into overflow.
* :meth:`Readers.close` gives them all back before the engine is disposed.

Write transactions use them too (:meth:`Readers.transaction`), so a write
request's token look-up and its transaction share one connection. The
transaction is asyncpg's own (``BEGIN ISOLATION LEVEL READ COMMITTED`` …
``COMMIT``, ``ROLLBACK`` when the block raises) on the connection SQLAlchemy still
sees as autocommit: statements through SQLAlchemy and :mod:`models.reads` alike
run inside it, and ``begin_nested`` savepoints work as in any transaction.
Switching SQLAlchemy's isolation level on the connection and back instead cost a
tenth of a create's CPU (bench/README.md); a checkout from the writing engine,
about as much. A connection given back still inside a transaction (its rollback
failed: the connection lost, or cut mid-statement by a cancelled request) is
invalidated, never pooled: closing it ends the transaction at the server, so an
interrupted write leaves nothing.

The pool counts kept connections as checked out; :attr:`Readers.idle` says how
many of those are idle here (``genie_db_pool_in_use`` subtracts them).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from genie.db import WRITE_ISOLATION

#: :data:`WRITE_ISOLATION` as asyncpg names it.
_ISOLATION = WRITE_ISOLATION.lower().replace(" ", "_")

log = logging.getLogger("genie.readers")


def _driver(conn: AsyncConnection) -> Any:
    """The asyncpg connection under a checked-out ``conn``, or None."""
    sync = conn.sync_connection
    if sync is None or sync.closed or sync.invalidated:
        return None
    return sync.connection.driver_connection


def _alive(conn: AsyncConnection) -> bool:
    """Whether ``conn`` is open, valid, its server end still there, and outside any
    transaction (as an autocommit connection always is, unless a statement was
    cut short)."""
    driver = _driver(conn)
    return driver is not None and not driver.is_closed() and not driver.is_in_transaction()


class Readers:
    """Autocommit connections of ``engine`` kept checked out, idle, between reads."""

    def __init__(self, engine: AsyncEngine, keep: int, writer: AsyncEngine | None = None) -> None:
        self.engine = engine
        #: The transactional engine over the same pool (used when nothing is kept).
        self.writer = writer or engine
        #: The most connections kept idle here.
        self.keep = keep
        self._idle: list[AsyncConnection] = []
        self._pool: Any = engine.sync_engine.pool

    @property
    def idle(self) -> int:
        return len(self._idle)

    async def take(self) -> AsyncConnection:
        """A kept connection, if a live one is idle; else one from the pool."""
        while self._idle:
            conn = self._idle.pop()
            if _alive(conn):
                return conn
            await _discard(conn)
        return await self.engine.connect()

    async def give(self, conn: AsyncConnection) -> None:
        """Keep ``conn`` for the next read, or return it to the pool (module docstring);
        a connection that is not :func:`_alive` goes back invalidated."""
        if not self.keep:  # SQLite: nothing kept, no transaction of the driver's
            await conn.close()
        elif not _alive(conn):
            await _discard(conn)
        elif len(self._idle) < self.keep and not conn.in_transaction() and self._pool_has_room():
            self._idle.append(conn)
        else:
            await conn.close()

    def _pool_has_room(self) -> bool:
        """Whether the pool has a connection, or room for one, besides those out."""
        pool = self._pool
        return bool(pool.checkedout() < pool.size())

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncConnection]:
        """A :data:`WRITE_ISOLATION` transaction on a kept connection, committed when
        the block ends and rolled back if it raises (module docstring). Without
        kept connections (SQLite), a transaction of the writing engine."""
        if not self.keep:
            async with self.writer.begin() as conn:
                yield conn
            return
        conn = await self.take()
        transaction = _driver(conn).transaction(isolation=_ISOLATION)
        try:
            await transaction.start()
            try:
                yield conn
            except BaseException:
                await _roll_back(transaction)
                raise
            await transaction.commit()
        finally:
            if conn.in_transaction() and _alive(conn):
                await conn.rollback()  # SQLAlchemy's own autocommit bookkeeping: no SQL
            await self.give(conn)

    async def close(self) -> None:
        """Return every kept connection to the pool."""
        idle, self._idle = self._idle, []
        for conn in idle:
            await conn.close()


async def _roll_back(transaction: Any) -> None:
    """Roll back after the block raised. If the rollback fails too (the connection
    lost, or closed when its statement was cancelled), the block's own exception
    is the one that goes on, as with SQLAlchemy's transactions; :meth:`Readers.give`
    then drops the connection, and the server ends the transaction with it."""
    try:
        await transaction.rollback()
    except Exception as exc:
        log.warning("readers: the rollback failed too: %s", type(exc).__name__)


async def _discard(conn: AsyncConnection) -> None:
    """Return a dead connection to the pool, invalidated so the pool opens a new one."""
    try:
        if not conn.invalidated:
            await conn.invalidate()
        await conn.close()
    except Exception as exc:  # a dead socket may fail its close; the pool replaces it
        log.debug("readers: discarding a dead connection: %s", type(exc).__name__)
