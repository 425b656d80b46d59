"""Builds: ``/builds``, ``/b/{username}/{number}`` (show, kill), pin and unpin.

Submission itself is :mod:`genie.builds`; running them, the worker's
(:mod:`genie.build_worker`). Access is :mod:`handlers.djinn._builds`'.
"""

from __future__ import annotations

import os
import re
from typing import Any

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response

from genie import builds as submission
from genie import wakeup, webhooks
from genie.runner.settings import DEFAULT_DRIVERS
from handlers._errors import FieldErrors, ValidationFailed
from handlers._http import api_root, caller, json_response, optional_caller, reading, request
from handlers._http import runtime as current_runtime
from handlers._pagination import djinn_list, paginate
from handlers.djinn import _builds
from handlers.djinn.cron import _check_manifest
from models import Build, BuildJob
from models import build_reads as reads
from models.base import utcnow
from models.objects import BuildFilters


def enabled_drivers() -> tuple[str, ...]:
    """The driver types builds may ask for (``GENIE_DRIVERS``; ``qemu`` never)."""
    listed = [d for d in re.split(r"[\s,]+", os.environ.get("GENIE_DRIVERS", "")) if d]
    return tuple(d for d in (listed or DEFAULT_DRIVERS) if d != "qemu")


async def index(
    token_info: dict[str, Any],
    tag: str | None = None,
    search: str | None = None,
    status: str | None = None,
    pinned: bool | None = None,
    page: int = 1,
) -> Response:
    req, user = request(), caller(token_info)
    listing = reads.visible(user.id, BuildFilters(tag, search, status, pinned))
    async with reading() as conn:
        result = await paginate(conn, listing, page)
        items = await _builds.page_json(conn, api_root(req), result.items)
    return djinn_list(req, result, items)


async def store(token_info: dict[str, Any], body: dict[str, Any]) -> Response:
    req, rt, user = request(), current_runtime(), caller(token_info)
    errors = FieldErrors()
    async with reading() as conn:
        parsed, placement = await _check_manifest(
            conn, user, body["manifest"], errors, drivers=enabled_drivers()
        )
    if errors or parsed is None or placement is None:
        raise ValidationFailed(errors)
    root = api_root(req)
    sub = submission.Submission(
        manifest=parsed,
        placement=placement,
        author_id=user.id,
        trigger="manual",
        comment=body.get("comment") or "",
        trigger_data={"email": user.email, "username": user.username},
        tags=submission.clean_tags(body.get("tags") or []),
        api_root=root,
    )
    async with rt.sessions() as session, session.begin():
        build_id = await submission.submit(session, sub, rt.crypto)
        row = await reads.by_id(session, build_id)
        assert row is not None
        entity = await _builds.loaded(session, root, row)
        await webhooks.fire(session, row.namespace_id, "build.submitted", None, {"build": entity})
    rt.jobs.wake()
    return json_response(entity, 201)


async def show(username: str, number: int, token_info: dict[str, Any] | None = None) -> Response:
    req, user = request(), optional_caller(token_info)
    async with reading() as conn:
        row = await _builds.readable(conn, user, username, number)
        entity = await _builds.loaded(conn, api_root(req), row, anonymous=user is None)
    return json_response(entity)


async def destroy(token_info: dict[str, Any], username: str, number: int) -> Response:
    """Kill: a queued build ends ``killed`` here; a running one is flagged, and its
    worker (polling the flag, or woken by ``NOTIFY``) kills it."""
    rt, user = current_runtime(), caller(token_info)
    async with rt.sessions() as session, session.begin():
        row = await _builds.writable(session, user, username, number)
        if row.status == "queued" and await kill_queued(session, row.id):
            entity = await _builds.loaded(session, api_root(request()), row)
            entity["status"] = "killed"
            await webhooks.fire(
                session, row.namespace_id, "build.finished", None, {"build": entity}
            )
        elif row.status == "running":
            await session.execute(
                update(Build).where(Build.id == row.id).values(kill_requested=True)
            )
            await wakeup.notify(session, wakeup.BUILD_KILL, str(row.id))
    rt.jobs.wake()
    return Response(status_code=204)


async def kill_queued(session: AsyncSession, build_id: int) -> bool:
    """End a build that has not started ``killed``; False when it had started."""
    now = utcnow()
    done = await session.execute(
        update(Build)
        .where(Build.id == build_id, Build.status == "queued")
        .values(status="killed", finished_at=now, kill_requested=True)
    )
    if not done.rowcount:  # type: ignore[attr-defined]
        return False
    await session.execute(
        update(BuildJob)
        .where(BuildJob.build_id == build_id, BuildJob.status == "queued")
        .values(status="killed", finished_at=now, output="Not run: the build was killed\n")
    )
    return True


async def _set_pin(token_info: dict[str, Any], username: str, number: int, pin: bool) -> Response:
    req, rt, user = request(), current_runtime(), caller(token_info)
    async with rt.sessions() as session, session.begin():
        row = await _builds.writable(session, user, username, number)
        await session.execute(update(Build).where(Build.id == row.id).values(pinned=pin))
        changed = await reads.by_id(session, row.id)
        assert changed is not None
        entity = await _builds.loaded(session, api_root(req), changed)
        event = "build.pinned" if pin else "build.unpinned"
        await webhooks.fire(session, row.namespace_id, event, None, {"build": entity})
    rt.jobs.wake()
    return json_response(entity)


async def pin(token_info: dict[str, Any], username: str, number: int) -> Response:
    return await _set_pin(token_info, username, number, True)


async def unpin(token_info: dict[str, Any], username: str, number: int) -> Response:
    return await _set_pin(token_info, username, number, False)


__all__ = ["destroy", "index", "kill_queued", "pin", "show", "store", "unpin"]
