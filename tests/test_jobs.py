"""The durable job queue, on PostgreSQL and SQLite."""

from __future__ import annotations

import asyncio
import dataclasses
import secrets
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import delete, select

from genie import job_worker, jobs
from genie.runtime import Runtime
from models.base import utcnow
from models.jobs import Job
from tests.conftest import Env


def kind() -> str:
    return f"test.{secrets.token_hex(4)}"


async def rows(runtime: Runtime, job_kind: str) -> list[Job]:
    async with runtime.sessions() as session:
        return list((await session.scalars(select(Job).where(Job.kind == job_kind))).all())


async def test_a_job_exists_only_if_its_transaction_commits(env: Env) -> None:
    seen: list[dict[str, Any]] = []
    name = kind()

    @jobs.job(name)
    async def handler(_runtime: Runtime, payload: dict[str, Any]) -> None:
        seen.append(payload)

    with pytest.raises(RuntimeError):
        async with env.runtime.sessions() as session, session.begin():
            await jobs.enqueue(session, name, {"n": 1})
            raise RuntimeError("the request failed")
    assert await rows(env.runtime, name) == []

    async with env.runtime.sessions() as session, session.begin():
        await jobs.enqueue(session, name, {"n": 2})
    assert await jobs.run_due(env.runtime) >= 1
    assert seen == [{"n": 2}]
    assert await rows(env.runtime, name) == []  # done jobs are deleted


async def test_failures_retry_with_backoff_then_fail(env: Env) -> None:
    name = kind()
    calls = 0

    @jobs.job(name)
    async def handler(_runtime: Runtime, _payload: dict[str, Any]) -> None:
        nonlocal calls
        calls += 1
        raise ConnectionError(f"receiver down ({calls})")

    async with env.runtime.engine.begin() as conn:
        await jobs.enqueue(conn, name, {}, max_attempts=3)

    await jobs.run_due(env.runtime)
    [row] = await rows(env.runtime, name)
    assert (row.state, row.attempts, row.last_error) == ("queued", 1, "receiver down (1)")
    first_delay = (row.run_at - row.updated_at).total_seconds()
    assert jobs.BACKOFF_BASE * 0.8 <= first_delay <= jobs.BACKOFF_BASE * 1.2

    await jobs.run_due(env.runtime)  # not due yet: nothing runs
    assert calls == 1

    later = utcnow() + timedelta(hours=2)
    await jobs.run_due(env.runtime, now=later)
    [row] = await rows(env.runtime, name)
    assert (row.state, row.attempts) == ("queued", 2)
    second_delay = (row.run_at - row.updated_at).total_seconds()
    assert jobs.BACKOFF_BASE * 2 * 0.8 <= second_delay <= jobs.BACKOFF_BASE * 2 * 1.2

    await jobs.run_due(env.runtime, now=later + timedelta(hours=2))
    [row] = await rows(env.runtime, name)
    assert (row.state, row.attempts, row.last_error) == ("failed", 3, "receiver down (3)")
    assert calls == 3

    await jobs.run_due(env.runtime, now=later + timedelta(days=2))
    assert calls == 3  # failed jobs stay failed


async def test_retry_and_fail_instructions(env: Env) -> None:
    retry, fail = kind(), kind()

    @jobs.job(retry)
    async def retrying(_runtime: Runtime, _payload: dict[str, Any]) -> None:
        raise jobs.Retry("not yet", after=600)

    @jobs.job(fail)
    async def failing(_runtime: Runtime, _payload: dict[str, Any]) -> None:
        raise jobs.Fail("bad payload")

    async with env.runtime.engine.begin() as conn:
        await jobs.enqueue(conn, retry, {})
        await jobs.enqueue(conn, fail, {})
    await jobs.run_due(env.runtime)
    [r] = await rows(env.runtime, retry)
    assert r.state == "queued" and r.last_error == "not yet"
    assert 599 <= (r.run_at - r.updated_at).total_seconds() <= 601
    [f] = await rows(env.runtime, fail)
    assert (f.state, f.attempts, f.last_error) == ("failed", 1, "bad payload")


async def test_unknown_kind_fails_without_retry(env: Env) -> None:
    name = f"unregistered.{secrets.token_hex(4)}"
    async with env.runtime.engine.begin() as conn:
        await jobs.enqueue(conn, name, {})
    await jobs.run_due(env.runtime)
    [row] = await rows(env.runtime, name)
    assert row.state == "failed" and "no handler" in (row.last_error or "")


async def test_a_dead_workers_job_is_claimed_again_after_its_lease(env: Env) -> None:
    name = kind()
    ran: list[int] = []

    @jobs.job(name)
    async def handler(_runtime: Runtime, _payload: dict[str, Any]) -> None:
        ran.append(1)

    async with env.runtime.engine.begin() as conn:
        await jobs.enqueue(conn, name, {})
    # A worker claims it and dies before finishing.
    claimed = [c for c in await jobs.claim(env.runtime, limit=100) if c.kind == name]
    assert len(claimed) == 1
    await jobs.run_due(env.runtime)  # its lease still holds
    assert ran == []
    await jobs.run_due(env.runtime, now=utcnow() + jobs.LEASE + timedelta(seconds=1))
    assert ran == [1]
    assert await rows(env.runtime, name) == []


async def test_a_claim_holds_the_lease_the_settings_give(env: Env) -> None:
    name = kind()
    async with env.runtime.engine.begin() as conn:
        await jobs.enqueue(conn, name, {})
    settings = env.runtime.settings
    env.runtime.settings = dataclasses.replace(settings, job_lease=7)
    now = utcnow()
    try:
        claimed = [c for c in await jobs.claim(env.runtime, now=now, limit=100) if c.kind == name]
    finally:
        env.runtime.settings = settings
    [row] = await rows(env.runtime, name)
    assert len(claimed) == 1 and row.state == "running"
    assert row.locked_until == now + timedelta(seconds=7)


async def test_concurrent_claims_never_share_a_job(pg: Env) -> None:
    name = kind()

    @jobs.job(name)
    async def handler(_runtime: Runtime, _payload: dict[str, Any]) -> None:
        return None

    async with pg.runtime.engine.begin() as conn:
        for n in range(20):
            await jobs.enqueue(conn, name, {"n": n})
    batches = await asyncio.gather(*(jobs.claim(pg.runtime, limit=5) for _ in range(6)))
    ids = [c.id for batch in batches for c in batch if c.kind == name]
    assert len(ids) == len(set(ids)) == 20
    for batch in batches:
        for claimed in batch:
            await jobs.execute(pg.runtime, claimed)
    assert await rows(pg.runtime, name) == []


async def test_the_background_worker_runs_jobs_when_woken(pg: Env) -> None:
    name = kind()
    done = asyncio.Event()
    payloads: list[dict[str, Any]] = []

    @jobs.job(name)
    async def handler(_runtime: Runtime, payload: dict[str, Any]) -> None:
        payloads.append(payload)
        if len(payloads) == 3:
            done.set()

    # Its own kind only: the queue is the session's, and another test's leftover
    # (a build, say) is not this test's to run, nor the cron scheduler beside builds.
    worker = job_worker.Worker(pg.runtime, kinds=frozenset({name}))
    worker.start()
    try:
        async with pg.runtime.engine.begin() as conn:
            for n in range(3):
                await jobs.enqueue(conn, name, {"n": n})
        worker.wake()
        await asyncio.wait_for(done.wait(), timeout=10)
    finally:
        await worker.stop()
    assert sorted(p["n"] for p in payloads) == [0, 1, 2]


async def test_a_dedicated_worker_claims_only_its_kinds(env: Env) -> None:
    mine, other = kind(), kind()
    async with env.runtime.engine.begin() as conn:
        await jobs.enqueue(conn, other, {})
        await jobs.enqueue(conn, mine, {})
    claimed = await jobs.claim(env.runtime, limit=100, kinds=frozenset({mine}))
    assert [c.kind for c in claimed] == [mine]
    assert [r.state for r in await rows(env.runtime, other)] == ["queued"]
    for item in claimed:
        await jobs._release(env.runtime, item)


async def test_wake_announces_only_what_this_task_enqueued(env: Env) -> None:
    """A write that enqueued nothing does not make the worker poll."""
    worker = job_worker.Worker(env.runtime)  # not started: only its wake-up is watched
    job_kind = kind()

    async def write_then_wake(enqueue: bool) -> list[bool]:
        if enqueue:
            async with env.runtime.engine.begin() as conn:
                await jobs.enqueue(conn, job_kind, {})
        woken = []
        for _ in range(2):
            worker._wake.clear()
            worker.wake()
            woken.append(worker._wake.is_set())
        return woken

    try:
        # Each request is its own task, so its own context.
        assert await asyncio.create_task(write_then_wake(False)) == [False, False]
        assert await asyncio.create_task(write_then_wake(True)) == [True, False]
        assert await asyncio.create_task(write_then_wake(False)) == [False, False]
    finally:
        async with env.runtime.engine.begin() as conn:
            await conn.execute(delete(Job).where(Job.kind == job_kind))


async def test_a_draining_worker_stops_claiming_and_hands_back_at_its_deadline(pg: Env) -> None:
    """drain() (SIGTERM) stops claiming at once and sets the deadline; stop() then
    waits only until that deadline, not for its own grace, and hands back what
    still runs: queued again, its attempt not counted, no lease."""
    slow, later = kind(), kind()
    started = asyncio.Event()

    @jobs.job(slow)
    async def hang(_runtime: Runtime, _payload: dict[str, Any]) -> None:
        started.set()
        await asyncio.Event().wait()

    worker = job_worker.Worker(pg.runtime, kinds=frozenset({slow, later}))
    worker.start()
    try:
        async with pg.runtime.engine.begin() as conn:
            await jobs.enqueue(conn, slow, {})
        worker.wake()
        await asyncio.wait_for(started.wait(), timeout=10)
        worker.drain(0.5)
        async with pg.runtime.engine.begin() as conn:
            await jobs.enqueue(conn, later, {})
        worker.wake()
        loop = asyncio.get_running_loop()
        began = loop.time()
        # Without the drain's deadline this would wait ten minutes: fail at one.
        await asyncio.wait_for(worker.stop(grace=600), timeout=60)
        took = loop.time() - began
    finally:
        await worker.stop()
    assert 0.3 <= took < 60  # the drain's half second, not stop's ten minutes
    (job,) = await rows(pg.runtime, slow)
    assert (job.state, job.attempts, job.locked_until) == ("queued", 0, None)
    (waiting,) = await rows(pg.runtime, later)
    assert (waiting.state, waiting.attempts) == ("queued", 0)  # never claimed
    async with pg.runtime.engine.begin() as conn:
        await conn.execute(delete(Job).where(Job.kind.in_([slow, later])))
