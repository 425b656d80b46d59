"""Images: ``/images``, ``/images/{id}``.

``POST /images`` takes a QCOW2 file as the raw body (or the multipart field
``file``), streamed to storage, or a JSON ``{name, namespace?, download_url}``
whose download runs in the job queue (:mod:`genie.images`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import urlsplit

import orjson
from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request
from starlette.responses import Response

from genie import fetch, jobs, mediatypes, multipart, netguard
from genie import images as image_jobs
from genie.scopes import parse as parse_scopes
from genie.storage import Upload
from handlers._errors import FieldErrors, NotFound, ValidationFailed
from handlers._http import (
    api_root,
    caller,
    json_response,
    optional_caller,
    reading,
    request,
    runtime,
)
from handlers._pagination import djinn_list, paginate
from handlers._validation import RAW_CONTENT_TYPE_KEY
from handlers.djinn import _resources
from handlers.djinn._entities import image_json
from handlers.djinn._files import Incoming, download, keep, not_multipart, too_large
from models import Image, ImageDownload, access, images
from models.users import Caller

MEDIA_TYPE = "application/x-qemu-disk"
READ_SCOPES = ("image:read",)
NOT_QCOW2 = "File not a valid QCOW2 file format"
NAME_TAKEN = _resources.NAME_TAKEN
KIND = _resources.Kind(images.IMAGES, event="images", payload="image", render=image_json)


async def index(token_info: dict[str, Any], search: str | None = None, page: int = 1) -> Response:
    req, user = request(), caller(token_info)
    async with reading() as conn:
        result = await paginate(conn, images.visible_images(user.id, search), page)
    root = api_root(req)
    return djinn_list(req, result, [image_json(root, row) for row in result.items])


# Creating: the checks both modes share.


async def _plan(
    user: Caller, namespace: str | None, name: str | None, errors: FieldErrors
) -> access.Placement | None:
    """Where the image goes (``None`` when refused), and whether its name is free
    there, as far as can be known before the namespace exists."""
    async with reading() as conn:
        placement = await _resources.plan(conn, user, namespace, errors)
        if name:
            await _resources.check_name(conn, KIND, placement, name, errors)
    return placement


async def store(
    token_info: dict[str, Any], name: str | None = None, namespace: str | None = None
) -> Response:
    req, user = request(), caller(token_info)
    if RAW_CONTENT_TYPE_KEY in req.scope:
        return await _upload(req, user, name, namespace)
    # The middleware has checked the JSON body against ImageCreate.
    body = orjson.loads(await req.body())
    return await _download_from(req, user, body)


# Mode (a): the file in the request.


class _Peeked:
    """A stream whose first bytes were read ahead, to check the file's magic before
    storing anything."""

    def __init__(self, stream: AsyncIterator[bytes]) -> None:
        self._stream = stream
        self._read: list[bytes] = []
        self.head = b""

    async def peek(self, size: int) -> bytes:
        async for chunk in self._stream:
            self._read.append(chunk)
            self.head += chunk
            if len(self.head) >= size:
                break
        return self.head[:size]

    async def chunks(self) -> AsyncIterator[bytes]:
        for chunk in self._read:
            yield chunk
        async for chunk in self._stream:
            yield chunk


async def _receive(incoming: Incoming, key: str, limit: int, errors: FieldErrors) -> Upload | None:
    """Check the magic, then stream the file to storage; ``None`` (and an error) when
    it cannot be kept. With errors found already, only the magic is read."""
    if incoming.declared_too_large(limit):
        errors.add("file", too_large(limit))
        return None
    body = _Peeked(incoming.stream())
    try:
        head = await body.peek(len(fetch.QCOW2_MAGIC))
    except multipart.MultipartError as exc:
        errors.add("file", not_multipart(exc))
        return None
    if not head:
        errors.add("file", "File field required")
    elif head != fetch.QCOW2_MAGIC:
        errors.add("file", NOT_QCOW2)
    if errors:
        return None
    return await keep(key, body.chunks(), limit, errors)


async def _upload(req: Request, user: Caller, name: str | None, namespace: str | None) -> Response:
    rt, errors = runtime(), FieldErrors()
    if not name:
        errors.add("name", "Name field required")
    placement = await _plan(user, namespace, name, errors)
    image_hash = image_jobs.new_hash()
    key = image_jobs.storage_key(image_hash)
    upload = await _receive(Incoming(req), key, rt.settings.image_max_size, errors)
    if errors or upload is None or placement is None or not name:
        if upload is not None:
            await upload.abort()
        raise ValidationFailed(errors)

    async def insert(session: AsyncSession, placed: access.Placed) -> Row[Any]:
        return await images.insert(
            session,
            Image(
                author_id=user.id,
                user_id=placed.user_id,
                namespace_id=placed.namespace_id,
                hash=image_hash,
                name=name,
                size=upload.size,
                sha256=upload.sha256,
            ),
        )

    entity = await _resources.create_with_file(KIND, api_root(req), placement, insert, upload)
    return json_response(entity, 201)


# Mode (b): a URL to download from, in the background.


async def _check_url(url: str, errors: FieldErrors) -> None:
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        scheme = ""
    if scheme not in netguard.DEFAULT_SCHEMES:
        errors.add("download_url", "Download_url invalid url scheme")
        return
    problem = netguard.url_problem(url)
    if problem:
        errors.add("download_url", f"Download_url is invalid: {problem}")
        return
    try:
        await netguard.check_public(url, allow_private=runtime().settings.allow_private_urls)
    except netguard.UnsafeURL as exc:
        errors.add("download_url", f"Download_url is refused: {exc}")


async def _download_from(req: Request, user: Caller, body: dict[str, Any]) -> Response:
    rt, errors = runtime(), FieldErrors()
    name, url = body["name"], body["download_url"]
    placement = await _plan(user, body.get("namespace") or None, name, errors)
    await _check_url(url, errors)
    if errors or placement is None:
        raise ValidationFailed(errors)

    root = api_root(req)

    async def insert(session: AsyncSession, placed: access.Placed) -> Row[Any]:
        row = await images.insert(
            session,
            Image(
                author_id=user.id,
                user_id=placed.user_id,
                namespace_id=placed.namespace_id,
                hash=image_jobs.new_hash(),
                name=name,
            ),
            ImageDownload(
                source=fetch.redact(url),
                url=rt.crypto.encrypt(url, purpose=image_jobs.URL_PURPOSE),
            ),
        )
        await jobs.enqueue(
            session,
            image_jobs.KIND,
            {"image_id": row.id, "api_root": root},
            max_attempts=image_jobs.MAX_ATTEMPTS,
        )
        return row

    entity = await _resources.create(KIND, root, placement, insert)
    return json_response(entity, 201)


# One image.


def _require_read_scope(user: Caller | None, row: Row[Any]) -> None:
    """Public namespaces grant reads to anyone (as the namespace routes do); other
    images need ``image:read``."""
    if row.ns_visibility == "public":
        return
    held = parse_scopes(user.scope) if user else frozenset()
    missing = [s for s in READ_SCOPES if s not in held]
    if missing:
        raise access.ScopeMissing(missing)


async def _file(req: Request, row: Row[Any]) -> Response:
    if row.sha256 is None:
        raise NotFound()  # a download that has not finished (or failed)
    return await download(
        req,
        image_jobs.storage_key(row.hash),
        media_type=MEDIA_TYPE,
        filename=f"{row.name}.qcow2",
        etag=row.sha256,
    )


async def show(id: int, token_info: dict[str, Any] | None = None) -> Response:
    req, user = request(), optional_caller(token_info)
    async with reading() as conn:
        row = await images.get_visible(conn, id, user.id if user else None)
    if row is None:
        raise NotFound()
    _require_read_scope(user, row)
    if mediatypes.accepts_exactly(req.headers.get("accept"), MEDIA_TYPE):
        return await _file(req, row)
    return json_response(image_json(api_root(req), row, anonymous=user is None))


async def destroy(token_info: dict[str, Any], id: int) -> Response:
    return await _resources.destroy(KIND, caller(token_info), id, then=_delete_file)


async def _delete_file(row: Row[Any]) -> None:
    await runtime().storage.delete(image_jobs.storage_key(row.hash))
