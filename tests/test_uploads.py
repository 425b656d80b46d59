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
from genie.storage.s3 import PART_SIZE, S3Upload
from models.base import utcnow
from models.jobs import Job
from tests.conftest import Env
from tests.unit.test_storage import chunks


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
    assert record.state == "queued" and record.payload["key"] == upload.key
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
    await jobs.run_due(env.runtime)  # other tests' due jobs may run; not this one
    assert len(env.files.staged()) == 1
    assert [r.state for i, r in (await _records(env)).items() if i not in before] == ["queued"]
    await jobs.run_due(env.runtime, now=utcnow() + jobs.LEASE + timedelta(seconds=1))
    assert env.files.staged() == []
    assert (await _records(env)).keys() == before.keys()


async def _renewing(env: Env, lease: int) -> AsyncIterator[tuple[int, asyncio.Task[None]]]:
    settings = env.runtime.settings
    env.runtime.settings = dataclasses.replace(settings, job_lease=lease)
    guard = uploads.QueueGuard(env.runtime)
    handle = await guard.opened("uploads/renewed", "no-such-upload")
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
