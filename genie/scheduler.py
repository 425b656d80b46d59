"""The cron scheduler: due cron jobs become builds (reference §9).

Every :data:`INTERVAL` seconds, in ``genie worker`` and ``genie serve`` alike,
:func:`fire_due` takes the cron jobs whose ``next_run`` has come. Each one is
claimed with a conditional update of its ``next_run`` (from the value read to
the next period's start; ``prev_run`` = now), in the same transaction as the
build it submits, so however many schedulers run at once, each due cron fires
exactly once: the loser of the race updates no row and submits nothing. On
PostgreSQL the rows are also read ``FOR UPDATE SKIP LOCKED``, so schedulers
split a large batch instead of queueing on it.

The build is the cron author's (their personal variables and keys), in the
cron's namespace, with trigger ``schedule``, the comment ``<name>: Scheduled
build, next run <date>`` and the tag ``cron:<name>`` (spaces become ``-``).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import select, update

from genie import manifest, schedule
from genie.builds import Submission, submit
from genie.sealed_manifest import opened
from models import Cron, CronBuild, User, access
from models.base import utcnow

if TYPE_CHECKING:
    from genie.runtime import Runtime

log = logging.getLogger("genie.scheduler")

INTERVAL = 15.0
BATCH = 1000


async def fire_due(runtime: Runtime, now: datetime | None = None) -> int:
    """Submit a build for every due cron job; how many this scheduler fired."""
    now = now or utcnow()
    fired = 0
    async with runtime.sessions() as session, session.begin():
        due = (
            await session.execute(
                select(Cron, User.username, User.email)
                .join(User, User.id == Cron.author_id)
                .where(Cron.next_run <= now)
                .order_by(Cron.next_run, Cron.id)
                .limit(BATCH)
                .with_for_update(skip_locked=True, of=Cron)
            )
        ).all()
        for cron, username, email in due:
            following = schedule.next_run(cron.schedule, now)
            claimed = await session.execute(
                update(Cron)
                .where(Cron.id == cron.id, Cron.next_run == cron.next_run)
                .values(prev_run=now, next_run=following)
            )
            if not claimed.rowcount:  # type: ignore[attr-defined]
                continue
            sub = _submission(runtime, cron, username, email, following)
            build_id = await submit(session, sub, runtime.crypto)
            session.add(CronBuild(cron_id=cron.id, build_id=build_id))
            fired += 1
    if fired:
        runtime.jobs.wake()
    return fired


def _submission(
    runtime: Runtime, cron: Cron, username: str, email: str, following: datetime
) -> Submission:
    settings = runtime.settings
    return Submission(
        manifest=manifest.parse(opened(runtime.crypto, cron.manifest, cron.sealed_manifest)),
        placement=access.Placement(user_id=cron.user_id, namespace_id=cron.namespace_id),
        author_id=cron.author_id,
        trigger="schedule",
        comment=f"{cron.name}: Scheduled build, next run {following:%Y-%m-%d}",
        trigger_data={"email": email, "username": username},
        tags=[f"cron:{cron.name.replace(' ', '-')}"],
        api_root=f"{settings.base_url or ''}{settings.djinn_prefix}",
    )


async def run(runtime: Runtime) -> None:
    """Fire due cron jobs every :data:`INTERVAL` seconds, until cancelled."""
    while True:
        try:
            await fire_due(runtime)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("cron scheduler: could not fire due cron jobs; retrying")
        await asyncio.sleep(INTERVAL)


def start(runtime: Runtime) -> asyncio.Task[None]:
    return asyncio.create_task(run(runtime), name="genie-scheduler")


async def stop(task: asyncio.Task[None] | None) -> None:
    if task is not None:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
