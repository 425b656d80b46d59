from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    ForeignKey,
    Index,
    Select,
    String,
    delete,
    exists,
    select,
    text,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, joinedload, mapped_column, relationship

from models.base import Base, UTCDateTime, utcnow
from models.builds import Build, BuildObject
from models.namespaces import Namespace
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

    author: Mapped[User] = relationship(foreign_keys=[author_id], lazy="raise")
    user: Mapped[User] = relationship(foreign_keys=[user_id], lazy="raise")
    namespace: Mapped[Namespace | None] = relationship(lazy="raise")


def _with_relations(stmt: Select[Any]) -> Select[Any]:
    return stmt.options(
        joinedload(Object.author),
        joinedload(Object.user),
        joinedload(Object.namespace).joinedload(Namespace.user),
    )


def _like_pattern(search: str) -> str:
    escaped = search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def visible_objects(user_id: int, search: str | None = None) -> Select[Any]:
    """The caller's objects ordered by name, optionally filtered by a name substring."""
    stmt = select(Object).where(Object.user_id == user_id)
    if search:
        stmt = stmt.where(Object.name.ilike(_like_pattern(search), escape="\\"))
    return _with_relations(stmt.order_by(Object.name, Object.id))


async def get_visible(session: AsyncSession, object_id: int, user_id: int) -> Object | None:
    """The object, if the caller may see it; ``None`` when it is missing or not theirs."""
    stmt = _with_relations(select(Object).where(Object.id == object_id, Object.user_id == user_id))
    obj: Object | None = (await session.execute(stmt)).scalars().first()
    return obj


async def name_taken(
    session: AsyncSession, user_id: int, namespace_id: int | None, name: str
) -> bool:
    cond: ColumnElement[bool]
    if namespace_id is None:
        cond = (Object.user_id == user_id) & Object.namespace_id.is_(None)
    else:
        cond = Object.namespace_id == namespace_id
    return bool(await session.scalar(select(exists().where(cond, Object.name == name))))


async def insert(session: AsyncSession, obj: Object) -> Object:
    """Insert the object; raise :class:`NameTaken` when the unique name rule refuses it.

    The caller's transaction must be rolled back after :class:`NameTaken`.
    """
    session.add(obj)
    try:
        await session.flush()
    except IntegrityError as exc:
        if "name" in str(exc.orig):
            raise NameTaken(obj.name) from None
        raise
    stmt = _with_relations(select(Object).where(Object.id == obj.id))
    result = await session.execute(stmt, execution_options={"populate_existing": True})
    loaded: Object = result.scalar_one()
    return loaded


async def remove(session: AsyncSession, obj: Object) -> None:
    await session.execute(delete(Object).where(Object.id == obj.id))


def builds_of(object_id: int) -> Select[Any]:
    """Builds the object was placed on, newest first."""
    return (
        select(Build)
        .options(joinedload(Build.user), joinedload(Build.namespace).joinedload(Namespace.user))
        .join(BuildObject, BuildObject.build_id == Build.id)
        .where(BuildObject.object_id == object_id)
        .order_by(Build.created_at.desc(), Build.id.desc())
    )
