"""Builds: the build row, its per-owner number counter, and the objects placed on it.

Numbers are per owner (``user_id``) and gap-free: :func:`next_number` bumps the
owner's row of ``build_counters`` in the submission's transaction (an upsert that
locks the row), so concurrent submissions queue on that one row, and a
submission that rolls back gives its number back. The rest of a build (tags,
variables, keys, jobs, artifacts) is in :mod:`models.build_parts`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
    func,
    select,
    text,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UTCDateTime, utcnow

STATUSES = ("queued", "running", "passed", "passed_with_failures", "failed", "killed", "timed_out")
TERMINAL = ("passed", "passed_with_failures", "failed", "killed", "timed_out")
TRIGGERS = ("manual", "push", "pull", "schedule")


class Build(Base):
    """A CI build."""

    __tablename__ = "builds"
    __table_args__ = (
        UniqueConstraint("user_id", "number"),
        CheckConstraint(
            "status IN ('queued', 'running', 'passed', 'passed_with_failures', 'failed', "
            "'killed', 'timed_out')",
            name="status",
        ),
        # A namespace's builds, newest first (its latest build, its builds list).
        Index("ix_builds_namespace_id_created_at_id", "namespace_id", "created_at", "id"),
        # An owner's builds, newest first (GET /builds).
        Index("ix_builds_user_id_created_at_id", "user_id", "created_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    namespace_id: Mapped[int | None] = mapped_column(
        ForeignKey("namespaces.id", ondelete="SET NULL")
    )
    number: Mapped[int]
    manifest: Mapped[str] = mapped_column(Text)
    #: The manifest as written, encrypted, when it held a masked value in plain
    #: text (``manifest`` then shows it as ``xxxxxx``; genie.sealed_manifest).
    sealed_manifest: Mapped[bytes | None] = mapped_column(LargeBinary, default=None)
    status: Mapped[str] = mapped_column(String(32), default="queued")
    output: Mapped[str | None] = mapped_column(Text, default=None)
    pinned: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    #: Who submitted it (the trigger's user); builds run with their personal secrets.
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
    #: 16 random bytes, hex; never serialised.
    secret: Mapped[str | None] = mapped_column(String(32), default=None)
    driver: Mapped[str | None] = mapped_column(String(16), default=None)
    driver_config: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    trigger_type: Mapped[str | None] = mapped_column(String(16), default=None)
    trigger_comment: Mapped[str | None] = mapped_column(Text, default=None)
    trigger_data: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    #: Set by a kill; the worker running the build polls it.
    kill_requested: Mapped[bool] = mapped_column(default=False, server_default=text("false"))


class BuildCounter(Base):
    """The last build number of each owner."""

    __tablename__ = "build_counters"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    last: Mapped[int]


class BuildObject(Base):
    """An object placed on a build."""

    __tablename__ = "build_objects"
    __table_args__ = (Index("ix_build_objects_object_id_build_id", "object_id", "build_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    build_id: Mapped[int] = mapped_column(ForeignKey("builds.id", ondelete="CASCADE"), index=True)
    object_id: Mapped[int | None] = mapped_column(ForeignKey("objects.id", ondelete="SET NULL"))
    source: Mapped[str] = mapped_column(String(255))
    name: Mapped[str] = mapped_column(String(255))
    placed: Mapped[bool] = mapped_column(default=False)


async def next_number(session: AsyncSession, user_id: int) -> int:
    """The owner's next build number, taken in the session's transaction (the
    counter row stays locked until it ends)."""
    table: Table = BuildCounter.__table__  # type: ignore[assignment]
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    builds: Table = Build.__table__  # type: ignore[assignment]
    # A first build starts after any number already taken (builds made before
    # the counter existed, or written directly).
    first = (
        select(func.coalesce(func.max(builds.c.number), 0) + 1)
        .where(builds.c.user_id == user_id)
        .scalar_subquery()
    )
    statement = (
        insert(table)
        .values(user_id=user_id, last=first)
        .on_conflict_do_update(index_elements=["user_id"], set_={"last": table.c.last + 1})
        .returning(table.c.last)
    )
    number: int = (await session.execute(statement)).scalar_one()
    return number
