"""Artifact curation: ``GENIE_ARTIFACT_QUOTA`` bytes of artifacts per owner.

After each build, the owner's collected artifacts are counted newest first;
those past the quota lose their file (``deleted_at`` set, size and hashes
cleared), oldest first, unless their build is pinned: a pinned build keeps its
artifacts, which still count towards the quota."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from sqlalchemy import select, update

from genie.builds import artifact_key
from models import Build, BuildArtifact
from models.base import utcnow

if TYPE_CHECKING:
    from genie.runtime import Runtime

log = logging.getLogger("genie.builds")


async def curate(runtime: Runtime, build_id: int) -> int:
    """Curate the artifacts of the build's owner; how many were removed."""
    quota = runtime.settings.artifact_quota
    if not quota:
        return 0
    async with runtime.reader.connect() as conn:
        owner = await conn.scalar(select(Build.user_id).where(Build.id == build_id))
        rows = (
            await conn.execute(
                select(BuildArtifact.id, BuildArtifact.hash, BuildArtifact.size, Build.pinned)
                .join(Build, Build.id == BuildArtifact.build_id)
                .where(
                    BuildArtifact.user_id == owner,
                    BuildArtifact.deleted_at.is_(None),
                    BuildArtifact.size.is_not(None),
                )
                .order_by(BuildArtifact.created_at.desc(), BuildArtifact.id.desc())
            )
        ).all()
    total, over = 0, []
    for row in rows:
        total += row.size
        if total > quota and not row.pinned:
            over.append(row)
    for row in over:
        async with runtime.engine.begin() as conn:
            await conn.execute(
                update(BuildArtifact)
                .where(BuildArtifact.id == row.id)
                .values(deleted_at=utcnow(), size=None, md5=None, sha256=None)
            )
        try:
            await runtime.storage.delete(artifact_key(row.hash))
        except Exception:
            log.warning("artifact %s: its file was not removed", row.id, exc_info=True)
    return len(over)
