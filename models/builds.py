from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UTCDateTime, utcnow

STATUSES = ("queued", "running", "passed", "passed_with_failures", "failed", "killed", "timed_out")


class Build(Base):
    """A CI build. Submission, tags, triggers and jobs arrive with the builds API;
    objects already link to builds through :class:`BuildObject`."""

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
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    namespace_id: Mapped[int | None] = mapped_column(
        ForeignKey("namespaces.id", ondelete="SET NULL")
    )
    number: Mapped[int]
    manifest: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(32), default="queued")
    output: Mapped[str | None] = mapped_column(Text, default=None)
    pinned: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)


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
