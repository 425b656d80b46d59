"""Cron jobs: a build manifest submitted on a schedule (daily, weekly, monthly).

``next_run`` is the start of the next UTC period (:mod:`genie.schedule`); the
scheduler that submits the builds comes with the builds API, and records each
build it makes in ``cron_builds``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    ColumnElement,
    ForeignKey,
    Index,
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
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from genie.schedule import SCHEDULES
from models import access
from models.base import Base, UTCDateTime, utcnow
from models.builds import Build
from models.namespaces import like_pattern
from models.objects import build_page
from models.rows import Listing, NamespaceJoin, listing_statements, user_columns
from models.users import User


class NameTaken(Exception):
    """The cron name is already used by this owner (or in this namespace)."""


class Cron(Base):
    __tablename__ = "cron"
    __table_args__ = (
        CheckConstraint(
            "schedule IN (" + ", ".join(f"'{s}'" for s in SCHEDULES) + ")", name="schedule"
        ),
        Index(
            "uq_cron_namespace_id_name",
            "namespace_id",
            "name",
            unique=True,
            postgresql_where=text("namespace_id IS NOT NULL"),
            sqlite_where=text("namespace_id IS NOT NULL"),
        ),
        Index(
            "uq_cron_user_id_name",
            "user_id",
            "name",
            unique=True,
            postgresql_where=text("namespace_id IS NULL"),
            sqlite_where=text("namespace_id IS NULL"),
        ),
        Index("ix_cron_user_id_name_id", "user_id", "name", "id"),
        Index("ix_cron_author_id", "author_id"),
        # The scheduler's question: what is due?
        Index("ix_cron_next_run_id", "next_run", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    namespace_id: Mapped[int | None] = mapped_column(
        ForeignKey("namespaces.id", ondelete="SET NULL")
    )
    name: Mapped[str] = mapped_column(String(255))
    schedule: Mapped[str] = mapped_column(String(16))
    #: The normalised YAML (``genie.manifest.Manifest.to_yaml``).
    manifest: Mapped[str] = mapped_column(Text)
    prev_run: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    next_run: Mapped[datetime] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class CronBuild(Base):
    """A build a cron job submitted."""

    __tablename__ = "cron_builds"
    __table_args__ = (Index("ix_cron_builds_cron_id_build_id", "cron_id", "build_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cron_id: Mapped[int] = mapped_column(ForeignKey("cron.id", ondelete="CASCADE"))
    build_id: Mapped[int] = mapped_column(ForeignKey("builds.id", ondelete="CASCADE"), index=True)


_cron: Table = Cron.__table__  # type: ignore[assignment]
access.register_resource("cron", _cron, "name")
_author = User.__table__.alias("author")
_owner = User.__table__.alias("owner")


def _cron_rows() -> Select[Any]:
    ns = NamespaceJoin()
    return select(
        _cron,
        *user_columns(_author, "author"),
        *user_columns(_owner, "user"),
        *ns.columns,
    ).select_from(
        ns.join(
            _cron.join(_author, _author.c.id == _cron.c.author_id).join(
                _owner, _owner.c.id == _cron.c.user_id
            ),
            _cron.c.namespace_id,
        )
    )


CRON_ROWS = _cron_rows()


def _cron_page(keys: Subquery) -> Select[Any]:
    return CRON_ROWS.join(keys, keys.c.id == _cron.c.id).order_by(_cron.c.name, _cron.c.id)


_SEARCH = _cron.c.name.ilike(bindparam("pattern"), escape="\\")
_LISTED = access.listing(_cron, _cron_page, "name")
_LISTED_SEARCH = access.listing(_cron, _cron_page, "name", where=[_SEARCH])
_READABLE = CRON_ROWS.where(_cron.c.id == bindparam("id"), access.readable(_cron))
_WRITABLE = CRON_ROWS.where(_cron.c.id == bindparam("id"), access.writable(_cron))
_EXISTS_READABLE = select(exists().where(_cron.c.id == bindparam("id"), access.readable(_cron)))


def visible_cron(caller_id: int, search: str | None = None) -> Listing:
    """The caller's cron jobs and those of trees they collaborate on, by name."""
    if search:
        return Listing(*_LISTED_SEARCH, {"caller_id": caller_id, "pattern": like_pattern(search)})
    return Listing(*_LISTED, {"caller_id": caller_id})


def by_id(cron_id: int) -> Select[Any]:
    return CRON_ROWS.where(_cron.c.id == cron_id)


async def get_visible(
    conn: AsyncConnection | AsyncSession, cron_id: int, caller_id: int
) -> Row[Any] | None:
    result = await conn.execute(_READABLE, {"id": cron_id, "caller_id": caller_id})
    return result.first()


async def get_writable(
    conn: AsyncConnection | AsyncSession, cron_id: int, caller_id: int
) -> Row[Any] | None:
    result = await conn.execute(_WRITABLE, {"id": cron_id, "caller_id": caller_id})
    return result.first()


async def exists_visible(conn: AsyncConnection, cron_id: int, caller_id: int) -> bool:
    return bool(await conn.scalar(_EXISTS_READABLE, {"id": cron_id, "caller_id": caller_id}))


async def name_taken(
    conn: AsyncConnection | AsyncSession,
    user_id: int,
    namespace_id: int | None,
    name: str,
    *,
    other_than: int | None = None,
) -> bool:
    cond: ColumnElement[bool]
    if namespace_id is None:
        cond = (_cron.c.user_id == user_id) & _cron.c.namespace_id.is_(None)
    else:
        cond = _cron.c.namespace_id == namespace_id
    if other_than is not None:
        cond = cond & (_cron.c.id != other_than)
    return bool(await conn.scalar(select(exists().where(cond, _cron.c.name == name))))


def _name_clash(exc: IntegrityError) -> bool:
    return "name" in str(exc.orig)


async def insert(session: AsyncSession, cron: Cron) -> Row[Any]:
    """Insert the cron job and return its row; raise :class:`NameTaken` when the
    unique name rule refuses it (the transaction must then be rolled back)."""
    session.add(cron)
    try:
        await session.flush()
    except IntegrityError as exc:
        if _name_clash(exc):
            raise NameTaken(cron.name) from None
        raise
    return (await session.execute(by_id(cron.id))).one()


async def change(session: AsyncSession, cron_id: int, values: dict[str, Any]) -> Row[Any]:
    """Apply ``values`` and return the new row; raise :class:`NameTaken` as
    :func:`insert` does."""
    if values:
        try:
            async with session.begin_nested():
                await session.execute(update(_cron).where(_cron.c.id == cron_id).values(**values))
        except IntegrityError as exc:
            if _name_clash(exc):
                raise NameTaken(str(values.get("name", ""))) from None
            raise
    return (await session.execute(by_id(cron_id))).one()


async def remove(conn: AsyncConnection | AsyncSession, cron_id: int) -> bool:
    result = await conn.execute(delete(_cron).where(_cron.c.id == cron_id).returning(_cron.c.id))
    return result.scalar() is not None


def _builds_of_cron() -> tuple[Select[Any], Select[Any]]:
    builds, links = Build.__table__, CronBuild.__table__
    keys = (
        select(builds.c.id)
        .join(links, links.c.build_id == builds.c.id)
        .where(links.c.cron_id == bindparam("cron_id"))
        .order_by(builds.c.created_at.desc(), builds.c.id.desc())
    )
    return listing_statements(keys, build_page)


_BUILDS_OF_CRON = _builds_of_cron()


def builds_of(cron_id: int) -> Listing:
    """Builds the cron job submitted, newest first."""
    return Listing(*_BUILDS_OF_CRON, {"cron_id": cron_id})
