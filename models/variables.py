"""Variables: environment variables that builds get, personal or in a namespace.

A variable's ``key`` is unique per owner (personal variables) or per namespace,
by two partial unique indexes. A **masked** variable keeps its value only as
AES-GCM ciphertext (``encrypted_value``, purpose :data:`VALUE_PURPOSE`) and
``value`` is NULL; an unmasked one keeps the plain ``value`` and no ciphertext.
A check constraint holds that rule. Reads never select the ciphertext: only the
build worker will decrypt it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    ColumnElement,
    ForeignKey,
    Index,
    LargeBinary,
    Row,
    Select,
    String,
    Subquery,
    Table,
    Text,
    bindparam,
    delete,
    exists,
    select,
    text,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from models import access
from models.base import Base, UTCDateTime, utcnow
from models.namespaces import like_pattern
from models.rows import Listing, NamespaceJoin, listing_statements, user_columns
from models.users import User

#: The purpose masked values are encrypted under (``runtime.crypto``).
VALUE_PURPOSE = "variable"
KEY_MAX = 255


class KeyTaken(Exception):
    """The key is already used by this owner (or in this namespace)."""


class Variable(Base):
    __tablename__ = "variables"
    __table_args__ = (
        Index(
            "uq_variables_namespace_id_key",
            "namespace_id",
            "key",
            unique=True,
            postgresql_where=text("namespace_id IS NOT NULL"),
            sqlite_where=text("namespace_id IS NOT NULL"),
        ),
        Index(
            "uq_variables_user_id_key",
            "user_id",
            "key",
            unique=True,
            postgresql_where=text("namespace_id IS NULL"),
            sqlite_where=text("namespace_id IS NULL"),
        ),
        # The list: WHERE user_id = ? ORDER BY key.
        Index("ix_variables_user_id_key_id", "user_id", "key", "id"),
        Index("ix_variables_author_id", "author_id"),
        CheckConstraint(
            "(masked AND value IS NULL AND encrypted_value IS NOT NULL)"
            " OR (NOT masked AND value IS NOT NULL AND encrypted_value IS NULL)",
            name="masked_value",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    namespace_id: Mapped[int | None] = mapped_column(
        ForeignKey("namespaces.id", ondelete="SET NULL")
    )
    key: Mapped[str] = mapped_column(String(KEY_MAX))
    #: The plain value of an unmasked variable; NULL when masked.
    value: Mapped[str | None] = mapped_column(Text, default=None)
    #: AES-GCM ciphertext of a masked value; never read back into a response.
    encrypted_value: Mapped[bytes | None] = mapped_column(LargeBinary, default=None)
    masked: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


_variables: Table = Variable.__table__  # type: ignore[assignment]
access.register_resource("variables", _variables, "key")
_author = User.__table__.alias("author")
_owner = User.__table__.alias("owner")


def _variable_rows() -> Select[Any]:
    """Variables with their author, owner and namespace; never the ciphertext."""
    ns = NamespaceJoin()
    v = _variables
    return select(
        v.c.id,
        v.c.author_id,
        v.c.user_id,
        v.c.namespace_id,
        v.c.key,
        v.c.value,
        v.c.masked,
        v.c.created_at,
        *user_columns(_author, "author"),
        *user_columns(_owner, "user"),
        *ns.columns,
    ).select_from(
        ns.join(
            v.join(_author, _author.c.id == v.c.author_id).join(_owner, _owner.c.id == v.c.user_id),
            v.c.namespace_id,
        )
    )


VARIABLE_ROWS = _variable_rows()


def _variable_page(keys: Subquery) -> Select[Any]:
    return VARIABLE_ROWS.join(keys, keys.c.id == _variables.c.id).order_by(
        _variables.c.key, _variables.c.id
    )


_BY_KEY = (_variables.c.key, _variables.c.id)
_SEARCH = _variables.c.key.ilike(bindparam("pattern"), escape="\\")
_LISTED = access.listing(_variables, _variable_page, "key")
_LISTED_SEARCH = access.listing(_variables, _variable_page, "key", where=[_SEARCH])
_IN_NAMESPACE_KEYS = select(_variables.c.id).where(
    _variables.c.namespace_id == bindparam("namespace_id")
)
_IN_NAMESPACE = listing_statements(_IN_NAMESPACE_KEYS.order_by(*_BY_KEY), _variable_page)
_IN_NAMESPACE_SEARCH = listing_statements(
    _IN_NAMESPACE_KEYS.where(_SEARCH).order_by(*_BY_KEY), _variable_page
)
_READABLE = VARIABLE_ROWS.where(_variables.c.id == bindparam("id"), access.readable(_variables))
_WRITABLE = VARIABLE_ROWS.where(_variables.c.id == bindparam("id"), access.writable(_variables))


def visible_variables(caller_id: int, search: str | None = None) -> Listing:
    """The caller's variables and those of trees they collaborate on, by key,
    optionally only those whose key contains ``search`` (ignoring case)."""
    if search:
        return Listing(*_LISTED_SEARCH, {"caller_id": caller_id, "pattern": like_pattern(search)})
    return Listing(*_LISTED, {"caller_id": caller_id})


def in_namespace(namespace_id: int, search: str | None = None) -> Listing:
    """The variables of one namespace, by key."""
    if search:
        return Listing(
            *_IN_NAMESPACE_SEARCH,
            {"namespace_id": namespace_id, "pattern": like_pattern(search)},
        )
    return Listing(*_IN_NAMESPACE, {"namespace_id": namespace_id})


async def get_visible(
    conn: AsyncConnection | AsyncSession, variable_id: int, caller_id: int
) -> Row[Any] | None:
    """The variable's row if the caller may read it; ``None`` when missing or hidden."""
    result = await conn.execute(_READABLE, {"id": variable_id, "caller_id": caller_id})
    return result.first()


async def get_writable(
    conn: AsyncConnection | AsyncSession, variable_id: int, caller_id: int
) -> Row[Any] | None:
    """The variable's row if the caller may change it (owner or collaborator)."""
    result = await conn.execute(_WRITABLE, {"id": variable_id, "caller_id": caller_id})
    return result.first()


async def key_taken(
    conn: AsyncConnection | AsyncSession, user_id: int, namespace_id: int | None, key: str
) -> bool:
    """Whether ``key`` is used already where a new variable would go (for reporting
    it with other errors; the unique indexes are what enforce it)."""
    v = _variables
    where: ColumnElement[bool]
    if namespace_id is None:
        where = (v.c.user_id == user_id) & v.c.namespace_id.is_(None)
    else:
        where = v.c.namespace_id == namespace_id
    return bool(await conn.scalar(select(exists().where(where, v.c.key == key))))


async def insert(session: AsyncSession, variable: Variable) -> Row[Any]:
    """Insert the variable and return its row; raise :class:`KeyTaken` when a unique
    index refuses it. The caller's transaction must then be rolled back."""
    session.add(variable)
    try:
        await session.flush()
    except IntegrityError as exc:
        if "uq_variables_" in str(exc.orig) or "variables.key" in str(exc.orig):
            raise KeyTaken(variable.key) from None
        raise
    return (await session.execute(VARIABLE_ROWS.where(_variables.c.id == variable.id))).one()


async def remove(conn: AsyncConnection | AsyncSession, variable_id: int) -> bool:
    """Delete the variable; False when it was already gone."""
    result = await conn.execute(
        delete(_variables).where(_variables.c.id == variable_id).returning(_variables.c.id)
    )
    return result.scalar() is not None
