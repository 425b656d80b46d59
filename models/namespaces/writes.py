"""Writing namespaces: creating one, changing one (a root's visibility reaches its
whole tree), and deleting a subtree, whose resources become the owner's personal
ones unless their names would clash.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, Table, bindparam, delete, func, or_, select, union, update
from sqlalchemy.dialects import postgresql
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from models.base import utcnow
from models.namespaces.reads import NAMESPACE_COLUMNS
from models.namespaces.tables import NamesClash, NameTaken, _ns
from models.reads import Read

# Built once: a statement built per call cost its construction and its cache key
# on every create (about a tenth of the request's CPU, bench/README.md).
_NEW_COLUMNS = NAMESPACE_COLUMNS[1:]  # all but the id
#: ``ON CONFLICT DO NOTHING``: a path the owner has already yields no id, where a
#: unique violation would need a savepoint (two more round trips) to leave the
#: transaction usable. PostgreSQL's construct; SQLite compiles the same clause.
_INSERT = Read(
    postgresql.insert(_ns)
    .values({c: bindparam(c) for c in _NEW_COLUMNS})
    .on_conflict_do_nothing(index_elements=["user_id", "path"])
    .returning(_ns.c.id)
)
_ROOT_OF_ITSELF = Read(
    update(_ns)
    .where(_ns.c.id == bindparam("namespace_id"))
    .values(root_id=bindparam("namespace_id"))
)


async def create(
    conn: AsyncConnection | AsyncSession,
    *,
    user_id: int,
    parent: Any | None,
    name: str,
    description: str = "",
    visibility: str = "private",
) -> int:
    """Insert one namespace under ``parent`` (a namespace row, or None for a root) and
    return its id. A child takes its root's visibility. Raise :class:`NameTaken` when
    the owner has one at that path (the unique constraint decides; the caller's
    transaction stays usable)."""
    if parent is None:
        path, level, root_id = name, 0, None
    else:
        path, level, root_id = f"{parent.path}/{name}", parent.level + 1, parent.root_id
        visibility = parent.visibility
    values = {
        "user_id": user_id,
        "root_id": root_id,
        "parent_id": None if parent is None else parent.id,
        "name": name,
        "path": path,
        "description": description,
        "visibility": visibility,
        "level": level,
        "created_at": utcnow(),
    }
    namespace_id = await _INSERT.scalar(conn, values)
    if namespace_id is None:
        raise NameTaken(path)
    if root_id is None:
        await _ROOT_OF_ITSELF.execute(conn, {"namespace_id": namespace_id})
    return int(namespace_id)


async def change(
    session: AsyncSession,
    namespace: Any,
    *,
    description: str | None,
    visibility: str | None,
) -> None:
    """Apply a PATCH: omitted (``None``) fields keep their value. A root's new
    visibility is written to its whole tree; a child's is ignored (children always
    have their root's)."""
    if description is not None:
        await session.execute(
            update(_ns).where(_ns.c.id == namespace.id).values(description=description)
        )
    if visibility is not None and namespace.parent_id is None:
        await session.execute(
            update(_ns).where(_ns.c.root_id == namespace.id).values(visibility=visibility)
        )


def subtree_ids(namespace: Any) -> Select[Any]:
    """Ids of the namespace and every namespace below it."""
    return select(_ns.c.id).where(
        _ns.c.root_id == namespace.root_id,
        or_(_ns.c.id == namespace.id, _ns.c.path.startswith(namespace.path + "/", autoescape=True)),
    )


@dataclass(frozen=True)
class NamedResource:
    """A table whose rows become their owner's personal resources when their
    namespace is deleted, and whose personal names are unique per owner."""

    label: str
    table: Table
    name_column: str


#: Filled by resource modules (:func:`models.access.register_resource`).
NAMED_RESOURCES: list[NamedResource] = []


async def _clashes(session: AsyncSession, namespace: Any) -> list[str]:
    found: list[str] = []
    ids = subtree_ids(namespace)
    for resource in NAMED_RESOURCES:
        t, name = resource.table, resource.table.c[resource.name_column]
        inside = select(name).where(t.c.namespace_id.in_(ids))
        personal = select(name).where(t.c.user_id == namespace.user_id, t.c.namespace_id.is_(None))
        twice = inside.group_by(name).having(func.count() > 1)
        clashing = union(inside.where(name.in_(personal)), twice).subquery()
        column = clashing.c[0]
        names = [str(n) for n in (await session.scalars(select(column).order_by(column))).all()]
        if names:
            found.append(f"{resource.label} {', '.join(names)}")
    return found


async def remove_subtree(session: AsyncSession, namespace: Any) -> None:
    """Delete the namespace and everything below it. Their resources stay, as the
    owner's personal ones (``namespace_id`` becomes NULL); webhooks, invites and
    (for a root) collaborators go with them. Raise :class:`NamesClash` when a
    resource's name is already used by one of the owner's personal resources, or
    by another resource of the subtree."""
    clashes = await _clashes(session, namespace)
    if clashes:
        raise NamesClash(clashes)
    ids = [row[0] for row in (await session.execute(subtree_ids(namespace))).all()]
    try:
        async with session.begin_nested():
            await session.execute(delete(_ns).where(_ns.c.id.in_(ids)))
    except IntegrityError:
        # A personal resource of that name appeared since the check above.
        raise NamesClash(["resources whose names are now taken"]) from None
