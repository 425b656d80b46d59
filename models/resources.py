"""The statements every namespaced resource table shares (variables, keys, images,
cron, objects), built once at import time.

Such a table has ``id``, ``author_id``, ``user_id``, ``namespace_id`` and a name
column that is unique per owner (personal rows) or per namespace, ordered by and
searched on. A :class:`NamespacedResource` declared at a module's import builds
its read statements (rows joined with author, owner and namespace; lists; items
as the caller may read or change them) and its checks and writes; a request only
binds values. Columns named ``secret`` are never selected by any read.

Resource modules keep their public names as aliases of the bound methods
(``visible_keys = KEYS.visible``) and their own statements beside them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import (
    ColumnElement,
    FromClause,
    Row,
    Select,
    Subquery,
    Table,
    bindparam,
    delete,
    exists,
    select,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from models import access
from models.namespaces import like_pattern
from models.reads import Read
from models.rows import Listing, NamespaceJoin, listing_statements, user_columns
from models.users import User

Connection = AsyncConnection | AsyncSession


class NamespacedResource:
    """The shared statements and functions of one namespaced resource table.

    ``label`` registers the table with :func:`models.access.register_resource`;
    ``name`` is its unique name column (lists order by it, then ``id``, and
    search it); ``secret`` names columns no read selects. ``extra_columns`` are
    selected after the table's, from what ``join`` adds to the rows' joins (before
    the namespace's). ``returning`` is the column :meth:`delete` returns.
    An insert the unique name rule refuses, recognised by one of
    ``clash_markers`` in the database's message, raises ``taken(name)``.
    ``prepared_lists`` runs :meth:`visible`'s pages as prepared statements
    (:mod:`models.reads`); their rows are then mappings, read by label.
    """

    def __init__(
        self,
        table: Table,
        *,
        label: str,
        taken: type[Exception],
        clash_markers: Sequence[str],
        name: str = "name",
        secret: Sequence[str] = (),
        extra_columns: Sequence[ColumnElement[Any]] = (),
        join: Callable[[FromClause], FromClause] | None = None,
        returning: str = "id",
        prepared_lists: bool = False,
    ) -> None:
        self.table = table
        self.name = name
        self.taken = taken
        self.clash_markers = tuple(clash_markers)
        unknown = set(secret) - set(table.c.keys())
        if unknown:
            # A misspelt secret would be selected: refuse it at import.
            raise ValueError(f"{table.name} has no column {', '.join(sorted(unknown))}")
        access.register_resource(label, table, name)

        self.rows = self._rows(secret, extra_columns, join)
        self._lists(prepared_lists)
        self._items(returning)
        self._names()

    def _lists(self, prepared_lists: bool) -> None:
        """The collection (what the caller owns or shares) and a namespace's
        sub-list, each with and without a name search, by name."""
        t, column = self.table, self.table.c[self.name]
        by_name = (column, t.c.id)
        search = column.ilike(bindparam("pattern"), escape="\\")
        self._listed = access.listing(t, self._page, self.name)
        self._listed_search = access.listing(t, self._page, self.name, where=[search])
        self._prepared = (
            (Read(self._listed[0]), Read(self._listed_search[0])) if prepared_lists else None
        )
        in_namespace = select(t.c.id).where(t.c.namespace_id == bindparam("namespace_id"))
        self._in_namespace = listing_statements(in_namespace.order_by(*by_name), self._page)
        self._in_namespace_search = listing_statements(
            in_namespace.where(search).order_by(*by_name), self._page
        )

    def _items(self, returning: str) -> None:
        """One row by id: as it is, if readable, if writable (optionally locked),
        whether it is readable, and its delete."""
        t = self.table
        by_id = t.c.id == bindparam("id")
        self._by_id = self.rows.where(by_id)
        self._readable = self.rows.where(by_id, access.readable(t))
        self._writable = self.rows.where(by_id, access.writable(t))
        self._writable_locked = self._writable.with_for_update(of=t)
        self._exists_readable = select(exists().where(by_id, access.readable(t)))
        self._delete = delete(t).where(by_id).returning(t.c[returning])

    def _names(self) -> None:
        """Whether a name is used: [in a namespace][other than one row]."""
        t, column = self.table, self.table.c[self.name]
        named = column == bindparam("name")
        personal = (t.c.user_id == bindparam("user_id")) & t.c.namespace_id.is_(None)
        namespaced = t.c.namespace_id == bindparam("namespace_id")
        other = t.c.id != bindparam("other_than")
        self._taken = {
            (False, False): select(exists().where(personal, named)),
            (True, False): select(exists().where(namespaced, named)),
            (False, True): select(exists().where(personal & other, named)),
            (True, True): select(exists().where(namespaced & other, named)),
        }

    def _rows(
        self,
        secret: Sequence[str],
        extra_columns: Sequence[ColumnElement[Any]],
        join: Callable[[FromClause], FromClause] | None,
    ) -> Select[Any]:
        """Rows with their author, owner and namespace, as flat labelled columns."""
        t, ns = self.table, NamespaceJoin()
        author, owner = User.__table__.alias("author"), User.__table__.alias("owner")
        joined: FromClause = t.join(author, author.c.id == t.c.author_id).join(
            owner, owner.c.id == t.c.user_id
        )
        if join is not None:
            joined = join(joined)
        return select(
            *(c for c in t.c if c.name not in secret),
            *extra_columns,
            *user_columns(author, "author"),
            *user_columns(owner, "user"),
            *ns.columns,
        ).select_from(ns.join(joined, t.c.namespace_id))

    def _page(self, keys: Subquery) -> Select[Any]:
        t = self.table
        return self.rows.join(keys, keys.c.id == t.c.id).order_by(t.c[self.name], t.c.id)

    # Lists.

    def visible(self, caller_id: int, search: str | None = None) -> Listing:
        """The caller's rows and those of trees they collaborate on, by name,
        optionally only those whose name contains ``search`` (ignoring case)."""
        prepared = self._prepared or (None, None)
        if search:
            return Listing(
                *self._listed_search,
                {"caller_id": caller_id, "pattern": like_pattern(search)},
                prepared[1],
            )
        return Listing(*self._listed, {"caller_id": caller_id}, prepared[0])

    def in_namespace(self, namespace_id: int, search: str | None = None) -> Listing:
        """The rows of one namespace, by name."""
        if search:
            return Listing(
                *self._in_namespace_search,
                {"namespace_id": namespace_id, "pattern": like_pattern(search)},
            )
        return Listing(*self._in_namespace, {"namespace_id": namespace_id})

    # One row.

    async def get(self, conn: Connection, id: int) -> Row[Any] | None:
        """The row, whoever may see it."""
        return (await conn.execute(self._by_id, {"id": id})).first()

    async def get_visible(
        self, conn: Connection, id: int, caller_id: int | None
    ) -> Row[Any] | None:
        """The row if the caller (``None``: anonymous) may read it; ``None`` when
        missing or hidden."""
        result = await conn.execute(self._readable, {"id": id, "caller_id": caller_id})
        return result.first()

    async def get_writable(
        self, conn: Connection, id: int, caller_id: int, *, lock: bool = False
    ) -> Row[Any] | None:
        """The row if the caller may change it (owner or collaborator).

        ``lock`` holds its row until the transaction ends: a write that read it is
        not undone by a delete that commits in between (the delete waits, or went
        first and the row is not found)."""
        statement = self._writable_locked if lock else self._writable
        result = await conn.execute(statement, {"id": id, "caller_id": caller_id})
        return result.first()

    async def exists_visible(self, conn: Connection, id: int, caller_id: int) -> bool:
        """Whether the row exists and the caller may read it."""
        params = {"id": id, "caller_id": caller_id}
        return bool(await conn.scalar(self._exists_readable, params))

    # Checks and writes.

    async def name_taken(
        self,
        conn: Connection,
        user_id: int,
        namespace_id: int | None,
        name: str,
        *,
        other_than: int | None = None,
    ) -> bool:
        """Whether ``name`` is used already where a row would go (for reporting it
        with other errors; the unique indexes are what enforce it), not counting
        the row ``other_than``."""
        params: dict[str, Any] = {"name": name}
        if namespace_id is None:
            params["user_id"] = user_id
        else:
            params["namespace_id"] = namespace_id
        if other_than is not None:
            params["other_than"] = other_than
        statement = self._taken[namespace_id is not None, other_than is not None]
        return bool(await conn.scalar(statement, params))

    def clashes(self, exc: IntegrityError) -> bool:
        """Whether the unique name rule refused a write."""
        message = str(exc.orig)
        return any(marker in message for marker in self.clash_markers)

    async def add(self, session: AsyncSession, entity: Any) -> None:
        """Add and flush the new row; raise ``taken`` when the unique name rule
        refuses it (the caller's transaction must then be rolled back)."""
        session.add(entity)
        try:
            await session.flush()
        except IntegrityError as exc:
            if self.clashes(exc):
                raise self.taken(getattr(entity, self.name)) from None
            raise

    async def insert(self, session: AsyncSession, entity: Any) -> Row[Any]:
        """:meth:`add` the row and return it as :attr:`rows` reads it."""
        await self.add(session, entity)
        return await self.row(session, entity.id)

    async def row(self, conn: Connection, id: int) -> Row[Any]:
        """The row, which must exist."""
        return (await conn.execute(self._by_id, {"id": id})).one()

    async def delete(self, conn: Connection, id: int) -> Any:
        """Delete the row; its ``returning`` column, or ``None`` when it was gone."""
        return (await conn.execute(self._delete, {"id": id})).scalar()

    async def remove(self, conn: Connection, id: int) -> bool:
        """Delete the row; False when it was already gone."""
        return await self.delete(conn, id) is not None
