from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    ForeignKey,
    FromClause,
    Index,
    Select,
    String,
    Subquery,
    Table,
    bindparam,
    select,
    text,
)
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UTCDateTime, utcnow
from models.builds import Build, BuildObject
from models.resources import NamespacedResource
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
OBJECTS = NamespacedResource(
    _objects,
    label="objects",
    taken=NameTaken,
    clash_markers=("name",),
    returning="hash",
    prepared_lists=True,
)

#: Objects with their author, owner and namespace, as flat labelled rows.
OBJECT_ROWS = OBJECTS.rows
#: The caller's objects and those of trees they collaborate on, by name,
#: optionally filtered by a name substring.
visible_objects = OBJECTS.visible
#: The objects of one namespace, by name.
in_namespace = OBJECTS.in_namespace
get_visible = OBJECTS.get_visible
get_writable = OBJECTS.get_writable
exists_visible = OBJECTS.exists_visible
name_taken = OBJECTS.name_taken
#: Insert the object and return its row; :class:`NameTaken` when the unique name
#: rule refuses it. The caller's transaction must then be rolled back.
insert = OBJECTS.insert


async def remove(conn: AsyncConnection | AsyncSession, object_id: int) -> str | None:
    """Delete the object; its storage hash, or ``None`` when it was already gone."""
    object_hash: str | None = await OBJECTS.delete(conn, object_id)
    return object_hash


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


def builds_through(links: FromClause, column: str) -> tuple[Select[Any], Select[Any]]:
    """``(page, count)`` of the builds a link table ties to one row, by its
    ``column`` (also the bind parameter's name), newest first."""
    builds = Build.__table__
    keys = (
        select(builds.c.id)
        .join(links, links.c.build_id == builds.c.id)
        .where(links.c[column] == bindparam(column))
        .order_by(builds.c.created_at.desc(), builds.c.id.desc())
    )
    return listing_statements(keys, build_page)


_BUILDS_OF_OBJECT = builds_through(BuildObject.__table__, "object_id")


def builds_of(object_id: int) -> Listing:
    """Builds the object was placed on, newest first."""
    return Listing(*_BUILDS_OF_OBJECT, {"object_id": object_id})
