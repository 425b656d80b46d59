"""Build numbers under concurrency, and the cron scheduler firing each due cron
job once with two schedulers at the same time (PostgreSQL)."""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select, update

from genie import scheduler
from genie.runtime import Runtime
from models import Build, Cron, CronBuild
from models.base import utcnow
from tests.conftest import Account, Env
from tests.handlers.djinn.test_builds import MANIFEST, path


@pytest.fixture(autouse=True)
def os_driver(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GENIE_DRIVERS", "os")


async def test_fifty_concurrent_submissions_get_gap_free_numbers(pg: Env) -> None:
    alice = await pg.account()

    async def one() -> dict[str, Any]:
        response = await pg.client.post(
            "/djinn/builds", json={"manifest": MANIFEST}, headers=alice.auth
        )
        assert response.status_code == 201, response.text
        build: dict[str, Any] = response.json()
        return build

    builds = await asyncio.gather(*(one() for _ in range(50)))
    assert sorted(b["number"] for b in builds) == list(range(1, 51))
    await kill_all(pg, alice, builds)


async def kill_all(env: Env, account: Account, builds: list[dict[str, Any]]) -> None:
    """Kill the test's queued builds: the shared queue of later tests need not run them."""
    for build in builds:
        response = await env.client.delete(path(build), headers=account.auth)
        assert response.status_code == 204


async def test_two_schedulers_fire_each_due_cron_once(pg: Env) -> None:
    alice = await pg.account()
    ids = []
    for i in range(6):
        made = await pg.client.post(
            "/djinn/cron",
            json={"name": f"nightly {i}", "manifest": MANIFEST},
            headers=alice.auth,
        )
        assert made.status_code == 201, made.text
        ids.append(made.json()["id"])
    now = utcnow()
    async with pg.runtime.engine.begin() as conn:
        await conn.execute(
            update(Cron).where(Cron.id.in_(ids)).values(next_run=now - timedelta(minutes=1))
        )
    other = Runtime.build(dataclasses.replace(pg.runtime.settings))
    try:
        fired = await asyncio.gather(
            scheduler.fire_due(pg.runtime, now), scheduler.fire_due(other, now)
        )
    finally:
        await other.close()
    async with pg.runtime.engine.connect() as conn:
        counts = dict(
            (
                await conn.execute(
                    select(CronBuild.cron_id, func.count())
                    .where(CronBuild.cron_id.in_(ids))
                    .group_by(CronBuild.cron_id)
                )
            ).all()
        )
        crons = (await conn.execute(select(Cron).where(Cron.id.in_(ids)))).all()
    assert counts == {cron_id: 1 for cron_id in ids}
    assert sum(fired) >= len(ids)  # other users' due cron jobs may fire too
    for cron in crons:
        assert cron.prev_run == now and cron.next_run > now
    # The builds: trigger schedule, the comment, the tag cron:<name>.
    listed = await pg.client.get("/djinn/builds?search=cron:nightly-0", headers=alice.auth)
    (build,) = listed.json()
    assert build["trigger"]["type"] == "schedule"
    assert build["trigger"]["comment"].startswith("nightly 0: Scheduled build, next run ")
    assert build["tags"] == ["cron:nightly-0"]
    runs = await pg.client.get(f"/djinn/cron/{ids[0]}/builds", headers=alice.auth)
    assert [b["id"] for b in runs.json()] == [build["id"]]
    assert (await pg.client.get(path(build), headers=alice.auth)).status_code == 200
    assert await _count_builds(pg, alice.user.id) == len(ids)
    every = await pg.client.get("/djinn/builds", headers=alice.auth)
    await kill_all(pg, alice, every.json())


async def _count_builds(env: Env, user_id: int) -> int:
    async with env.runtime.engine.connect() as conn:
        count: int = await conn.scalar(
            select(func.count()).select_from(Build).where(Build.user_id == user_id)
        )
    return count
