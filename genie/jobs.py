"""A durable job queue in the database: work that must happen off the request path.

Webhook deliveries, deploys and image downloads are jobs. A job is a row in
``jobs`` (:class:`models.jobs.Job`), inserted **in the caller's transaction** with
:func:`enqueue`, so it exists exactly when the change that caused it commits.

Handlers::

    @jobs.job("webhook.deliver")
    async def deliver(runtime: Runtime, payload: dict[str, Any]) -> None: ...

live in modules listed in :data:`JOB_MODULES`, imported before the first job runs.
A handler that returns ends the job (its row is deleted). One that raises is
retried with exponential backoff (``BACKOFF_BASE * 2**(attempt-1)`` seconds, at
most ``BACKOFF_CAP``, ±20 % jitter), or after ``Retry.after`` seconds when it
raises :class:`Retry`; after ``max_attempts`` the row stays with
``state = 'failed'`` and ``last_error``. Raise :class:`Fail` to stop retrying.

Who runs them:

* ``genie serve`` and ``genie worker`` run a :class:`genie.job_worker.Worker`
  (``GENIE_JOBS_WORKER=0`` turns the server's off). It claims due jobs with
  ``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so several workers share one queue;
  each claim holds a lease (``GENIE_JOB_LEASE``, default :data:`LEASE`) that a
  heartbeat renews every third of it, and a job whose worker died is claimed
  again when its lease runs out.
* Tests call :func:`run_due` to run every due job now, in the test's task.

Delivery is at least once: a handler must tolerate running twice.
"""

from __future__ import annotations

import asyncio
import importlib
import logging
import random
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import case, delete, insert, or_, select, true, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from genie import wakeup
from genie.settings import DEFAULT_JOB_LEASE
from models.base import utcnow
from models.jobs import Job

if TYPE_CHECKING:
    from genie.runtime import Runtime

log = logging.getLogger("genie.jobs")

Handler = Callable[["Runtime", dict[str, Any]], Awaitable[None]]

#: Modules that register job handlers; imported before any job runs.
JOB_MODULES: tuple[str, ...] = (
    "genie.webhooks",
    "genie.deploy",
    "genie.images",
    "genie.build_worker",
    "genie.uploads",
)

BACKOFF_BASE = 5.0
BACKOFF_CAP = 3600.0
#: The default lease; ``settings.job_lease`` (``GENIE_JOB_LEASE``) is the one in force.
LEASE = timedelta(seconds=DEFAULT_JOB_LEASE)
#: Leases of kinds that must be taken over sooner when their worker dies: a build
#: whose worker was SIGKILLed ends ``failed`` once its lease runs out.
SHORT_LEASES: dict[str, timedelta] = {"build": timedelta(seconds=30)}
ERROR_LIMIT = 2000

_handlers: dict[str, Handler] = {}


class Retry(Exception):
    """Run the job again after ``after`` seconds (counts as an attempt)."""

    def __init__(self, reason: str, *, after: float | None = None) -> None:
        super().__init__(reason)
        self.after = after


class Fail(Exception):
    """Give up on the job now: it ends ``failed`` with this reason."""


def job(kind: str) -> Callable[[Handler], Handler]:
    """Register ``handler`` for jobs of ``kind``."""

    def register(handler: Handler) -> Handler:
        if _handlers.get(kind, handler) is not handler:
            raise ValueError(f"job kind {kind!r} is already registered")
        _handlers[kind] = handler
        return handler

    return register


def load_handlers() -> dict[str, Handler]:
    for module in JOB_MODULES:
        importlib.import_module(module)
    return _handlers


#: Whether this task enqueued a job that no worker's ``wake()`` announced yet.
_ENQUEUED: ContextVar[bool] = ContextVar("genie_jobs_enqueued", default=False)


def take_enqueued() -> bool:
    """Whether this task enqueued a job since the last call (which answers)."""
    if _ENQUEUED.get():
        _ENQUEUED.set(False)
        return True
    return False


async def enqueue(
    db: AsyncSession | AsyncConnection,
    kind: str,
    payload: dict[str, Any],
    *,
    delay: float = 0.0,
    max_attempts: int = 8,
) -> int:
    """Add a job in ``db``'s transaction; it runs once that transaction commits.
    Returns its id."""
    now = utcnow()
    made = await db.execute(
        insert(Job)
        .values(
            kind=kind,
            payload=payload,
            state="queued",
            attempts=0,
            max_attempts=max_attempts,
            run_at=now + timedelta(seconds=delay),
            created_at=now,
            updated_at=now,
        )
        .returning(Job.id)
    )
    await wakeup.notify(db, wakeup.JOBS, kind)
    _ENQUEUED.set(True)
    return int(made.scalar_one())


def lease(runtime: Runtime) -> timedelta:
    """How long a claim (or its last heartbeat) keeps a job its worker's."""
    return timedelta(seconds=runtime.settings.job_lease)


def backoff(attempt: int) -> float:
    delay = min(BACKOFF_CAP, BACKOFF_BASE * 2 ** max(0, attempt - 1))
    return delay * random.uniform(0.8, 1.2)


@dataclass(frozen=True)
class Claimed:
    id: int
    kind: str
    payload: dict[str, Any]
    attempts: int
    max_attempts: int


async def claim(
    runtime: Runtime,
    *,
    now: datetime | None = None,
    limit: int = 1,
    kinds: frozenset[str] | None = None,
) -> list[Claimed]:
    """Take up to ``limit`` due jobs (and jobs whose lease ran out) for this worker;
    only jobs of ``kinds`` when given."""
    now = now or utcnow()
    due = (
        select(Job.id)
        .where(
            or_(
                (Job.state == "queued") & (Job.run_at <= now),
                (Job.state == "running") & (Job.locked_until < now),
            )
        )
        .where(Job.kind.in_(sorted(kinds)) if kinds else true())
        .order_by(Job.run_at, Job.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
        .scalar_subquery()
    )
    statement = (
        update(Job)
        .where(Job.id.in_(due))
        .values(
            state="running",
            attempts=Job.attempts + 1,
            locked_until=lease_until(now, lease(runtime)),
            updated_at=now,
        )
        .returning(Job.id, Job.kind, Job.payload, Job.attempts, Job.max_attempts)
    )
    async with runtime.engine.begin() as conn:
        rows = (await conn.execute(statement)).all()
    return [Claimed(*row) for row in sorted(rows)]


def lease_until(now: datetime, lease: timedelta = LEASE) -> Any:
    """``locked_until`` for a job claimed or renewed at ``now``, by its kind: the
    default ``lease`` (``GENIE_JOB_LEASE``), or a kind's shorter one."""
    whens = [(Job.kind == kind, now + min(short, lease)) for kind, short in SHORT_LEASES.items()]
    return case(*whens, else_=now + lease)


async def _finish(
    runtime: Runtime, claimed: Claimed, error: BaseException | None, now: datetime | None
) -> None:
    now = now or utcnow()
    async with runtime.engine.begin() as conn:
        if error is None:
            await conn.execute(delete(Job).where(Job.id == claimed.id))
            return
        reason = (str(error) or type(error).__name__)[:ERROR_LIMIT]
        values: dict[str, Any] = {"last_error": reason, "updated_at": now, "locked_until": None}
        if isinstance(error, Fail) or claimed.attempts >= claimed.max_attempts:
            values["state"] = "failed"
        else:
            after = error.after if isinstance(error, Retry) else None
            delay = backoff(claimed.attempts) if after is None else after
            values["state"] = "queued"
            values["run_at"] = now + timedelta(seconds=delay)
        await conn.execute(update(Job).where(Job.id == claimed.id).values(**values))


async def execute(runtime: Runtime, claimed: Claimed, *, now: datetime | None = None) -> bool:
    """Run one claimed job and record its outcome; True when it succeeded.

    ``now`` is the clock its retry is scheduled from (tests move it forward)."""
    handler = load_handlers().get(claimed.kind)
    error: BaseException | None
    if handler is None:
        error = Fail(f"no handler for job kind {claimed.kind!r}")
    else:
        try:
            await handler(runtime, claimed.payload)
            error = None
        except asyncio.CancelledError:
            # Shutting down: hand the job back untouched by this attempt.
            await asyncio.shield(_release(runtime, claimed))
            raise
        except Exception as exc:
            error = exc
    runtime.metrics.job_finished(claimed.kind, ok=error is None)
    if error is not None and not isinstance(error, Retry):
        log.warning(
            "job %s (%s) attempt %d/%d failed: %s",
            claimed.id,
            claimed.kind,
            claimed.attempts,
            claimed.max_attempts,
            type(error).__name__ if not str(error) else error,
        )
    await _finish(runtime, claimed, error, now)
    return error is None


async def _release(runtime: Runtime, claimed: Claimed) -> None:
    async with runtime.engine.begin() as conn:
        await conn.execute(
            update(Job)
            .where(Job.id == claimed.id)
            .values(state="queued", attempts=Job.attempts - 1, locked_until=None)
        )


async def run_due(
    runtime: Runtime,
    *,
    now: datetime | None = None,
    limit: int = 1000,
    kinds: frozenset[str] | None = None,
) -> int:
    """Run every job due at ``now`` (default: the current time), one after another,
    including jobs that become due while running; only ``kinds`` when given.
    Returns how many ran."""
    ran = 0
    seen: set[int] = set()
    while ran < limit:
        batch = await claim(runtime, now=now, limit=1, kinds=kinds)
        if not batch:
            break
        item = batch[0]
        if item.id in seen:
            # Rescheduled to run again at once: one attempt per job per call.
            await _release(runtime, item)
            break
        seen.add(item.id)
        await execute(runtime, item, now=now)
        ran += 1
    return ran
