"""Unfinished S3 multipart uploads are recorded in the job queue (genie.uploads),
so that a node that dies mid-upload leaves none behind in the bucket."""

from __future__ import annotations

import asyncio
import dataclasses
import os
import secrets
from collections.abc import AsyncIterator
from datetime import timedelta

from sqlalchemy import select

from genie import jobs, uploads
from genie.storage.s3 import PART_SIZE, S3Storage, S3Upload
from models.base import utcnow
from models.jobs import Job
from tests.conftest import Env
from tests.unit.test_storage import chunks

#: The only jobs these tests run: the queue is shared with other tests (and live
#: servers), whose jobs (builds among them) are not theirs to run.
ABORTS = frozenset({uploads.KIND})


async def _records(env: Env) -> dict[int, Job]:
    """The upload records in the queue, by job id."""
    async with env.runtime.sessions() as session:
        found = await session.scalars(select(Job).where(Job.kind == uploads.KIND))
        return {job.id: job for job in found.all()}


async def _started(env: Env) -> S3Upload:
    """An upload that has started its multipart upload (more than a part sent)."""
    key = f"uploads/{secrets.token_hex(4)}"
    upload = await env.runtime.storage.receive(key, chunks(os.urandom(PART_SIZE + 1)), limit=None)
    assert isinstance(upload, S3Upload)
    return upload


async def test_a_multipart_upload_is_recorded_until_it_completes_or_aborts(
    pg_s3_env: Env,
) -> None:
    env = pg_s3_env
    assert env.files is not None
    before = await _records(env)
    upload = await _started(env)
    [record] = [r for i, r in (await _records(env)).items() if i not in before]
    assert record.state == "queued"
    assert record.payload == {"key": upload.key, "upload_id": upload._upload_id}
    assert record.run_at > utcnow() + jobs.LEASE - timedelta(seconds=30)
    await upload.commit()
    assert (await _records(env)).keys() == before.keys()
    other = await _started(env)
    assert len(await _records(env)) == len(before) + 1
    await other.abort()
    assert (await _records(env)).keys() == before.keys()
    assert env.files.staged() == []


async def test_an_abandoned_upload_is_aborted_once_its_lease_runs_out(pg_s3_env: Env) -> None:
    env = pg_s3_env
    assert env.files is not None
    before = await _records(env)
    upload = await _started(env)
    assert len(env.files.staged()) == 1
    # Its node dies: nothing renews the record, nothing aborts the upload.
    assert upload._guarded is not None
    upload._guarded[1].cancel()
    await jobs.run_due(env.runtime, kinds=ABORTS)
    assert len(env.files.staged()) == 1
    assert [r.state for i, r in (await _records(env)).items() if i not in before] == ["queued"]
    await jobs.run_due(env.runtime, now=utcnow() + jobs.LEASE + timedelta(seconds=1), kinds=ABORTS)
    assert env.files.staged() == []
    assert (await _records(env)).keys() == before.keys()


class _Watching(uploads.QueueGuard):
    """The queue guard, noting what the bucket held at each of its calls."""

    def __init__(self, env: Env) -> None:
        super().__init__(env.runtime)
        self.env = env
        self.seen: list[tuple[str, int]] = []

    async def opened(self, key: str) -> int:
        assert self.env.files is not None
        self.seen.append(("opened", len(self.env.files.staged())))
        return await super().opened(key)

    async def named(self, handle: int, key: str, upload_id: str) -> None:
        assert self.env.files is not None
        self.seen.append(("named", len(self.env.files.staged())))
        await super().named(handle, key, upload_id)


async def test_the_record_is_made_before_the_multipart_upload_exists(pg_s3_env: Env) -> None:
    """So no moment exists when a killed node leaves an upload without a record."""
    env = pg_s3_env
    storage = env.runtime.storage
    assert isinstance(storage, S3Storage)
    original = storage.guard
    watching = _Watching(env)
    storage.guard_uploads(watching)
    try:
        upload = await _started(env)
    finally:
        assert original is not None
        storage.guard_uploads(original)
    await upload.abort()
    assert watching.seen == [("opened", 0), ("named", 1)]


async def test_a_record_of_the_key_alone_aborts_the_key_s_uploads(pg_s3_env: Env) -> None:
    """A node killed after creating the multipart upload, before naming it in its
    record: the job aborts every unfinished upload of that key, and no other."""
    env = pg_s3_env
    assert env.files is not None
    before = {f.name for f in env.files.staged()}
    key, other = f"uploads/{secrets.token_hex(4)}", f"uploads/{secrets.token_hex(4)}"
    await uploads.QueueGuard(env.runtime).opened(key)
    storage = env.runtime.storage
    assert isinstance(storage, S3Storage)
    client, bucket, name = await storage.target(key)
    for _ in range(2):
        await client.create_multipart_upload(Bucket=bucket, Key=name)
    _, _, other_name = await storage.target(other)
    kept = await client.create_multipart_upload(Bucket=bucket, Key=other_name)
    assert len(env.files.staged()) == len(before) + 3
    await jobs.run_due(env.runtime, now=utcnow() + jobs.LEASE + timedelta(seconds=1), kinds=ABORTS)
    left = [f for f in env.files.staged() if f.name not in before]
    assert [f.name for f in left] == [f"multipart:{other_name}:{kept['UploadId']}"]
    await client.abort_multipart_upload(Bucket=bucket, Key=other_name, UploadId=kept["UploadId"])


async def _renewing(env: Env, lease: int) -> AsyncIterator[tuple[int, asyncio.Task[None]]]:
    settings = env.runtime.settings
    env.runtime.settings = dataclasses.replace(settings, job_lease=lease)
    guard = uploads.QueueGuard(env.runtime)
    handle = await guard.opened("uploads/renewed")
    keeper = asyncio.create_task(guard.keep(handle))
    try:
        yield handle, keeper
    finally:
        keeper.cancel()
        await asyncio.gather(keeper, return_exceptions=True)
        await guard.closed(handle)
        env.runtime.settings = settings


async def test_a_live_upload_pushes_its_record_back_every_third_of_the_lease(pg: Env) -> None:
    async for handle, _keeper in _renewing(pg, lease=6):
        first = (await _records(pg))[handle].run_at
        await asyncio.sleep(2.6)  # one renewal, after 2 s
        second = (await _records(pg))[handle].run_at
        assert second - first >= timedelta(seconds=1.5)
