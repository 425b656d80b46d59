from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
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
from models.build_parts import BuildTag
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


#: Which of the four build filters apply.
Shape = tuple[bool, bool, bool, bool]


@dataclass(frozen=True)
class BuildFilters:
    """The filters every list of builds takes: ``tag`` (exactly), ``search`` (a tag
    containing the text), ``status`` (``passed`` also matches
    ``passed_with_failures``) and ``pinned`` (only pinned ones when true)."""

    tag: str | None = None
    search: str | None = None
    status: str | None = None
    pinned: bool | None = None

    @property
    def shape(self) -> Shape:
        """Which filters apply: the statement depends on this, the values are bound."""
        return bool(self.tag), bool(self.search), bool(self.status), bool(self.pinned)

    def params(self) -> dict[str, Any]:
        """The values :func:`build_where`'s statement binds."""
        bound: dict[str, Any] = {}
        if self.tag:
            bound["tag"] = self.tag
        if self.search:
            bound["search"] = self.search
        if self.status:
            passed = self.status == "passed"
            bound["statuses"] = ["passed", "passed_with_failures"] if passed else [self.status]
        return bound


@cache
def build_where(shape: Shape) -> list[ColumnElement[bool]]:
    builds, tags = Build.__table__, BuildTag.__table__
    tagged = select(tags.c.build_id)
    clauses = (
        builds.c.id.in_(tagged.where(tags.c.name == bindparam("tag"))),
        builds.c.id.in_(tagged.where(tags.c.name.contains(bindparam("search")))),
        builds.c.status.in_(bindparam("statuses", expanding=True)),
        builds.c.pinned.is_(True),
    )
    return [clause for clause, on in zip(clauses, shape, strict=True) if on]


@cache
def _filtered(keys: Select[Any], shape: Shape) -> tuple[Select[Any], Select[Any]]:
    return listing_statements(keys.where(*build_where(shape)), build_page)


def build_listing(keys: Select[Any], params: dict[str, Any], filters: BuildFilters) -> Listing:
    """A list of builds: ``keys`` (their ids, ordered; built once) with ``params``,
    narrowed by ``filters``. Each shape of filters is one statement, compiled once."""
    return Listing(*_filtered(keys, filters.shape), {**params, **filters.params()})


def builds_through(links: FromClause, column: str) -> Select[Any]:
    """The keys of the builds a link table ties to one row, by its ``column`` (also
    the bind parameter's name), newest first (for :func:`build_listing`)."""
    builds = Build.__table__
    return (
        select(builds.c.id)
        .join(links, links.c.build_id == builds.c.id)
        .where(links.c[column] == bindparam(column))
        .order_by(builds.c.created_at.desc(), builds.c.id.desc())
    )


_BUILDS_OF_OBJECT = builds_through(BuildObject.__table__, "object_id")


def builds_of(object_id: int, filters: BuildFilters) -> Listing:
    """Builds the object was placed on, newest first."""
    return build_listing(_BUILDS_OF_OBJECT, {"object_id": object_id}, filters)
