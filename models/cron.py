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
    ForeignKey,
    Index,
    LargeBinary,
    Row,
    String,
    Table,
    Text,
    text,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from genie.schedule import SCHEDULES
from models.base import Base, UTCDateTime, utcnow
from models.objects import BuildFilters, build_listing, builds_through
from models.resources import NamespacedResource
from models.rows import Listing


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
    #: The manifest as written, encrypted, when it held a masked value in plain
    #: text (``manifest`` then shows it as ``xxxxxx``; genie.sealed_manifest).
    sealed_manifest: Mapped[bytes | None] = mapped_column(LargeBinary, default=None)
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
CRON = NamespacedResource(
    _cron,
    label="cron",
    # Reads never select the sealed manifest.
    secret=("sealed_manifest",),
    taken=NameTaken,
    clash_markers=("name",),
)

CRON_ROWS = CRON.rows
#: The caller's cron jobs and those of trees they collaborate on, by name.
visible_cron = CRON.visible
get_visible = CRON.get_visible
get_writable = CRON.get_writable
exists_visible = CRON.exists_visible
#: Whether a name is used where a cron job would go (``other_than``: but by this one).
name_taken = CRON.name_taken
#: Insert a cron job and return its row; :class:`NameTaken` when the unique name
#: rule refuses it (the transaction must then be rolled back).
insert = CRON.insert
remove = CRON.remove


async def change(session: AsyncSession, cron_id: int, values: dict[str, Any]) -> Row[Any]:
    """Apply ``values`` and return the new row; raise :class:`NameTaken` as
    :func:`insert` does."""
    if values:
        try:
            async with session.begin_nested():
                await session.execute(update(_cron).where(_cron.c.id == cron_id).values(**values))
        except IntegrityError as exc:
            if CRON.clashes(exc):
                raise NameTaken(str(values.get("name", ""))) from None
            raise
    return await CRON.row(session, cron_id)


_BUILDS_OF_CRON = builds_through(CronBuild.__table__, "cron_id")


def builds_of(cron_id: int, filters: BuildFilters) -> Listing:
    """Builds the cron job submitted, newest first."""
    return build_listing(_BUILDS_OF_CRON, {"cron_id": cron_id}, filters)
