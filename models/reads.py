"""Hot statements, run as asyncpg prepared statements on the pooled connection.

A :class:`Read` wraps a statement built once in ``models/`` (the SQL stays a
SQLAlchemy statement there). On PostgreSQL it runs the statement's SQL, compiled
once, straight on the asyncpg connection underneath: asyncpg prepares it once per
connection (its own statement cache) and afterwards only binds and executes it.
Rows are asyncpg records. That holds on an autocommit connection (the runtime's
reader) and inside a connection's transaction: there the transaction is begun
first (SQLAlchemy's asyncpg adapter sends ``BEGIN`` only with its first
statement, so it is sent now), and the statement runs inside it; SQLAlchemy
commits or rolls it back as before. On SQLite, and in an ORM session
(whose ``execute`` first flushes its pending changes), the statement runs
through SQLAlchemy, and rows are ``RowMapping``s. Callers read either by label,
``row["author_username"]``. Writes (``INSERT … RETURNING``, ``UPDATE``) run the
same way in a transaction (:meth:`Read.scalar`, :meth:`Read.execute`); an error
is then asyncpg's own, not wrapped by SQLAlchemy.

Why: for a 25-row page, SQLAlchemy's execution context, its greenlet hop, its
result processors (one call per timestamp, 4 per row) and its ``Row`` objects
cost more CPU than the rest of the read (see bench/README.md). The rows are the
same: asyncpg returns ``timestamptz`` as aware UTC datetimes, which is what
``models.base.UTCDateTime`` makes of them. Parameters are bound as given (keys,
strings, integers), without SQLAlchemy's bind processors, so a :class:`Read`
takes only statements whose parameters need none.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Executable
from sqlalchemy.engine import Dialect, RowMapping
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

Executor = AsyncConnection | AsyncSession
#: A row's columns by label: SQLAlchemy's ``RowMapping``, or an asyncpg record.
Fields = RowMapping | Mapping[str, Any]


class _Compiled:
    """The SQL text of a statement for one dialect, and how to order its values."""

    def __init__(self, statement: Executable, dialect: Dialect) -> None:
        compiled = statement.compile(dialect=dialect)  # type: ignore[attr-defined]
        if compiled.literal_execute_params or compiled.post_compile_params:
            raise ValueError("a Read needs a statement whose SQL does not vary with its values")
        self.sql = str(compiled)
        self.names: tuple[str, ...] = tuple(compiled.positiontup or ())
        #: Values the statement binds itself (``literal()``, ``limit(1)``).
        self.fixed = {k: v for k, v in compiled.params.items() if v is not None}

    def args(self, params: Mapping[str, Any]) -> list[Any]:
        fixed, given = self.fixed, params
        return [given[n] if n in given else fixed[n] for n in self.names]


async def _driver(conn: Executor) -> tuple[Any, Dialect] | None:
    """The asyncpg connection under ``conn``, and its dialect, ready for a statement:
    on an autocommit connection as it is; otherwise with SQLAlchemy's transaction
    begun and its ``BEGIN`` sent, so the statement runs inside it. ``None`` on
    another driver (SQLite)."""
    if isinstance(conn, AsyncSession) or conn.dialect.driver != "asyncpg":
        return None  # a session may hold pending ORM changes its execute would flush
    sync = conn.sync_connection
    if sync is not None and not sync.invalidated:
        fairy = sync.connection  # already checked out: no greenlet hop to ask for it
    else:
        fairy = await conn.get_raw_connection()
    adapted: Any = fairy.dbapi_connection
    if adapted is None:
        return None
    if not adapted.autocommit:
        if not conn.in_transaction():
            await conn.begin()  # as SQLAlchemy's autobegin would, so its commit commits
        if adapted._transaction is None:
            await adapted._start_transaction()  # the BEGIN it would send with a statement
    return fairy.driver_connection, conn.dialect


class Read:
    """A statement run as a prepared statement where it can be (module docstring)."""

    def __init__(self, statement: Executable) -> None:
        self.statement = statement
        self._compiled: _Compiled | None = None

    def _for(self, dialect: Dialect) -> _Compiled:
        if self._compiled is None:
            self._compiled = _Compiled(self.statement, dialect)
        return self._compiled

    async def all(self, conn: Executor, params: Mapping[str, Any]) -> Sequence[Fields]:
        found = await _driver(conn)
        if found is None:
            return list((await conn.execute(self.statement, params)).mappings())
        driver, dialect = found
        compiled = self._for(dialect)
        rows: Sequence[Fields] = await driver.fetch(compiled.sql, *compiled.args(params))
        return rows

    async def first(self, conn: Executor, params: Mapping[str, Any]) -> Fields | None:
        found = await _driver(conn)
        if found is None:
            return (await conn.execute(self.statement, params)).mappings().first()
        driver, dialect = found
        compiled = self._for(dialect)
        row: Fields | None = await driver.fetchrow(compiled.sql, *compiled.args(params))
        return row

    async def scalar(self, conn: Executor, params: Mapping[str, Any]) -> Any:
        """The first column of the first row, or None."""
        found = await _driver(conn)
        if found is None:
            return await conn.scalar(self.statement, params)
        driver, dialect = found
        compiled = self._for(dialect)
        return await driver.fetchval(compiled.sql, *compiled.args(params))

    async def execute(self, conn: Executor, params: Mapping[str, Any]) -> None:
        """Run a statement whose rows, if any, are not wanted (an ``UPDATE``)."""
        found = await _driver(conn)
        if found is None:
            await conn.execute(self.statement, params)
            return
        driver, dialect = found
        compiled = self._for(dialect)
        await driver.execute(compiled.sql, *compiled.args(params))
