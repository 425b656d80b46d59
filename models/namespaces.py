"""Namespaces: trees of up to :data:`MAX_DEPTH` levels, shared through collaborators.

A tree has one owner: every node has the root's ``user_id`` and, always, the
root's ``visibility`` (a root's change is written to the whole tree). A root's
``root_id`` is its own id. Collaborators belong to the root and reach the whole
tree. Who may see or change what is decided in :mod:`models.access`; this module
holds the rows and their queries.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import TYPE_CHECKING, Any, Literal

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
    UniqueConstraint,
    bindparam,
    delete,
    exists,
    func,
    literal,
    or_,
    select,
    union,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UTCDateTime, utcnow
from models.builds import Build
from models.users import User

if TYPE_CHECKING:
    from models.rows import Listing

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

# Detail rows: a namespace with its owner (``user_*``), its parent (``par_*``) and its
# latest build (``build_*``, with the build owner's ``build_user_*``). Built once.

NAMESPACE_COLUMNS = (
    "id",
    "user_id",
    "root_id",
    "parent_id",
    "name",
    "path",
    "description",
    "visibility",
    "level",
    "created_at",
)
BUILD_COLUMNS = (
    "id",
    "user_id",
    "namespace_id",
    "number",
    "manifest",
    "status",
    "output",
    "pinned",
    "created_at",
    "started_at",
    "finished_at",
)


def _detail_rows() -> Select[Any]:
    owner = _users.alias("ns_owner")
    parent = _ns.alias("ns_parent")
    latest = _builds.alias("latest_build")
    build_owner = _users.alias("latest_build_owner")
    newest = (
        select(_builds.c.id)
        .where(_builds.c.namespace_id == _ns.c.id)
        .order_by(_builds.c.created_at.desc(), _builds.c.id.desc())
        .limit(1)
        .correlate(_ns)
        .scalar_subquery()
    )
    return select(
        *(_ns.c[c] for c in NAMESPACE_COLUMNS),
        owner.c.email.label("user_email"),
        owner.c.username.label("user_username"),
        owner.c.created_at.label("user_created_at"),
        *(parent.c[c].label(f"par_{c}") for c in NAMESPACE_COLUMNS),
        *(latest.c[c].label(f"build_{c}") for c in BUILD_COLUMNS),
        build_owner.c.email.label("build_user_email"),
        build_owner.c.username.label("build_user_username"),
        build_owner.c.created_at.label("build_user_created_at"),
    ).select_from(
        _ns.join(owner, owner.c.id == _ns.c.user_id)
        .outerjoin(parent, parent.c.id == _ns.c.parent_id)
        .outerjoin(latest, latest.c.id == newest)
        .outerjoin(build_owner, build_owner.c.id == latest.c.user_id)
    )


DETAIL_ROWS = _detail_rows()
_BY_PATH = (_ns.c.path, _ns.c.id)


def detail_page(keys: Subquery) -> Select[Any]:
    """Full detail rows for a page of namespace keys, in path order."""
    return DETAIL_ROWS.join(keys, keys.c.id == _ns.c.id).order_by(*_BY_PATH)


def is_collaborator(root_id: ColumnElement[Any], user_id: ColumnElement[Any]) -> Any:
    """``EXISTS``: ``user_id`` collaborates on the tree of ``root_id``."""
    c = _collaborators
    return exists().where(c.c.namespace_id == root_id, c.c.user_id == user_id)


_CALLER = bindparam("caller_id", type_=_users.c.id.type)
# One namespace by owner and path, with the caller's relation to its tree.
_BY_ADDRESS = DETAIL_ROWS.add_columns(
    is_collaborator(_ns.c.root_id, _CALLER).label("collaborating")
).where(
    _ns.c.user_id
    == select(_users.c.id).where(_users.c.username == bindparam("username")).scalar_subquery(),
    _ns.c.path == bindparam("path"),
)


Lock = Literal["share", "update"]
_BY_ADDRESS_LOCKED: dict[str, Select[Any]] = {
    "share": _BY_ADDRESS.with_for_update(read=True, of=_ns),
    "update": _BY_ADDRESS.with_for_update(of=_ns),
}


async def find(
    conn: AsyncConnection | AsyncSession,
    username: str,
    path: str,
    caller_id: int | None,
    lock: Lock | None = None,
) -> Row[Any] | None:
    """The namespace ``username/path`` with its detail columns and ``collaborating``
    (whether ``caller_id`` collaborates on its tree); ``None`` when there is none.
    With ``lock``, the same read also locks the row (see :func:`lock`)."""
    params = {"username": username, "path": path, "caller_id": caller_id}
    statement = _BY_ADDRESS if lock is None else _BY_ADDRESS_LOCKED[lock]
    return (await conn.execute(statement, params)).first()


_BY_ID = DETAIL_ROWS.where(_ns.c.id == bindparam("id"))
_LOCKS = {
    "share": select(_ns.c.id).where(_ns.c.id == bindparam("id")).with_for_update(read=True),
    "update": select(_ns.c.id).where(_ns.c.id == bindparam("id")).with_for_update(),
}


async def lock(session: AsyncSession, namespace_id: int, mode: Lock = "share") -> bool:
    """Lock the namespace row until the transaction ends; False when it is gone.

    ``share``: for a change that refers to the namespace (a webhook, a resource
    placed in it), so it cannot be deleted, directly or with its tree, before
    that change commits. ``update``: for a change to the namespace itself, so
    that two such changes queue instead of deadlocking on shared locks. (SQLite,
    which runs one writer at a time, has no row locks and needs none.)
    """
    return (await session.scalar(_LOCKS[mode], {"id": namespace_id})) is not None


async def detail(conn: AsyncConnection | AsyncSession, namespace_id: int) -> Row[Any]:
    return (await conn.execute(_BY_ID, {"id": namespace_id})).one()


# Lists. Their statements are built once, on first use (``models.access`` and
# ``models.objects`` import this module).

_PATH_SEARCH = _ns.c.path.ilike(bindparam("pattern"), escape="\\")


@cache
def _listed(search: bool) -> tuple[Select[Any], Select[Any]]:
    from models import access

    where = [_PATH_SEARCH] if search else []
    return access.listing(_ns, detail_page, "path", where=where, namespace_column="id")


def listed(caller_id: int, search: str | None = None) -> Listing:
    """The caller's namespaces and those of trees they collaborate on, by path."""
    from models.rows import Listing

    if search:
        return Listing(*_listed(True), {"caller_id": caller_id, "pattern": like_pattern(search)})
    return Listing(*_listed(False), {"caller_id": caller_id})


@cache
def _children(search: bool) -> tuple[Select[Any], Select[Any]]:
    from models.rows import listing_statements

    keys = select(_ns.c.id).where(_ns.c.parent_id == bindparam("parent_id"))
    if search:
        keys = keys.where(_PATH_SEARCH)
    return listing_statements(keys.order_by(*_BY_PATH), detail_page)


def children(namespace_id: int, search: str | None = None) -> Listing:
    """The namespace's direct children, by path."""
    from models.rows import Listing

    params: dict[str, Any] = {"parent_id": namespace_id}
    if search:
        params["pattern"] = like_pattern(search)
    return Listing(*_children(bool(search)), params)


@cache
def _builds_listing() -> tuple[Select[Any], Select[Any]]:
    from models.objects import build_page
    from models.rows import listing_statements

    keys = (
        select(_builds.c.id)
        .where(_builds.c.namespace_id == bindparam("namespace_id"))
        .order_by(_builds.c.created_at.desc(), _builds.c.id.desc())
    )
    return listing_statements(keys, build_page)


def builds(namespace_id: int) -> Listing:
    """The builds submitted to the namespace, newest first."""
    from models.rows import Listing

    return Listing(*_builds_listing(), {"namespace_id": namespace_id})


# Paths.


async def by_paths(
    conn: AsyncConnection | AsyncSession, user_id: int, paths: Sequence[str]
) -> dict[str, Row[Any]]:
    """The owner's namespaces among ``paths``, by path."""
    rows = await conn.execute(
        select(_ns).where(_ns.c.user_id == user_id, _ns.c.path.in_(list(paths)))
    )
    return {row.path: row for row in rows}


async def user_id_of(conn: AsyncConnection | AsyncSession, username: str) -> int | None:
    return await conn.scalar(select(_users.c.id).where(_users.c.username == username))


# Writes.


# Built once: a statement built per call cost its construction and its cache key
# on every create (about a tenth of the request's CPU, bench/README.md).
_INSERT = _ns.insert().returning(_ns.c.id)
_ROOT_OF_ITSELF = (
    update(_ns)
    .where(_ns.c.id == bindparam("namespace_id"))
    .values(root_id=bindparam("namespace_id"))
)


async def create(
    session: AsyncSession,
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
    transaction stays usable: the insert runs in a savepoint)."""
    if parent is None:
        path, level, root_id = name, 0, None
    else:
        path, level, root_id = f"{parent.path}/{name}", parent.level + 1, parent.root_id
        visibility = parent.visibility
    try:
        async with session.begin_nested():
            namespace_id = await session.scalar(
                _INSERT,
                {
                    "user_id": user_id,
                    "root_id": root_id,
                    "parent_id": None if parent is None else parent.id,
                    "name": name,
                    "path": path,
                    "description": description,
                    "visibility": visibility,
                    "level": level,
                    "created_at": utcnow(),
                },
            )
    except IntegrityError as exc:
        if "path" in str(exc.orig):
            raise NameTaken(path) from None
        raise
    assert namespace_id is not None
    if root_id is None:
        await session.execute(_ROOT_OF_ITSELF, {"namespace_id": namespace_id})
    return namespace_id


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


# Collaborators.

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
