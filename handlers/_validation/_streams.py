"""ASGI body plumbing: peeking at, reading and replaying a request body, and
rewriting the Content-Type Connexion sees.

A raw (``format: binary``) or multipart upload is never buffered here: only its
first chunk is peeked at to see whether the body is empty, and its form content
type is hidden from Connexion so that it does not parse the upload as a form. The
original ``Content-Type`` stays available through :func:`raw_content_type`.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

from starlette.datastructures import MutableHeaders
from starlette.types import Message, Receive, Scope

from handlers._forms import properties_of

#: Where the original Content-Type of a raw upload is kept in the ASGI scope.
RAW_CONTENT_TYPE_KEY = "genie.raw_content_type"
#: JSON bodies larger than this are refused before parsing.
MAX_JSON_BODY = 1024 * 1024


def raw_content_type(scope: MutableMapping[str, Any]) -> str | None:
    """The Content-Type a raw upload arrived with (``None`` when absent)."""
    return scope.get(RAW_CONTENT_TYPE_KEY)


def mime_type_of(content_type: str | None) -> str:
    """A Content-Type's media type alone, lower-cased (empty when absent)."""
    return (content_type or "").split(";", 1)[0].strip().lower()


def _is_binary(schema: Any) -> bool:
    return isinstance(schema, dict) and schema.get("format") == "binary"


def is_streamed(media_type: str, schema: dict[str, Any] | None) -> bool:
    """Raw binary bodies and multipart uploads (of a binary field) go to the handler
    as a stream; other multipart bodies are forms."""
    if not schema:
        return media_type.lower().startswith("multipart/")
    if media_type.lower().startswith("multipart/"):
        properties = properties_of(schema)
        return not properties or any(_is_binary(p) for p in properties.values())
    return schema.get("type") == "string" and schema.get("format") == "binary"


async def peek_empty(receive: Receive) -> tuple[bool, Receive]:
    """Whether the body is empty, reading only up to its first bytes."""
    seen: list[Message] = []
    while True:
        message = await receive()
        seen.append(message)
        if message.get("type") != "http.request":
            empty = False  # a disconnect: let the handler see it
            break
        if message.get("body"):
            empty = False
            break
        if not message.get("more_body", False):
            empty = True
            break

    async def replay() -> Message:
        if seen:
            return seen.pop(0)
        return await receive()

    return empty, replay


async def read_body(receive: Receive) -> bytes | None:
    """The whole body; ``None`` when larger than :data:`MAX_JSON_BODY` or the
    client went away."""
    chunks: list[bytes] = []
    size = 0
    more = True
    while more:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_JSON_BODY:
            return None
        chunks.append(chunk)
        more = message.get("more_body", False)
    return b"".join(chunks)


def replay(raw: bytes, receive: Receive) -> Receive:
    """``receive`` as if ``raw``, already read, were still to come."""
    sent = False

    async def replayed() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": raw, "more_body": False}
        return await receive()

    return replayed


def set_content_type(scope: Scope, content_type: str) -> Scope:
    """A copy of ``scope`` whose request says ``content_type``."""
    scope = dict(scope)
    scope["headers"] = list(scope["headers"])
    MutableHeaders(scope=scope)["content-type"] = content_type
    return scope


def show_content_type(scope: Scope, shown: str, content_type: str | None) -> Scope:
    """Show Connexion ``shown`` and keep the request's own Content-Type aside."""
    scope = set_content_type(scope, shown)
    scope[RAW_CONTENT_TYPE_KEY] = content_type
    return scope


def hide_content_type(scope: Scope, content_type: str | None) -> Scope:
    """Keep the upload's Content-Type aside and show Connexion a raw one."""
    return show_content_type(scope, "application/octet-stream", content_type)
