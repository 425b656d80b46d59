from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UTCDateTime, utcnow

VISIBILITIES = ("private", "internal", "public")


class Namespace(Base):
    """A node of a namespace tree. The access rules arrive with the namespaces API."""

    __tablename__ = "namespaces"
    __table_args__ = (
        UniqueConstraint("user_id", "path"),
        CheckConstraint("visibility IN ('private', 'internal', 'public')", name="visibility"),
        CheckConstraint("level >= 0 AND level < 20", name="level"),
        Index("ix_namespaces_parent_id", "parent_id"),
        Index("ix_namespaces_root_id", "root_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    root_id: Mapped[int | None] = mapped_column(ForeignKey("namespaces.id", ondelete="CASCADE"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("namespaces.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(32))
    path: Mapped[str] = mapped_column(String(1024))
    description: Mapped[str] = mapped_column(String(255), default="")
    visibility: Mapped[str] = mapped_column(String(16), default="private")
    level: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
