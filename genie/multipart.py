"""Stream one file field out of a ``multipart/form-data`` body, without buffering it.

The original Djinn API accepts uploads either as the raw body or as the multipart
field ``file`` (``curl -F file=@data``). python-multipart's incremental parser
feeds the field's bytes straight into the same ingest as raw uploads.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, MultipartState, parse_options_header

__all__ = ["MultipartError", "MultipartField", "boundary_of"]


class MultipartError(ValueError):
    """The body is not well-formed multipart/form-data."""


def boundary_of(content_type: str | None) -> bytes | None:
    if not content_type:
        return None
    media_type, params = parse_options_header(content_type)
    if media_type.lower() != b"multipart/form-data":
        return None
    boundary = params.get(b"boundary")
    return boundary or None


class MultipartField:
    """Yields the bytes of the first part named ``name``; other parts are skipped."""

    def __init__(self, boundary: bytes, name: str) -> None:
        self.name = name.encode()
        self.found = False
        self.content_type: str | None = None
        self._pending: list[bytes] = []
        self._headers: dict[bytes, bytes] = {}
        self._field = b""
        self._value = b""
        self._in_target = False
        self._parser = MultipartParser(
            boundary,
            {
                "on_part_begin": self._part_begin,
                "on_header_field": self._header_field,
                "on_header_value": self._header_value,
                "on_header_end": self._header_end,
                "on_headers_finished": self._headers_finished,
                "on_part_data": self._part_data,
                "on_part_end": self._part_end,
            },
        )

    def _part_begin(self) -> None:
        self._headers = {}

    def _header_field(self, data: bytes, start: int, end: int) -> None:
        self._field += data[start:end]

    def _header_value(self, data: bytes, start: int, end: int) -> None:
        self._value += data[start:end]

    def _header_end(self) -> None:
        self._headers[self._field.strip().lower()] = self._value.strip()
        self._field = self._value = b""

    def _headers_finished(self) -> None:
        _, params = parse_options_header(self._headers.get(b"content-disposition", b""))
        if not self.found and params.get(b"name") == self.name:
            self.found = self._in_target = True
            content_type = self._headers.get(b"content-type")
            self.content_type = content_type.decode("latin-1") if content_type else None

    def _part_data(self, data: bytes, start: int, end: int) -> None:
        if self._in_target:
            self._pending.append(data[start:end])

    def _part_end(self) -> None:
        self._in_target = False

    async def stream(self, body: AsyncIterator[bytes]) -> AsyncIterator[bytes]:
        try:
            async for chunk in body:
                self._parser.write(chunk)
                while self._pending:
                    yield self._pending.pop(0)
            self._parser.finalize()
        except MultipartParseError as exc:
            raise MultipartError(str(exc)) from None
        if self._parser.state != MultipartState.END:
            raise MultipartError("the body ends before its closing boundary")
        while self._pending:
            yield self._pending.pop(0)
