"""Collaborators: users sharing a whole tree, as rows on its root.

``is_collaborator`` is the one test of the relation, used by the detail reads
(:mod:`models.namespaces.reads`) as well as here.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Row, bindparam, delete, exists, literal, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from models.base import utcnow
from models.namespaces.tables import _collaborators, _users


def is_collaborator(root_id: ColumnElement[Any], user_id: ColumnElement[Any]) -> Any:
    """``EXISTS``: ``user_id`` collaborates on the tree of ``root_id``."""
    c = _collaborators
    return exists().where(c.c.namespace_id == root_id, c.c.user_id == user_id)


_COLLABORATOR_ROWS = (
    select(
        _users.c.id,
        _users.c.email,
        _users.c.username,
        _collaborators.c.created_at,
    )
    .join_from(_collaborators, _users, _users.c.id == _collaborators.c.user_id)
    .where(_collaborators.c.namespace_id == bindparam("root_id"))
    .order_by(_users.c.username)
)


async def collaborators(conn: AsyncConnection | AsyncSession, root_id: int) -> list[Row[Any]]:
    rows: list[Row[Any]] = list(
        (await conn.execute(_COLLABORATOR_ROWS, {"root_id": root_id})).all()  # type: ignore[arg-type]
    )
    return rows


async def add_collaborator(session: AsyncSession, root_id: int, user_id: int) -> bool:
    """Make ``user_id`` a collaborator of the tree; False when they already were."""
    try:
        async with session.begin_nested():
            await session.execute(
                _collaborators.insert().values(
                    namespace_id=root_id, user_id=user_id, created_at=utcnow()
                )
            )
    except IntegrityError:
        return False
    return True


async def remove_collaborator(session: AsyncSession, root_id: int, handle: str) -> bool:
    """Remove the collaborator named by username or email; False when there is none."""
    user_ids = select(_users.c.id).where(or_(_users.c.username == handle, _users.c.email == handle))
    result = await session.execute(
        delete(_collaborators)
        .where(_collaborators.c.namespace_id == root_id, _collaborators.c.user_id.in_(user_ids))
        .returning(_collaborators.c.id)
    )
    return result.first() is not None


async def collaborates(conn: AsyncConnection | AsyncSession, root_id: int, user_id: int) -> bool:
    stmt = select(is_collaborator(literal(root_id), literal(user_id)))
    return bool(await conn.scalar(stmt))
