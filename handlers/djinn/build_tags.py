"""A build's tags: ``/b/{username}/{number}/tags`` and ``tags/{name}`` (the name
may contain ``/``). Reading follows the build's access; tagging and untagging
need its owner or a collaborator of its tree."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, insert, select
from starlette.responses import Response

from genie import webhooks
from genie.builds import clean_tags
from handlers._errors import NotFound
from handlers._http import (
    api_root,
    caller,
    json_response,
    optional_caller,
    reading,
    request,
    runtime,
)
from handlers.djinn import _builds
from models import BuildTag
from models import build_reads as reads


async def index(username: str, number: int, token_info: dict[str, Any] | None = None) -> Response:
    req, user = request(), optional_caller(token_info)
    anonymous = user is None
    async with reading() as conn:
        build = await _builds.readable(conn, user, username, number)
        entity = await _builds.loaded(conn, api_root(req), build, anonymous=anonymous)
        rows = await reads.tag_rows(conn, build.id)
    url = entity["url"]
    return json_response([_builds.tag_json(url, r, entity, anonymous=anonymous) for r in rows])


async def store(
    token_info: dict[str, Any], username: str, number: int, body: list[Any]
) -> Response:
    req, rt, user = request(), runtime(), caller(token_info)
    async with rt.sessions() as session, session.begin():
        build = await _builds.writable(session, user, username, number)
        have = set(
            await session.scalars(select(BuildTag.name).where(BuildTag.build_id == build.id))
        )
        new = [t for t in clean_tags(body) if t not in have]
        if new:
            await session.execute(
                insert(BuildTag),
                [{"build_id": build.id, "user_id": user.id, "name": t} for t in new],
            )
        entity = await _builds.loaded(session, api_root(req), build)
        rows = await reads.tag_rows(session, build.id, names=new) if new else []
        tags = [_builds.tag_json(entity["url"], r, entity) for r in rows]
        if tags:
            await webhooks.fire(
                session, build.namespace_id, "build.tagged", None, {"build": entity, "tags": tags}
            )
    rt.jobs.wake()
    return json_response(tags, 201)


async def show(
    username: str, number: int, name: str, token_info: dict[str, Any] | None = None
) -> Response:
    req, user = request(), optional_caller(token_info)
    anonymous = user is None
    async with reading() as conn:
        build = await _builds.readable(conn, user, username, number)
        rows = await reads.tag_rows(conn, build.id, name=name)
        if not rows:
            raise NotFound()
        entity = await _builds.loaded(conn, api_root(req), build, anonymous=anonymous)
    return json_response(_builds.tag_json(entity["url"], rows[0], entity, anonymous=anonymous))


async def destroy(token_info: dict[str, Any], username: str, number: int, name: str) -> Response:
    rt, user = runtime(), caller(token_info)
    async with rt.sessions() as session, session.begin():
        build = await _builds.writable(session, user, username, number)
        gone = await session.execute(
            delete(BuildTag).where(BuildTag.build_id == build.id, BuildTag.name == name)
        )
        if not gone.rowcount:  # type: ignore[attr-defined]
            raise NotFound()
    return Response(status_code=204)
