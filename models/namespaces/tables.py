"""The namespace and collaborator tables, and what makes a namespace's name.

Everything else in :mod:`models.namespaces` reads or writes these rows; this
module imports none of it, so each of them can build its statements at import.
"""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Table, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UTCDateTime, utcnow
from models.builds import Build
from models.users import User

VISIBILITIES = ("private", "internal", "public")
#: A tree has at most this many levels: ``level`` runs from 0 (a root) to 19.
MAX_DEPTH = 20
NAME_PATTERN = re.compile(r"^[a-zA-Z0-9]+$")
NAME_MIN, NAME_MAX = 3, 32


class Namespace(Base):
    """A node of a namespace tree."""

    __tablename__ = "namespaces"
    __table_args__ = (
        # Names are unique per owner and parent path: the path holds both.
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


class Collaborator(Base):
    """A user sharing a whole tree: ``namespace_id`` is always a root."""

    __tablename__ = "namespace_collaborators"
    __table_args__ = (
        UniqueConstraint("namespace_id", "user_id"),
        Index("ix_namespace_collaborators_user_id", "user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    namespace_id: Mapped[int] = mapped_column(ForeignKey("namespaces.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class NameTaken(Exception):
    """The owner already has a namespace at this path."""


class NamesClash(Exception):
    """Deleting the subtree would give the owner two personal resources of one name."""

    def __init__(self, clashes: list[str]) -> None:
        super().__init__(", ".join(clashes))
        self.clashes = clashes


def name_problem(name: str) -> str | None:
    """Why ``name`` cannot name a namespace (the reason, without a label), or None."""
    if not NAME_MIN <= len(name) <= NAME_MAX:
        return f"must be between {NAME_MIN} and {NAME_MAX} characters in length"
    if not NAME_PATTERN.fullmatch(name):
        return "can only have letters, and numbers"
    return None


def like_pattern(search: str) -> str:
    escaped = search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


_ns: Table = Namespace.__table__  # type: ignore[assignment]
_collaborators: Table = Collaborator.__table__  # type: ignore[assignment]
_users: Table = User.__table__  # type: ignore[assignment]
_builds: Table = Build.__table__  # type: ignore[assignment]
