"""Invites to collaborate on a namespace tree.

An invite names a namespace (a root or a child); accepting it makes the invitee a
collaborator of the **root**. One pending invite per invitee and tree, enforced by
the unique ``(root_id, invitee_id)``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    ForeignKey,
    Index,
    Row,
    Select,
    Table,
    UniqueConstraint,
    bindparam,
    delete,
    or_,
    select,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UTCDateTime, utcnow
from models.rows import NamespaceJoin, user_columns
from models.users import User


class Invite(Base):
    __tablename__ = "namespace_invites"
    __table_args__ = (
        UniqueConstraint("root_id", "invitee_id"),
        Index("ix_namespace_invites_invitee_id", "invitee_id"),
        Index("ix_namespace_invites_namespace_id", "namespace_id"),
        Index("ix_namespace_invites_inviter_id", "inviter_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    namespace_id: Mapped[int] = mapped_column(ForeignKey("namespaces.id", ondelete="CASCADE"))
    root_id: Mapped[int] = mapped_column(ForeignKey("namespaces.id", ondelete="CASCADE"))
    invitee_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    inviter_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class AlreadyInvited(Exception):
    """The user already has an invite to this tree."""


_invites: Table = Invite.__table__  # type: ignore[assignment]
_users: Table = User.__table__  # type: ignore[assignment]


def _invite_rows() -> Select[Any]:
    invitee = _users.alias("invitee")
    inviter = _users.alias("inviter")
    ns = NamespaceJoin()
    return select(
        _invites.c.id,
        _invites.c.namespace_id,
        _invites.c.root_id,
        _invites.c.invitee_id,
        _invites.c.inviter_id,
        _invites.c.created_at,
        *user_columns(invitee, "invitee"),
        *user_columns(inviter, "inviter"),
        *ns.columns,
    ).select_from(
        ns.join(
            _invites.join(invitee, invitee.c.id == _invites.c.invitee_id).join(
                inviter, inviter.c.id == _invites.c.inviter_id
            ),
            _invites.c.namespace_id,
        )
    )


INVITE_ROWS = _invite_rows()
_FOR_INVITEE = INVITE_ROWS.where(_invites.c.invitee_id == bindparam("user_id")).order_by(
    _invites.c.id
)
_FOR_NAMESPACE = INVITE_ROWS.where(_invites.c.namespace_id == bindparam("namespace_id")).order_by(
    _invites.c.id
)
_BY_ID = INVITE_ROWS.where(_invites.c.id == bindparam("id"))


async def for_invitee(conn: AsyncConnection | AsyncSession, user_id: int) -> list[Row[Any]]:
    """Invites the user received, oldest first."""
    return list((await conn.execute(_FOR_INVITEE, {"user_id": user_id})).all())


async def for_namespace(conn: AsyncConnection | AsyncSession, namespace_id: int) -> list[Row[Any]]:
    """Invites to exactly this namespace, oldest first."""
    return list((await conn.execute(_FOR_NAMESPACE, {"namespace_id": namespace_id})).all())


async def get(conn: AsyncConnection | AsyncSession, invite_id: int) -> Row[Any] | None:
    return (await conn.execute(_BY_ID, {"id": invite_id})).first()


async def user_by_handle(conn: AsyncConnection | AsyncSession, handle: str) -> Row[Any] | None:
    """A live user by username or email."""
    stmt = select(_users.c.id, _users.c.username).where(
        or_(_users.c.username == handle, _users.c.email == handle),
        _users.c.deleted_at.is_(None),
    )
    row: Row[Any] | None = (await conn.execute(stmt)).first()  # type: ignore[assignment]
    return row


async def create(session: AsyncSession, *, namespace: Any, invitee_id: int, inviter_id: int) -> int:
    """Insert an invite and return its id; :class:`AlreadyInvited` when the tree
    already has one for this user (the unique constraint decides)."""
    try:
        async with session.begin_nested():
            invite_id = await session.scalar(
                _invites.insert()
                .values(
                    namespace_id=namespace.id,
                    root_id=namespace.root_id,
                    invitee_id=invitee_id,
                    inviter_id=inviter_id,
                    created_at=utcnow(),
                )
                .returning(_invites.c.id)
            )
    except IntegrityError:
        raise AlreadyInvited() from None
    assert invite_id is not None
    return invite_id


async def remove(session: AsyncSession, invite_id: int) -> bool:
    result = await session.execute(
        delete(_invites).where(_invites.c.id == invite_id).returning(_invites.c.id)
    )
    return result.first() is not None
