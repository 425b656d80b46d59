from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    ForeignKey,
    Index,
    Row,
    Select,
    String,
    Subquery,
    Table,
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
from models.builds import Build, BuildObject
from models.namespaces import like_pattern
from models.rows import Listing, NamespaceJoin, listing_statements, user_columns
from models.users import User


class NameTaken(Exception):
    """The object name is already used by this owner (or in this namespace)."""


class Object(Base):
    __tablename__ = "objects"
    __table_args__ = (
        # Uniqueness: per namespace for namespaced objects, per owner for personal ones.
        Index(
            "uq_objects_namespace_id_name",
            "namespace_id",
            "name",
            unique=True,
            postgresql_where=text("namespace_id IS NOT NULL"),
            sqlite_where=text("namespace_id IS NOT NULL"),
        ),
        Index(
            "uq_objects_user_id_name",
            "user_id",
            "name",
            unique=True,
            postgresql_where=text("namespace_id IS NULL"),
            sqlite_where=text("namespace_id IS NULL"),
        ),
        # The list: WHERE user_id = ? ORDER BY name.
        Index("ix_objects_user_id_name_id", "user_id", "name", "id"),
        Index("ix_objects_author_id", "author_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    namespace_id: Mapped[int | None] = mapped_column(
        ForeignKey("namespaces.id", ondelete="SET NULL")
    )
    #: Storage key of the file; never shown.
    hash: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(255))
    type: Mapped[str] = mapped_column(String(255))
    size: Mapped[int] = mapped_column(BigInteger)
    md5: Mapped[str] = mapped_column(String(32))
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


_objects: Table = Object.__table__  # type: ignore[assignment]
access.register_resource("objects", _objects, "name")
_author = User.__table__.alias("author")
_owner = User.__table__.alias("owner")


def _object_rows() -> Select[Any]:
    """Objects with their author, owner and namespace, as flat labelled rows.

    Reads use Core rows rather than ORM instances, and the statement is built
    once: requests only add their WHERE clauses.
    """
    ns = NamespaceJoin()
    return select(
        _objects.c.id,
        _objects.c.author_id,
        _objects.c.user_id,
        _objects.c.namespace_id,
        _objects.c.hash,
        _objects.c.name,
        _objects.c.type,
        _objects.c.size,
        _objects.c.md5,
        _objects.c.sha256,
        _objects.c.created_at,
        *user_columns(_author, "author"),
        *user_columns(_owner, "user"),
        *ns.columns,
    ).select_from(
        ns.join(
            _objects.join(_author, _author.c.id == _objects.c.author_id).join(
                _owner, _owner.c.id == _objects.c.user_id
            ),
            _objects.c.namespace_id,
        )
    )


OBJECT_ROWS = _object_rows()


def _object_page(keys: Subquery) -> Select[Any]:
    return OBJECT_ROWS.join(keys, keys.c.id == _objects.c.id).order_by(
        _objects.c.name, _objects.c.id
    )


_BY_NAME = (_objects.c.name, _objects.c.id)
_SEARCH = _objects.c.name.ilike(bindparam("pattern"), escape="\\")
_LISTED = access.listing(_objects, _object_page, "name")
_LISTED_SEARCH = access.listing(_objects, _object_page, "name", where=[_SEARCH])
_IN_NAMESPACE_KEYS = select(_objects.c.id).where(
    _objects.c.namespace_id == bindparam("namespace_id")
)
_IN_NAMESPACE = listing_statements(_IN_NAMESPACE_KEYS.order_by(*_BY_NAME), _object_page)
_IN_NAMESPACE_SEARCH = listing_statements(
    _IN_NAMESPACE_KEYS.where(_SEARCH).order_by(*_BY_NAME), _object_page
)
_READABLE = OBJECT_ROWS.where(_objects.c.id == bindparam("id"), access.readable(_objects))
_WRITABLE = OBJECT_ROWS.where(_objects.c.id == bindparam("id"), access.writable(_objects))
_EXISTS_READABLE = select(
    exists().where(_objects.c.id == bindparam("id"), access.readable(_objects))
)


def visible_objects(caller_id: int, search: str | None = None) -> Listing:
    """The caller's objects and those of trees they collaborate on, by name,
    optionally filtered by a name substring."""
    if search:
        return Listing(*_LISTED_SEARCH, {"caller_id": caller_id, "pattern": like_pattern(search)})
    return Listing(*_LISTED, {"caller_id": caller_id})


def in_namespace(namespace_id: int, search: str | None = None) -> Listing:
    """The objects of one namespace, by name."""
    if search:
        return Listing(
            *_IN_NAMESPACE_SEARCH,
            {"namespace_id": namespace_id, "pattern": like_pattern(search)},
        )
    return Listing(*_IN_NAMESPACE, {"namespace_id": namespace_id})


def by_id(object_id: int) -> Select[Any]:
    return OBJECT_ROWS.where(_objects.c.id == object_id)


async def get_visible(
    conn: AsyncConnection | AsyncSession, object_id: int, caller_id: int
) -> Row[Any] | None:
    """The object's row, if the caller may read it; ``None`` when missing or hidden."""
    result = await conn.execute(_READABLE, {"id": object_id, "caller_id": caller_id})
    return result.first()


async def get_writable(
    conn: AsyncConnection | AsyncSession, object_id: int, caller_id: int
) -> Row[Any] | None:
    """The object's row, if the caller may change it (owner or collaborator)."""
    result = await conn.execute(_WRITABLE, {"id": object_id, "caller_id": caller_id})
    return result.first()


async def name_taken(
    session: AsyncSession, user_id: int, namespace_id: int | None, name: str
) -> bool:
    cond: ColumnElement[bool]
    if namespace_id is None:
        cond = (Object.user_id == user_id) & Object.namespace_id.is_(None)
    else:
        cond = Object.namespace_id == namespace_id
    return bool(await session.scalar(select(exists().where(cond, Object.name == name))))


async def insert(session: AsyncSession, obj: Object) -> Row[Any]:
    """Insert the object and return its row; raise :class:`NameTaken` when the unique
    name rule refuses it. The caller's transaction must then be rolled back."""
    session.add(obj)
    try:
        await session.flush()
    except IntegrityError as exc:
        if "name" in str(exc.orig):
            raise NameTaken(obj.name) from None
        raise
    return (await session.execute(by_id(obj.id))).one()


async def remove(conn: AsyncConnection | AsyncSession, object_id: int) -> str | None:
    """Delete the object; its storage hash, or ``None`` when it was already gone."""
    result = await conn.execute(
        delete(_objects).where(_objects.c.id == object_id).returning(_objects.c.hash)
    )
    return result.scalar()


async def exists_visible(conn: AsyncConnection, object_id: int, caller_id: int) -> bool:
    return bool(await conn.scalar(_EXISTS_READABLE, {"id": object_id, "caller_id": caller_id}))


def _build_rows() -> Select[Any]:
    builds = Build.__table__
    owner = User.__table__.alias("build_owner")
    ns = NamespaceJoin()
    return select(builds, *user_columns(owner, "user"), *ns.columns).select_from(
        ns.join(builds.join(owner, owner.c.id == builds.c.user_id), builds.c.namespace_id)
    )


_BUILD_ROWS = _build_rows()


def build_page(keys: Subquery) -> Select[Any]:
    builds = Build.__table__
    return _BUILD_ROWS.join(keys, keys.c.id == builds.c.id).order_by(
        builds.c.created_at.desc(), builds.c.id.desc()
    )


def _builds_of_object() -> tuple[Select[Any], Select[Any]]:
    builds, links = Build.__table__, BuildObject.__table__
    keys = (
        select(builds.c.id)
        .join(links, links.c.build_id == builds.c.id)
        .where(links.c.object_id == bindparam("object_id"))
        .order_by(builds.c.created_at.desc(), builds.c.id.desc())
    )
    return listing_statements(keys, build_page)


_BUILDS_OF_OBJECT = _builds_of_object()


def builds_of(object_id: int) -> Listing:
    """Builds the object was placed on, newest first."""
    return Listing(*_BUILDS_OF_OBJECT, {"object_id": object_id})
