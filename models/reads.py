"""Hot reads, run as asyncpg prepared statements on the pooled connection.

A :class:`Read` wraps a statement built once in ``models/`` (the SQL stays a
SQLAlchemy statement there). On PostgreSQL, on an autocommit connection (the
runtime's reader), it runs the statement's SQL, compiled once, straight on the
asyncpg connection underneath: asyncpg prepares it once per connection (its own
statement cache) and afterwards only binds and executes it. Rows are asyncpg
records. Everywhere else (SQLite, a session's transaction) the statement runs
through SQLAlchemy, and rows are ``RowMapping``s. Callers read either by label,
``row["author_username"]``.

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
    """The asyncpg connection under ``conn``, and its dialect, when it is safe to
    use directly: an autocommit connection (no transaction that SQLAlchemy would
    have to begin first)."""
    if not isinstance(conn, AsyncConnection) or conn.dialect.driver != "asyncpg":
        return None
    fairy = await conn.get_raw_connection()
    adapted: Any = fairy.dbapi_connection
    if adapted is None or not adapted.autocommit:
        return None
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
