"""The image download job: fetch a QCOW2 image from its URL into storage.

``POST /images`` with a ``download_url`` creates the image and its download row,
and enqueues :data:`KIND` with ``{"image_id", "api_root"}`` in the same
transaction. The URL is not in the job's payload: it may carry a password, so it
is kept encrypted (purpose :data:`URL_PURPOSE`) on the download row, and erased
when the download ends.

The job marks the download started, streams the URL into storage with
:func:`genie.fetch.fetch_to` (the SSRF guard on every hop, the Content-Type and
QCOW2 magic checks, the size limit ``GENIE_IMAGE_MAX_SIZE``), then records the
outcome: ``finished_at``, and ``error`` when it failed. A failed download is not
retried: its error says why, and the user deletes the image and tries again. Only
a failure to record the outcome (the database going away) makes the queue run the
job again, and a download that has finished is never run twice. Success fires the
``images`` webhook event with the action ``downloaded``.
"""

from __future__ import annotations

import logging
import secrets
from typing import TYPE_CHECKING, Any

from genie import jobs, webhooks
from genie.fetch import FetchError, FetchResult, fetch_to
from handlers.djinn._entities import image_json
from models import images

if TYPE_CHECKING:
    from genie.runtime import Runtime

KIND = "image.download"
#: The purpose download URLs are encrypted under (``runtime.crypto``).
URL_PURPOSE = "image-download-url"
MAX_ATTEMPTS = 3
UNEXPECTED = "Download failed: the server could not store the image"

log = logging.getLogger("genie.images")


def new_hash() -> str:
    return secrets.token_hex(16)


def storage_key(file_hash: str) -> str:
    return f"images/{file_hash[:2]}/{file_hash}"


@jobs.job(KIND)
async def download(runtime: Runtime, payload: dict[str, Any]) -> None:
    image_id = int(payload["image_id"])
    async with runtime.engine.begin() as conn:
        row = await images.download_of(conn, image_id)
        if row is None or row.finished_at is not None or row.url is None:
            return  # deleted meanwhile, or already done
        await images.download_started(conn, image_id)
    url = runtime.crypto.decrypt(row.url, purpose=URL_PURPOSE).decode()
    key = storage_key(row.hash)
    fetched = await _fetch(runtime, image_id, url, key)
    if fetched is None:
        return
    try:
        await fetched.upload.commit()
    except BaseException:
        await fetched.upload.abort()
        raise
    if not await _finished(runtime, image_id, fetched, str(payload["api_root"])):
        # The image was deleted while it downloaded: its file must go too.
        await runtime.storage.delete(key)
    runtime.jobs.wake()


async def _fetch(runtime: Runtime, image_id: int, url: str, key: str) -> FetchResult | None:
    """The downloaded file, not yet committed; None when the download failed, which
    is then recorded: a failed download is not retried."""
    try:
        return await fetch_to(
            url,
            runtime.storage,
            key,
            allow_private=runtime.settings.allow_private_urls,
            max_size=runtime.settings.image_max_size,
        )
    except FetchError as exc:
        await _failed(runtime, image_id, exc.message)
        log.info("image %s: download failed: %s", image_id, exc.message)
        return None
    except Exception:
        # A fault of ours (storage, a bug): the user still learns the download ended.
        log.exception("image %s: download failed", image_id)
        await _failed(runtime, image_id, UNEXPECTED)
        return None


async def _finished(runtime: Runtime, image_id: int, fetched: FetchResult, api_root: str) -> bool:
    """Record the finished download and fire its event; False when the image is gone."""
    async with runtime.engine.begin() as conn:
        recorded = await images.download_finished(
            conn, image_id, error=None, size=fetched.size, sha256=fetched.sha256
        )
        if recorded:
            image = await images.get(conn, image_id)
            if image is not None:
                entity = image_json(api_root, image)
                await webhooks.fire(
                    conn, image.namespace_id, "images", "downloaded", {"image": entity}
                )
    return recorded


async def _failed(runtime: Runtime, image_id: int, error: str) -> None:
    async with runtime.engine.begin() as conn:
        await images.download_finished(conn, image_id, error=error)
