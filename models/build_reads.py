"""Reading builds and what they hold, as flat labelled rows (``handlers/djinn/_builds``
turns them into JSON).

Access is :mod:`models.access`'s: :func:`find` returns a build with whether the
caller may read it (``can_read``) and change it (``can_write``); the lists of
``GET /builds`` are :func:`models.access.listing`'s. The sub-resources are read
by build id once the build was found.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

from sqlalchemy import Row, Select, Subquery, Table, bindparam, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from models import access
from models.build_parts import BuildArtifact, BuildJob, BuildKey, BuildTag, BuildVariable
from models.builds import Build, BuildObject
from models.namespaces import like_pattern
from models.objects import OBJECT_ROWS, BuildFilters, Object, Shape, build_page, build_where
from models.rows import Listing, listing_statements
from models.users import User

Connection = AsyncConnection | AsyncSession

_builds: Table = Build.__table__  # type: ignore[assignment]
_tags: Table = BuildTag.__table__  # type: ignore[assignment]
_jobs: Table = BuildJob.__table__  # type: ignore[assignment]
_artifacts: Table = BuildArtifact.__table__  # type: ignore[assignment]
_objects_placed: Table = BuildObject.__table__  # type: ignore[assignment]
_users: Table = User.__table__  # type: ignore[assignment]
_object_table: Table = Object.__table__  # type: ignore[assignment]


@cache
def _visible(shape: Shape) -> tuple[Select[Any], Select[Any]]:
    return access.listing(_builds, build_page, "-created_at", where=build_where(shape))


def visible(caller_id: int, filters: BuildFilters) -> Listing:
    """The caller's builds and those of trees they collaborate on, newest first."""
    return Listing(*_visible(filters.shape), {"caller_id": caller_id, **filters.params()})


@cache
def _find() -> Select[Any]:
    page_rows = build_page(select(_builds.c.id).subquery("one"))
    return page_rows.add_columns(
        access.readable(_builds).label("can_read"),
        access.writable(_builds).label("can_write"),
    ).where(
        _builds.c.number == bindparam("number"),
        _builds.c.user_id
        == select(_users.c.id).where(_users.c.username == bindparam("username")).scalar_subquery(),
    )


async def find(
    conn: Connection, username: str, number: int, caller_id: int | None
) -> Row[Any] | None:
    """The build ``number`` of ``username``, with ``can_read`` and ``can_write``
    for the caller; None when there is no such build."""
    params = {"username": username, "number": number, "caller_id": caller_id}
    return (await conn.execute(_find(), params)).first()


async def by_id(conn: Connection, build_id: int) -> Row[Any] | None:
    """The build (as lists show it), whoever may see it."""
    statement = build_page(select(_builds.c.id).where(_builds.c.id == build_id).subquery("one"))
    return (await conn.execute(statement)).first()


async def tags_of(conn: Connection, build_ids: Sequence[int]) -> dict[int, list[str]]:
    """Tag names of each build, byte-sorted."""
    found: dict[int, list[str]] = {i: [] for i in build_ids}
    if build_ids:
        rows = await conn.execute(
            select(_tags.c.build_id, _tags.c.name)
            .where(_tags.c.build_id.in_(list(build_ids)))
            .order_by(_tags.c.name)
        )
        for build_id, name in rows:
            found[build_id].append(name)
    for names in found.values():
        names.sort(key=lambda n: n.encode())
    return found


# Sub-resources, by build id.


@cache
def _objects_listing(search: bool) -> tuple[Select[Any], Select[Any]]:
    placed, t = _objects_placed, _object_table
    keys = select(t.c.id).where(
        t.c.id.in_(select(placed.c.object_id).where(placed.c.build_id == bindparam("build_id")))
    )
    if search:
        keys = keys.where(t.c.name.ilike(bindparam("pattern"), escape="\\"))

    def rows(page: Subquery) -> Select[Any]:
        return OBJECT_ROWS.join(page, page.c.id == t.c.id).order_by(t.c.name, t.c.id)

    return listing_statements(keys.order_by(t.c.name, t.c.id), rows)


def objects_of(build_id: int, search: str | None = None) -> Listing:
    params: dict[str, Any] = {"build_id": build_id}
    if search:
        params["pattern"] = like_pattern(search)
    return Listing(*_objects_listing(bool(search)), params)


async def variables_of(conn: Connection, build_id: int) -> list[Row[Any]]:
    v = BuildVariable.__table__
    columns = [v.c[n] for n in ("id", "build_id", "variable_id", "key", "value", "masked")]
    statement = select(*columns).where(v.c.build_id == build_id).order_by(v.c.key, v.c.id)
    return list((await conn.execute(statement)).all())


async def keys_of(conn: Connection, build_id: int) -> list[Row[Any]]:
    k = BuildKey.__table__
    columns = [k.c[n] for n in ("id", "build_id", "key_id", "name", "config", "location")]
    statement = select(*columns).where(k.c.build_id == build_id).order_by(k.c.name, k.c.id)
    return list((await conn.execute(statement)).all())


async def jobs_of(
    conn: Connection, build_id: int, name: str | None = None, status: str | None = None
) -> list[Row[Any]]:
    statement = select(_jobs).where(_jobs.c.build_id == build_id)
    if name:
        statement = statement.where(_jobs.c.name.ilike(like_pattern(name), escape="\\"))
    if status:
        statement = statement.where(_jobs.c.status == status)
    rows = await conn.execute(statement.order_by(_jobs.c.position, _jobs.c.id))
    return list(rows.all())


async def job(conn: Connection, build_id: int, name: str) -> Row[Any] | None:
    statement = (
        select(_jobs)
        .where(_jobs.c.build_id == build_id, _jobs.c.name == name)
        .order_by(_jobs.c.position)
        .limit(1)
    )
    return (await conn.execute(statement)).first()


_ARTIFACT_COLUMNS = [c for c in _artifacts.c if c.name != "missing"]


@cache
def _artifacts_listing(search: bool) -> tuple[Select[Any], Select[Any]]:
    a = _artifacts
    keys = select(a.c.id).where(a.c.build_id == bindparam("build_id"))
    if search:
        keys = keys.where(a.c.name.ilike(bindparam("pattern"), escape="\\"))

    def rows(page: Subquery) -> Select[Any]:
        return select(*_ARTIFACT_COLUMNS).join(page, page.c.id == a.c.id).order_by(a.c.name, a.c.id)

    return listing_statements(keys.order_by(a.c.name, a.c.id), rows)


def artifacts_of(build_id: int, search: str | None = None) -> Listing:
    params: dict[str, Any] = {"build_id": build_id}
    if search:
        params["pattern"] = like_pattern(search)
    return Listing(*_artifacts_listing(bool(search)), params)


async def artifact(conn: Connection, build_id: int, name: str) -> Row[Any] | None:
    a = _artifacts
    statement = (
        select(*_ARTIFACT_COLUMNS)
        .where(a.c.build_id == build_id, a.c.name == name)
        .order_by(a.c.id)
        .limit(1)
    )
    return (await conn.execute(statement)).first()


def _tag_rows() -> Select[Any]:
    tagger = _users.alias("tagger")
    return select(
        _tags.c.build_id,
        _tags.c.user_id,
        _tags.c.name,
        _tags.c.created_at,
        tagger.c.email.label("user_email"),
        tagger.c.username.label("user_username"),
        tagger.c.created_at.label("user_created_at"),
    ).join(tagger, tagger.c.id == _tags.c.user_id)


_TAG_ROWS = _tag_rows()


async def tag_rows(
    conn: Connection, build_id: int, name: str | None = None, names: Sequence[str] = ()
) -> list[Row[Any]]:
    statement = _TAG_ROWS.where(_tags.c.build_id == build_id)
    if name is not None:
        statement = statement.where(_tags.c.name == name)
    if names:
        statement = statement.where(_tags.c.name.in_(list(names)))
    rows = (await conn.execute(statement.order_by(_tags.c.name))).all()
    return sorted(rows, key=lambda r: r.name.encode())


async def job_output(conn: Connection, job_id: int) -> Row[Any] | None:
    """A job's status and output (the live stream's poll)."""
    statement: Select[Any] = select(_jobs.c.status, _jobs.c.output).where(_jobs.c.id == job_id)
    return (await conn.execute(statement)).first()
