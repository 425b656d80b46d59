"""Files in and out of the Djinn API: streamed uploads (objects, images) and raw
downloads with ``Range`` and ``ETag`` support, the same for every storage backend.
Nothing here buffers a whole file."""

from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterator
from email.utils import formatdate
from typing import Any
from urllib.parse import quote

import anyio
from starlette.requests import Request
from starlette.responses import FileResponse, MalformedRangeHeader, Response, StreamingResponse
from starlette.responses import RangeNotSatisfiable as Unsatisfiable
from starlette.types import Send

from genie import multipart
from genie.storage import TooLarge, Upload
from handlers._errors import FieldErrors, NotFound, RangeNotSatisfiable
from handlers._http import runtime
from handlers._validation import raw_content_type


def too_large(limit: int) -> str:
    """``file too large, cannot exceed 5 MB``: the size by repeated integer division
    by 1024, as the original words it."""
    size, units = limit, ["B", "KB", "MB", "GB", "TB", "PB"]
    unit = 0
    while size >= 1024 and unit < len(units) - 1:
        size //= 1024
        unit += 1
    return f"file too large, cannot exceed {size} {units[unit]}"


def not_multipart(exc: multipart.MultipartError) -> str:
    return f"File is not valid multipart/form-data: {exc}"


async def keep(
    key: str, chunks: AsyncIterator[bytes], limit: int, errors: FieldErrors
) -> Upload | None:
    """Stream ``chunks`` into a new upload for ``key``, to commit or abort; ``None``
    (and the reason under ``file``) when the file is too large or its multipart
    body broken, and then nothing is kept."""
    try:
        return await runtime().storage.receive(key, chunks, limit=limit)
    except TooLarge:
        errors.add("file", too_large(limit))
    except multipart.MultipartError as exc:
        errors.add("file", not_multipart(exc))
    return None


class Incoming:
    """The file of an upload request: the raw body, or the multipart field ``file``."""

    def __init__(self, req: Request) -> None:
        self.req = req
        content_type = raw_content_type(req.scope)
        boundary = multipart.boundary_of(content_type)
        self.field = multipart.MultipartField(boundary, "file") if boundary else None
        self._content_type = content_type

    @property
    def content_type(self) -> str | None:
        return self.field.content_type if self.field else self._content_type

    def stream(self) -> AsyncIterator[bytes]:
        body = self.req.stream()
        return self.field.stream(body) if self.field else body

    def declared_too_large(self, limit: int) -> bool:
        declared = self.req.headers.get("content-length", "")
        return bool(limit and self.field is None and declared.isdigit() and int(declared) > limit)


class _Streamed(StreamingResponse):
    """A storage read as the body; the reader is closed however the response ends
    (a client gone mid-body included), so no S3 connection is left hanging."""

    def __init__(self, reader: AsyncGenerator[bytes, None], **kwargs: Any) -> None:
        super().__init__(reader, **kwargs)
        self._reader = reader

    async def stream_response(self, send: Send) -> None:
        try:
            await super().stream_response(send)
        finally:
            with anyio.CancelScope(shield=True):
                await self._reader.aclose()


def content_disposition(filename: str) -> str:
    """``attachment; filename="name"``, or RFC 5987's ``filename*`` when the name
    needs escaping (as Starlette's ``FileResponse`` words it)."""
    quoted = quote(filename)
    if quoted != filename:
        return f"attachment; filename*=utf-8''{quoted}"
    return f'attachment; filename="{filename}"'


def _etag_matches(if_none_match: str | None, quoted: str) -> bool:
    if if_none_match is None:
        return False
    tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
    return "*" in tags or quoted in tags


def _single_range(req: Request, size: int, validators: tuple[str, str]) -> tuple[int, int] | None:
    """The one byte range asked for, as ``(start, end)``; ``None`` for the whole
    file: no ``Range``, a stale ``If-Range``, a malformed ``Range`` (ignored, as
    RFC 9110 allows) or several ranges (served whole). Raises a 416 for a range
    outside the file."""
    http_range = req.headers.get("range")
    if_range = req.headers.get("if-range")
    if not http_range or (if_range is not None and if_range not in validators):
        return None
    try:
        ranges = FileResponse._parse_range_header(http_range, size)
    except MalformedRangeHeader:
        return None
    except Unsatisfiable:
        raise RangeNotSatisfiable(headers={"Content-Range": f"bytes */{size}"}) from None
    return ranges[0] if len(ranges) == 1 else None


async def download(
    req: Request, key: str, *, media_type: str, filename: str, etag: str
) -> Response:
    """The stored file ``key`` as a raw response, from either backend: ``ETag``
    (quoted here) with ``If-None-Match`` (304), ``Last-Modified``, one ``Range``
    (206, or 416 outside the file) with ``If-Range``; or, when the storage
    presigns (``GENIE_S3_PRESIGN``), a 302 to a short-lived URL of the file.
    A missing file is a 404."""
    storage = runtime().storage
    blob = await storage.stat(key)
    if blob is None:
        raise NotFound()
    quoted, modified = f'"{etag}"', formatdate(blob.modified, usegmt=True)
    if _etag_matches(req.headers.get("if-none-match"), quoted):
        return Response(status_code=304, headers={"ETag": quoted, "Last-Modified": modified})
    disposition = content_disposition(filename)
    url = await storage.presign(key, media_type=media_type, disposition=disposition)
    if url is not None:
        return Response(status_code=302, headers={"Location": url, "Cache-Control": "no-store"})
    headers = {
        "ETag": quoted,
        "Last-Modified": modified,
        "Accept-Ranges": "bytes",
        "Content-Disposition": disposition,
        "X-Content-Type-Options": "nosniff",
    }
    start, end, status = 0, blob.size, 200
    chosen = _single_range(req, blob.size, (quoted, modified))
    if chosen is not None:
        (start, end), status = chosen, 206
        headers["Content-Range"] = f"bytes {start}-{end - 1}/{blob.size}"
    headers["Content-Length"] = str(end - start)
    reader = storage.read(key, start, end)
    return _Streamed(reader, status_code=status, headers=headers, media_type=media_type)
