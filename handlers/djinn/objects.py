"""Objects: ``/objects``, ``/objects/{id}``, ``/objects/{id}/builds``."""

from __future__ import annotations

import secrets
from typing import Any

from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response

from genie import mediatypes
from genie.storage import Upload
from handlers._errors import FieldErrors, NotFound, ValidationFailed
from handlers._http import api_root, caller, json_response, reading, request, runtime
from handlers._pagination import djinn_list, paginate
from handlers.djinn import _builds, _resources
from handlers.djinn._entities import object_json
from handlers.djinn._files import Incoming, download, keep, too_large
from models import Object, access, objects

__all__ = ["builds", "destroy", "index", "show", "store", "too_large"]

KIND = _resources.Kind(objects.OBJECTS, event="objects", payload="object", render=object_json)


async def index(token_info: dict[str, Any], search: str | None = None, page: int = 1) -> Response:
    req, user = request(), caller(token_info)
    async with reading() as conn:
        result = await paginate(conn, objects.visible_objects(user.id, search), page)
    root = api_root(req)
    return djinn_list(req, result, [object_json(root, o) for o in result.items])


async def _receive_file(
    incoming: Incoming, key: str, limit: int, errors: FieldErrors
) -> Upload | None:
    """Stream the file into storage; ``None`` (and an error) when it cannot be kept."""
    if incoming.declared_too_large(limit):
        errors.add("file", too_large(limit))
        return None
    upload = await keep(key, incoming.stream(), limit, errors)
    if upload is not None and not upload.size:
        errors.add("file", "File field required")
        await upload.abort()
        return None
    return upload


async def store(token_info: dict[str, Any], name: str, namespace: str | None = None) -> Response:
    req, rt, user = request(), runtime(), caller(token_info)
    errors = FieldErrors()
    async with reading() as conn:
        placement = await _resources.plan(conn, user, namespace, errors)
    incoming = Incoming(req)
    file_hash = secrets.token_hex(16)
    key = storage_key(file_hash)
    upload = await _receive_file(incoming, key, rt.settings.object_max_size, errors)
    if upload is None or placement is None:
        if upload is not None:
            await upload.abort()
        async with rt.sessions() as session:
            await _resources.check_name(session, KIND, placement, name, errors)
        raise ValidationFailed(errors)

    async def insert(session: AsyncSession, placed: access.Placed) -> Row[Any]:
        return await objects.insert(
            session,
            Object(
                author_id=user.id,
                user_id=placed.user_id,
                namespace_id=placed.namespace_id,
                hash=file_hash,
                name=name,
                type=mediatypes.object_type(incoming.content_type, upload.head, name),
                size=upload.size,
                md5=upload.md5,
                sha256=upload.sha256,
            ),
        )

    entity = await _resources.create_with_file(KIND, api_root(req), placement, insert, upload)
    return json_response(entity, 201)


def storage_key(file_hash: str) -> str:
    return f"objects/{file_hash[:2]}/{file_hash}"


async def show(token_info: dict[str, Any], id: int) -> Response:
    req, user = request(), caller(token_info)
    async with reading() as conn:
        row = await objects.get_visible(conn, id, user.id)
    if row is None:
        raise NotFound()
    if mediatypes.accepts_exactly(req.headers.get("accept"), row.type, "application/octet-stream"):
        key = storage_key(row.hash)
        return await download(req, key, media_type=row.type, filename=row.name, etag=row.sha256)
    return json_response(object_json(api_root(req), row))


async def destroy(token_info: dict[str, Any], id: int) -> Response:
    return await _resources.destroy(KIND, caller(token_info), id, then=_delete_file)


async def _delete_file(row: Row[Any]) -> None:
    await runtime().storage.delete(storage_key(row.hash))


async def builds(
    token_info: dict[str, Any],
    id: int,
    tag: str | None = None,
    search: str | None = None,
    status: str | None = None,
    pinned: bool | None = None,
    page: int = 1,
) -> Response:
    filters = objects.BuildFilters(tag, search, status, pinned)
    return await _builds.of_resource(
        caller(token_info), objects.exists_visible, objects.builds_of, id, filters, page
    )
