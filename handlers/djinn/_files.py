"""Files in and out of the Djinn API: streamed uploads (objects, images) and raw
downloads with ``Range`` support. Nothing here buffers a whole file."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, MalformedRangeHeader, Response
from starlette.responses import RangeNotSatisfiable as Unsatisfiable

from genie import multipart
from genie.storage import TooLarge, Upload, ingest
from handlers._errors import FieldErrors, RangeNotSatisfiable
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


async def keep(chunks: AsyncIterator[bytes], limit: int, errors: FieldErrors) -> Upload | None:
    """Stream ``chunks`` into a new upload in storage, to commit or abort; ``None``
    (and the reason under ``file``) when the file is too large or its multipart
    body broken, and then nothing is kept."""
    upload = runtime().storage.begin()
    try:
        await ingest(chunks, upload, limit=limit)
    except TooLarge:
        errors.add("file", too_large(limit))
    except multipart.MultipartError as exc:
        errors.add("file", not_multipart(exc))
    except BaseException:
        await upload.abort()
        raise
    else:
        return upload
    await upload.abort()
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


class _Download(FileResponse):
    """A raw download: a malformed ``Range`` is ignored, as RFC 9110 says."""

    @classmethod
    def _parse_range_header(cls, http_range: str, file_size: int) -> list[tuple[int, int]]:
        try:
            return super()._parse_range_header(http_range, file_size)
        except MalformedRangeHeader:
            return []


def download(
    req: Request, path: Path, size: int, *, media_type: str, filename: str, etag: str
) -> Response:
    """The file at ``path`` as a raw response with ``ETag`` (quoted here), ``Range``
    and ``If-Range``; a ``Range`` outside the file raises a 416."""
    quoted = f'"{etag}"'
    response = _Download(
        path,
        media_type=media_type,
        filename=filename,
        headers={"ETag": quoted, "X-Content-Type-Options": "nosniff"},
    )
    http_range = req.headers.get("range")
    if_range = req.headers.get("if-range")
    if http_range and (if_range is None or if_range == quoted):
        try:
            _Download._parse_range_header(http_range, size)
        except Unsatisfiable:
            raise RangeNotSatisfiable(headers={"Content-Range": f"bytes */{size}"}) from None
    return response
