"""Limits on what a client sends, so a slow or greedy one cannot hold the server.

uvicorn caps connections (``--limit-concurrency``: 503 past it) and idle
keep-alive connections (``--timeout-keep-alive``); h11 caps the size of a header
block. :class:`BodyGuard` adds what uvicorn lacks, answered in each API's error
format:

* **431** for more than :data:`MAX_HEADERS` header fields, or more than
  :data:`MAX_HEADER_BYTES` bytes of them;
* **413** for a JSON or form body past ``GENIE_JSON_MAX_SIZE``: at once when its
  ``Content-Length`` says so (the body is never read), or as soon as a chunked
  one goes past it;
* **408** for a body that does not arrive in time: ``GENIE_BODY_TIMEOUT`` seconds,
  plus one more for every :data:`MIN_RATE` bytes received. A client that trickles
  a body byte by byte, or sends headers and no body, loses its slot after
  ``GENIE_BODY_TIMEOUT`` seconds; a large upload at a sane rate never does.

No pooled database connection is held while a body is awaited
(:mod:`genie.runtime`), so slow bodies cost a socket and a task, nothing shared.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from handlers._errors import HeadersTooLarge, PayloadTooLarge, RequestTimeout

MAX_HEADERS = 100
MAX_HEADER_BYTES = 16 * 1024
#: Bytes per second a body must average, past the first ``GENIE_BODY_TIMEOUT``.
MIN_RATE = 16 * 1024
#: Media types whose bodies are parsed in memory, and so capped.
CAPPED_TYPES = ("application/json", "application/x-www-form-urlencoded")


def _capped(content_type: bytes) -> bool:
    media = content_type.split(b";", 1)[0].strip().decode("latin-1").lower()
    return media in CAPPED_TYPES or media.endswith("+json")


@dataclass
class _Receiver:
    """``receive`` with a deadline while the body lasts, and a size cap."""

    receive: Receive
    limit: int
    timeout: float
    started: float
    received: int = 0
    done: bool = False

    async def __call__(self) -> Message:
        if self.done:  # the body is in: waiting for a disconnect is not timed
            return await self.receive()
        deadline = self.started + self.timeout + self.received / MIN_RATE
        try:
            async with asyncio.timeout_at(deadline):
                message = await self.receive()
        except TimeoutError:
            raise RequestTimeout() from None
        if message["type"] == "http.request":
            self.received += len(message.get("body", b""))
            self.done = not message.get("more_body", False)
            if self.limit and self.received > self.limit:
                raise PayloadTooLarge()
        else:
            self.done = True
        return message


class BodyGuard:
    def __init__(self, app: ASGIApp, *, json_max_size: int, body_timeout: float) -> None:
        self.app = app
        self.json_max_size = json_max_size
        self.body_timeout = body_timeout

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = scope["headers"]
        size = sum(len(name) + len(value) for name, value in headers)
        if len(headers) > MAX_HEADERS or size > MAX_HEADER_BYTES:
            raise HeadersTooLarge()
        limit = 0
        if self.json_max_size and _capped(_header(headers, b"content-type")):
            limit = self.json_max_size
            length = _header(headers, b"content-length")
            if length.isdigit() and int(length) > limit:
                raise PayloadTooLarge()
        started = asyncio.get_running_loop().time()
        guarded = _Receiver(receive, limit, self.body_timeout, started)
        await self.app(scope, guarded, send)


def _header(headers: list[tuple[bytes, bytes]], name: bytes) -> bytes:
    for key, value in headers:
        if key.lower() == name:
            return value.strip()
    return b""
