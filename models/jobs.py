"""The durable job queue's table. The queue itself is :mod:`genie.jobs`."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Index,
    Row,
    String,
    Text,
    and_,
    case,
    func,
    select,
    text,
)
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, BigInt, UTCDateTime, utcnow

JOB_STATES = ("queued", "running", "failed")


class Job(Base):
    """One unit of background work. Done jobs are deleted; failed ones stay for
    inspection (``state = 'failed'``, ``last_error``)."""

    __tablename__ = "jobs"
    __table_args__ = (
        CheckConstraint("state IN ('queued', 'running', 'failed')", name="state"),
        # The worker's two questions, each answered from a small partial index.
        Index(
            "ix_jobs_due",
            "run_at",
            "id",
            postgresql_where=text("state = 'queued'"),
            sqlite_where=text("state = 'queued'"),
        ),
        Index(
            "ix_jobs_lease",
            "locked_until",
            postgresql_where=text("state = 'running'"),
            sqlite_where=text("state = 'running'"),
        ),
    )

    id: Mapped[int] = mapped_column(BigInt, primary_key=True)
    kind: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    state: Mapped[str] = mapped_column(String(16), default="queued")
    attempts: Mapped[int] = mapped_column(default=0)
    max_attempts: Mapped[int] = mapped_column(default=8)
    run_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


def _count(state: str) -> Any:
    return func.coalesce(func.sum(case((Job.state == state, 1), else_=0)), 0)


async def queue_stats(conn: AsyncConnection, now: datetime) -> list[Row[Any]]:
    """Per kind of job: how many wait (``queued``), how many are claimed
    (``running``), and the ``run_at`` of the oldest one due (``oldest_due``).

    One grouped query over the queued and running rows only (the two partial
    indexes' rows), not the failed ones that accumulate."""
    oldest_due = func.min(case((and_(Job.state == "queued", Job.run_at <= now), Job.run_at)))
    statement = (
        select(
            Job.kind,
            _count("queued").label("queued"),
            _count("running").label("running"),
            oldest_due.label("oldest_due"),
        )
        .where(Job.state.in_(("queued", "running")))
        .group_by(Job.kind)
        .order_by(Job.kind)
    )
    return list((await conn.execute(statement)).all())
