"""The worker's :class:`genie.runner.Reporter`: what the runner tells, written to
the database as it happens (job statuses and timings, output appended batch by
batch, so readers are never more than about a second behind) and artifacts
copied to storage with their size, MD5 and SHA-256."""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import AsyncIterator, Sequence
from typing import TYPE_CHECKING

from sqlalchemy import func, update

from genie.builds import artifact_key
from models import Build, BuildArtifact, BuildJob
from models.base import utcnow

if TYPE_CHECKING:
    from genie.runtime import Runtime

log = logging.getLogger("genie.builds")


class DatabaseReporter:
    """Reports of one build. ``jobs`` are ``(name, id)`` in run order; the first is
    ``create-driver``, whose output is also the build's ``output``."""

    def __init__(self, runtime: Runtime, build_id: int, jobs: Sequence[tuple[str, int]]) -> None:
        self.runtime = runtime
        self.build_id = build_id
        self._ids: dict[str, deque[int]] = {}
        for name, job_id in jobs:
            self._ids.setdefault(name, deque()).append(job_id)
        self._creation = jobs[0][1] if jobs else None

    def _id(self, job: str) -> int:
        return self._ids[job][0]

    async def job_started(self, job: str) -> None:
        async with self.runtime.engine.begin() as conn:
            await conn.execute(
                update(BuildJob)
                .where(BuildJob.id == self._id(job))
                .values(status="running", started_at=utcnow())
            )

    async def output(self, job: str, text: str) -> None:
        job_id = self._id(job)
        async with self.runtime.engine.begin() as conn:
            await conn.execute(
                update(BuildJob)
                .where(BuildJob.id == job_id)
                .values(output=func.coalesce(BuildJob.output, "") + text)
            )
            if job_id == self._creation:
                await conn.execute(
                    update(Build)
                    .where(Build.id == self.build_id)
                    .values(output=func.coalesce(Build.output, "") + text)
                )

    async def job_finished(self, job: str, status: str) -> None:
        job_id = self._ids[job].popleft() if len(self._ids[job]) > 1 else self._id(job)
        async with self.runtime.engine.begin() as conn:
            await conn.execute(
                update(BuildJob)
                .where(BuildJob.id == job_id)
                .values(status=status, finished_at=utcnow())
            )

    async def artifact(
        self, job: str, name: str, source: str, data: AsyncIterator[bytes] | None
    ) -> None:
        job_id = self._id(job)
        where = (BuildArtifact.job_id == job_id, BuildArtifact.name == name)
        async with self.runtime.engine.connect() as conn:
            file_hash = await conn.scalar(
                BuildArtifact.__table__.select().with_only_columns(BuildArtifact.hash).where(*where)
            )
        values: dict[str, object] = {"missing": True}
        if data is not None and file_hash is not None:
            try:
                stored = await self.runtime.storage.put(artifact_key(file_hash), data)
            except Exception:
                log.warning("build %s: artifact %s not stored", self.build_id, name, exc_info=True)
                await self.output(job, f"artifact error: {name}: could not be stored\n")
            else:
                values = {
                    "size": stored.size,
                    "md5": stored.md5,
                    "sha256": stored.sha256,
                    "created_at": utcnow(),
                }
        async with self.runtime.engine.begin() as conn:
            await conn.execute(update(BuildArtifact).where(*where).values(**values))
