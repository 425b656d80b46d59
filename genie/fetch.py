"""Download a QCOW2 image from a URL into storage, for ``POST /images`` by URL.

:func:`fetch_to` streams an http(s) response into a :class:`~genie.storage.Storage`
upload, so the bytes are hashed and written exactly like an uploaded file, and
never held in memory. It runs in a job, not in a request. On the way it:

- refuses unsafe URLs with :mod:`genie.netguard`, again on **every redirect hop**
  (redirects are followed here, one at a time, at most :data:`MAX_REDIRECTS`);
- sends basic auth from the URL's userinfo, only to that URL's origin (httpx
  drops ``Authorization`` when a redirect leaves it);
- requires a 2xx answer whose ``Content-Type`` is one of ``accepted_types``;
- enforces ``max_size`` (0: no limit) on the declared length and on the bytes;
- requires the QCOW2 magic ``QFI\\xfb`` at the start, checked on the first bytes
  so a wrong file is dropped before the rest arrives;
- gives up after ``time_limit`` seconds in all.

Every failure raises :class:`FetchError` with a message for the API user (it
becomes ``download.error``) and leaves no file behind. ``transient`` says
whether trying again later may help (timeouts, dropped connections, 5xx).

Proxies and ``.netrc`` from the environment are ignored (``trust_env=False``):
the address check must see the host actually connected to.

:func:`redact` hides a URL's password, for ``download.source`` and messages.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Final

import httpx

from genie import netguard
from genie.storage import Storage, TooLarge, Upload

QCOW2_MAGIC: Final = b"QFI\xfb"
QCOW2_TYPES: Final = ("application/x-qemu-disk",)
MAX_REDIRECTS: Final = 5
#: The whole download, as upstream allows (reference §10).
TIMEOUT: Final = 600.0
_HOP_TIMEOUT = httpx.Timeout(60.0, connect=30.0)
_TRANSIENT_STATUSES = frozenset({408, 425, 429})


class FetchError(Exception):
    """The download failed; ``message`` is for the user who gave the URL."""

    def __init__(self, message: str, *, transient: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.transient = transient


@dataclass(frozen=True)
class FetchResult:
    """A complete, checked download, **not yet committed**: the caller calls
    ``upload.commit()`` (or ``upload.abort()`` if its own work fails)."""

    upload: Upload
    size: int
    md5: str
    sha256: str
    content_type: str
    #: Where the bytes finally came from, password redacted.
    url: str


def redact(url: str) -> str:
    """``url`` with any password in its userinfo replaced by ``xxxxx``.

    The authority is read as ``urlsplit`` reads it (up to the first ``/``, ``?``
    or ``#``), so the answer matches what a client would send credentials for.
    """
    scheme, sep, rest = url.partition("://")
    if not sep:
        return url
    end = min((i for i in map(rest.find, "/?#") if i >= 0), default=len(rest))
    userinfo, at, hostport = rest[:end].rpartition("@")
    user, colon, password = userinfo.partition(":")
    if not at or not colon or not password:
        return url
    return f"{scheme}://{user}:xxxxx@{hostport}{rest[end:]}"


async def fetch_to(
    url: str,
    sink: Storage,
    key: str,
    *,
    allow_private: bool,
    max_size: int,
    accepted_types: tuple[str, ...] = QCOW2_TYPES,
    time_limit: float = TIMEOUT,
) -> FetchResult:
    """Download ``url`` into a new upload of ``sink`` for ``key``; raise
    :class:`FetchError`."""
    try:
        async with asyncio.timeout(time_limit):
            return await _fetch(url, (sink, key), allow_private, max_size, accepted_types)
    except TimeoutError:
        message = f"Download took longer than {time_limit:g} seconds"
        raise FetchError(message, transient=True) from None
    except httpx.TimeoutException:
        raise FetchError("Download timed out waiting for the server", transient=True) from None
    except httpx.ConnectError:
        raise FetchError("Download could not connect to the server", transient=True) from None
    except httpx.RemoteProtocolError:
        raise FetchError("Download was cut off by the server", transient=True) from None
    except httpx.HTTPError as exc:
        # Other transport failures; only the type is shown, never httpx's text.
        raise FetchError(f"Download failed: {type(exc).__name__}", transient=True) from None


async def _fetch(
    url: str,
    sink: tuple[Storage, str],
    allow_private: bool,
    max_size: int,
    accepted_types: tuple[str, ...],
) -> FetchResult:
    accepted = tuple(t.lower() for t in accepted_types)
    headers = {"User-Agent": "genie", "Accept": ", ".join(accepted)}
    await _guard(url, 0, allow_private)
    # netguard.client checks the address it connects to as well (DNS rebinding).
    async with netguard.client(
        allow_private=allow_private, headers=headers, timeout=_HOP_TIMEOUT, follow_redirects=False
    ) as client:
        try:
            request = client.build_request("GET", url)
        except httpx.InvalidURL:
            raise FetchError("Download URL is not valid") from None
        for hop in range(MAX_REDIRECTS + 1):
            if hop:
                await _guard(str(request.url), hop, allow_private)
            try:
                response = await client.send(request, stream=True)
            except httpx.RemoteProtocolError as exc:
                if "location header" not in str(exc).lower():
                    raise
                raise FetchError("Download redirect has an invalid Location") from None
            try:
                if response.next_request is None:
                    return await _receive(response, sink, max_size, accepted)
                request = response.next_request
            finally:
                await response.aclose()
    raise FetchError(f"Download redirected more than {MAX_REDIRECTS} times")


async def _guard(url: str, hop: int, allow_private: bool) -> None:
    """The SSRF guard, before the first request and before each redirect hop."""
    try:
        await netguard.check_public(url, allow_private=allow_private)
    except netguard.UnsafeURL as exc:
        where = f" redirect to {redact(url)}" if hop else ""
        raise FetchError(f"Download{where} refused: {exc}") from None


async def _receive(
    response: httpx.Response,
    sink: tuple[Storage, str],
    max_size: int,
    accepted: tuple[str, ...],
) -> FetchResult:
    status = response.status_code
    if not 200 <= status < 300:
        transient = status >= 500 or status in _TRANSIENT_STATUSES
        phrase = response.reason_phrase[:60]
        raise FetchError(
            f"Download failed: the server answered {status} {phrase}", transient=transient
        )
    content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type not in accepted:
        shown = repr(content_type[:80]) if content_type else "none"
        raise FetchError(f"Download has Content-Type {shown}, expected {' or '.join(accepted)}")
    declared = response.headers.get("content-length", "")
    if max_size and declared.isdigit() and int(declared) > max_size:
        raise FetchError(_too_large(max_size))
    storage, key = sink
    try:
        upload = await storage.receive(key, _checked(response.aiter_bytes()), limit=max_size)
    except TooLarge:
        raise FetchError(_too_large(max_size)) from None
    return FetchResult(
        upload=upload,
        size=upload.size,
        md5=upload.md5,
        sha256=upload.sha256,
        content_type=content_type,
        url=redact(str(response.url)),
    )


async def _checked(chunks: AsyncIterator[bytes]) -> AsyncIterator[bytes]:
    """The body, refused as soon as its first bytes are not the QCOW2 magic."""
    head = b""
    async for chunk in chunks:
        if len(head) < len(QCOW2_MAGIC):
            head += chunk[: len(QCOW2_MAGIC) - len(head)]
            if not QCOW2_MAGIC.startswith(head):
                raise FetchError(_NOT_QCOW2)
        yield chunk
    if head != QCOW2_MAGIC:
        raise FetchError(_NOT_QCOW2 if head else "Download is empty")


_NOT_QCOW2 = "Download is not a QCOW2 image: it does not start with QFI\\xfb"


def _too_large(limit: int) -> str:
    return f"Download is larger than the image size limit of {limit} bytes"
