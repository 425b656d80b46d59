"""Reading namespaces: detail rows, one namespace by address or id (optionally
locked), the lists of a caller's namespaces, of a namespace's children and of its
builds, and namespaces by path.

The statements are built once, at import (or on first use for the lists), and
only bound per request.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import TYPE_CHECKING, Any, Literal

from sqlalchemy import Row, Select, Subquery, bindparam, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from models.namespaces.collaborators import is_collaborator
from models.namespaces.tables import _builds, _ns, _users, like_pattern
from models.reads import Fields, Read

if TYPE_CHECKING:
    from models.objects import BuildFilters
    from models.rows import Listing


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


_DETAIL = Read(_BY_ID)


async def detail(conn: AsyncConnection | AsyncSession, namespace_id: int) -> Fields:
    """The namespace's detail row (by label); it must exist."""
    row = await _DETAIL.first(conn, {"id": namespace_id})
    assert row is not None, f"namespace {namespace_id} is gone"
    return row


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


_BUILDS_KEYS = (
    select(_builds.c.id)
    .where(_builds.c.namespace_id == bindparam("namespace_id"))
    .order_by(_builds.c.created_at.desc(), _builds.c.id.desc())
)


def builds(namespace_id: int, filters: BuildFilters) -> Listing:
    """The builds submitted to the namespace, newest first."""
    from models.objects import build_listing

    return build_listing(_BUILDS_KEYS, {"namespace_id": namespace_id}, filters)


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
