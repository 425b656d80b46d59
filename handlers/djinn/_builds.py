"""Build access (BA) and the wire shapes of a build's parts.

A personal build is its owner's alone; a namespaced one follows its namespace's
visibility (:mod:`models.access`), and needs ``build:read`` when the namespace is
not public. Writes (kill, pin, tags) need the owner or a collaborator of the
tree. What the caller may not see is a 404.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import quote

from sqlalchemy import Row
from starlette.responses import Response

from genie.scopes import parse as parse_scopes
from handlers._errors import NotFound
from handlers._http import api_root, reading, request
from handlers._pagination import djinn_list, paginate
from handlers.djinn._entities import MASKED_VALUE, build_json, user_json
from models import access
from models import build_reads as reads
from models.build_reads import Connection
from models.objects import BuildFilters
from models.rows import Listing
from models.users import Caller

READ_SCOPE = "build:read"


async def readable(conn: Connection, caller: Caller | None, username: str, number: int) -> Row[Any]:
    """The build, if the caller may read it (else :class:`access.NotVisible`)."""
    row = await reads.find(conn, username, number, caller.id if caller else None)
    if row is None or not row.can_read:
        raise access.NotVisible()
    if row.ns_visibility != "public":
        held = parse_scopes(caller.scope) if caller else frozenset()
        if READ_SCOPE not in held:
            raise access.ScopeMissing([READ_SCOPE])
    return row


async def writable(conn: Connection, caller: Caller, username: str, number: int) -> Row[Any]:
    """The build, if the caller is its owner or a collaborator of its tree."""
    row = await reads.find(conn, username, number, caller.id)
    if row is None or not row.can_write:
        raise access.NotVisible()
    return row


async def loaded(
    conn: Connection, root: str, row: Row[Any], *, anonymous: bool = False
) -> dict[str, Any]:
    """The fully loaded build: with its tags."""
    tags = await reads.tags_of(conn, [row.id])
    return build_json(root, row, anonymous=anonymous, tags=tags[row.id])


async def page_json(
    conn: Connection, root: str, rows: list[Row[Any]], *, anonymous: bool = False
) -> list[dict[str, Any]]:
    """Builds of a list, their tags read in one query."""
    tags = await reads.tags_of(conn, [r.id for r in rows])
    return [build_json(root, r, anonymous=anonymous, tags=tags[r.id]) for r in rows]


def url_of(root: str, row: Row[Any]) -> str:
    return f"{root}/b/{row.user_username}/{row.number}"


def variable_json(root: str, row: Row[Any]) -> dict[str, Any]:
    return {
        "id": row.id,
        "build_id": row.build_id,
        "key": row.key,
        "value": MASKED_VALUE if row.masked else row.value,
        "masked": row.masked,
        "build": None,
        "variable_url": None if row.variable_id is None else f"{root}/variables/{row.variable_id}",
    }


def key_json(row: Row[Any]) -> dict[str, Any]:
    return {
        "id": row.id,
        "build_id": row.build_id,
        "key_id": row.key_id,
        "name": row.name,
        "config": row.config,
        "location": row.location,
        "build": None,
    }


def job_json(build_url: str, row: Row[Any]) -> dict[str, Any]:
    return {
        "id": row.id,
        "build_id": row.build_id,
        "name": row.name,
        "stage": row.stage,
        "commands": row.commands,
        "status": row.status,
        "output": row.output,
        "created_at": row.created_at,
        "started_at": row.started_at,
        "finished_at": row.finished_at,
        "url": f"{build_url}/jobs/{row.name}",
        "build": None,
    }


def artifact_json(build_url: str, row: Row[Any]) -> dict[str, Any]:
    return {
        "id": row.id,
        "user_id": row.user_id,
        "build_id": row.build_id,
        "job_id": row.job_id,
        "source": row.source,
        "name": row.name,
        "size": row.size,
        "md5": row.md5,
        "sha256": row.sha256,
        "created_at": row.created_at,
        "deleted_at": row.deleted_at,
        "url": f"{build_url}/artifacts/{row.name}",
        "user": None,
        "build": None,
        "job": None,
    }


def tag_json(
    build_url: str, row: Row[Any], build: dict[str, Any], *, anonymous: bool = False
) -> dict[str, Any]:
    return {
        "user_id": row.user_id,
        "build_id": row.build_id,
        "name": row.name,
        "created_at": row.created_at,
        # A tag may hold any Unicode letter: percent-encoded, so the URL is one
        # (its `/` kept, as the route takes them).
        "url": f"{build_url}/tags/{quote(row.name, safe='/')}",
        "user": user_json(row._mapping, "user", anonymous=anonymous),
        "build": build,
    }


async def of_resource(
    user: Caller,
    exists_visible: Callable[[Connection, int, int], Awaitable[bool]],
    builds_of: Callable[[int, BuildFilters], Listing],
    id: int,
    filters: BuildFilters,
    page: int,
) -> Response:
    """A page of the builds of a cron job or an object the caller sees (404 if not)."""
    req = request()
    async with reading() as conn:
        if not await exists_visible(conn, id, user.id):
            raise NotFound()
        result = await paginate(conn, builds_of(id, filters), page)
        items = await page_json(conn, api_root(req), result.items)
    return djinn_list(req, result, items)
