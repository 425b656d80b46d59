"""Unfinished S3 multipart uploads are rows of the job queue too, so that none
outlives the node that began it.

Before an upload starts a multipart upload, :class:`QueueGuard` enqueues a
``storage.abort_upload`` job for its key in a transaction of its own, deferred by
the job lease (``GENIE_JOB_LEASE``), adds the upload's id once S3 has given it,
and pushes that job back by a lease every third of one while the upload goes on.
A node killed between creating the upload and naming it leaves a job with the key
alone, which aborts every unfinished upload of that key (each upload has a key of
its own). Completing or aborting the upload deletes the
job. A node killed mid-upload (``SIGKILL``, a lost machine) renews nothing: its
job falls due once the lease runs out, and any worker aborts the multipart
upload, so no part stays billed in the bucket. An abort that failed (S3 down)
leaves its job in place for the same reason.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, update

from genie import jobs
from models.base import utcnow
from models.jobs import Job

if TYPE_CHECKING:
    from genie.runtime import Runtime

KIND = "storage.abort_upload"

log = logging.getLogger("genie.uploads")


class QueueGuard:
    """The :class:`~genie.storage.UploadGuard` of a runtime: the job queue."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime

    async def opened(self, key: str) -> int:
        delay = jobs.lease(self.runtime).total_seconds()
        async with self.runtime.engine.begin() as conn:
            return await jobs.enqueue(conn, KIND, {"key": key}, delay=delay)

    async def named(self, handle: int, key: str, upload_id: str) -> None:
        payload = {"key": key, "upload_id": upload_id}
        async with self.runtime.engine.begin() as conn:
            await conn.execute(update(Job).where(Job.id == handle).values(payload=payload))

    async def keep(self, handle: int) -> None:
        lease = jobs.lease(self.runtime)
        while True:
            await asyncio.sleep(lease.total_seconds() / 3)
            now = utcnow()
            renew = (
                update(Job)
                .where(Job.id == handle, Job.state == "queued")
                .values(run_at=now + lease, updated_at=now)
            )
            try:
                async with self.runtime.engine.begin() as conn:
                    await conn.execute(renew)
            except Exception as exc:  # the next round tries again
                log.warning("could not renew upload record %s: %s", handle, type(exc).__name__)

    async def closed(self, handle: int) -> None:
        async with self.runtime.engine.begin() as conn:
            await conn.execute(delete(Job).where(Job.id == handle))


@jobs.job(KIND)
async def abort_upload(runtime: Runtime, payload: dict[str, Any]) -> None:
    """Abort a multipart upload whose node stopped renewing it."""
    await runtime.storage.abort_upload(payload["key"], payload.get("upload_id"))
    log.info("aborted an abandoned upload of %s", payload["key"])
