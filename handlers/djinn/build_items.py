"""What a build holds: ``/b/{username}/{number}/objects``, ``variables``, ``keys``,
``jobs``, ``jobs/{name}`` (JSON, or the live output as ``text/plain``),
``artifacts`` and ``artifacts/{name}`` (JSON, or the file). Access as for the
build (:func:`handlers.djinn._builds.readable`).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

from starlette.responses import Response, StreamingResponse

from genie import mediatypes
from genie.builds import artifact_key
from handlers._errors import NotFound
from handlers._http import api_root, json_response, optional_caller, reading, request, runtime
from handlers._pagination import djinn_list, paginate
from handlers.djinn import _builds
from handlers.djinn._entities import object_json
from handlers.djinn._files import download
from models import build_reads as reads

#: How often a live output stream looks for more (the worker writes at least
#: once a second while a job prints).
STREAM_POLL = 0.25
ENDED = ("passed", "passed_with_failures", "failed", "killed", "timed_out")


async def objects(
    username: str,
    number: int,
    token_info: dict[str, Any] | None = None,
    search: str | None = None,
    page: int = 1,
) -> Response:
    req, user = request(), optional_caller(token_info)
    async with reading() as conn:
        build = await _builds.readable(conn, user, username, number)
        result = await paginate(conn, reads.objects_of(build.id, search), page)
    root, anonymous = api_root(req), user is None
    return djinn_list(
        req, result, [object_json(root, o, anonymous=anonymous) for o in result.items]
    )


async def variables(
    username: str, number: int, token_info: dict[str, Any] | None = None
) -> Response:
    req, user = request(), optional_caller(token_info)
    async with reading() as conn:
        build = await _builds.readable(conn, user, username, number)
        rows = await reads.variables_of(conn, build.id)
    root = api_root(req)
    return json_response([_builds.variable_json(root, r) for r in rows])


async def keys(username: str, number: int, token_info: dict[str, Any] | None = None) -> Response:
    user = optional_caller(token_info)
    async with reading() as conn:
        build = await _builds.readable(conn, user, username, number)
        rows = await reads.keys_of(conn, build.id)
    return json_response([_builds.key_json(r) for r in rows])


async def jobs(
    username: str,
    number: int,
    token_info: dict[str, Any] | None = None,
    name: str | None = None,
    status: str | None = None,
) -> Response:
    req, user = request(), optional_caller(token_info)
    async with reading() as conn:
        build = await _builds.readable(conn, user, username, number)
        rows = await reads.jobs_of(conn, build.id, name, status)
    url = _builds.url_of(api_root(req), build)
    return json_response([_builds.job_json(url, r) for r in rows])


async def job(
    username: str, number: int, name: str, token_info: dict[str, Any] | None = None
) -> Response:
    req, user = request(), optional_caller(token_info)
    async with reading() as conn:
        build = await _builds.readable(conn, user, username, number)
        row = await reads.job(conn, build.id, name)
    if row is None:
        raise NotFound()
    accept = req.headers.get("accept")
    if mediatypes.accepts_exactly(accept, "text/plain") and not mediatypes.accepts_exactly(
        accept, "application/json"
    ):
        return StreamingResponse(follow(build.id, row.id), media_type="text/plain; charset=utf-8")
    return json_response(_builds.job_json(_builds.url_of(api_root(req), build), row))


async def follow(build_id: int, job_id: int) -> AsyncIterator[bytes]:
    """The job's output so far, then each new piece, until the job has ended."""
    rt, sent = runtime(), 0
    while True:
        async with rt.reader.connect() as conn:
            row = await reads.job_output(conn, job_id)
        if row is None:
            return
        output = row.output or ""
        if len(output) > sent:
            yield output[sent:].encode()
            sent = len(output)
        if row.status in ENDED:
            return
        await asyncio.sleep(STREAM_POLL)


async def artifacts(
    username: str,
    number: int,
    token_info: dict[str, Any] | None = None,
    search: str | None = None,
    page: int = 1,
) -> Response:
    req, user = request(), optional_caller(token_info)
    async with reading() as conn:
        build = await _builds.readable(conn, user, username, number)
        result = await paginate(conn, reads.artifacts_of(build.id, search), page)
    url = _builds.url_of(api_root(req), build)
    return djinn_list(req, result, [_builds.artifact_json(url, r) for r in result.items])


async def artifact(
    username: str, number: int, name: str, token_info: dict[str, Any] | None = None
) -> Response:
    req, user = request(), optional_caller(token_info)
    async with reading() as conn:
        build = await _builds.readable(conn, user, username, number)
        row = await reads.artifact(conn, build.id, name)
    if row is None:
        raise NotFound()
    if mediatypes.accepts_exactly(req.headers.get("accept"), "application/octet-stream"):
        if row.sha256 is None or row.deleted_at is not None:
            raise NotFound()
        return await download(
            req,
            artifact_key(row.hash),
            media_type="application/octet-stream",
            filename=row.name,
            etag=row.sha256,
        )
    return json_response(_builds.artifact_json(_builds.url_of(api_root(req), build), row))
