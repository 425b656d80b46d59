"""A masked variable's value written literally in a manifest (genie.sealed_manifest):
builds and cron jobs show it as ``xxxxxx`` (manifest, job commands), keep no plain
copy at rest, and run what was written."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select, update

from genie import scheduler
from genie.sealed_manifest import MANIFEST_PURPOSE
from models import Cron
from models.base import utcnow
from models.builds import Build
from tests.conftest import Account, Env
from tests.handlers.djinn.test_builds import get, path, run, submit
from tests.handlers.djinn.test_variables import masked_secret


@pytest.fixture(autouse=True)
def os_driver(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GENIE_DRIVERS", "os")


def manifest(secret: str) -> str:
    """A job that prints the digest of the literal value: the output shows whether
    the value as written ran (its digest), not ``xxxxxx``'s."""
    return (
        "driver:\n  type: os\nstages: [make]\njobs:\n- stage: make\n  commands:\n"
        f"  - printf %s '{secret}' | sha256sum\n"
    )


async def masked(env: Env, account: Account, *, watched: bool = True) -> str:
    """A masked variable of ``account``'s; its value is one the leak watch looks
    for in every response and log line, unless ``watched`` is False."""
    secret = masked_secret() if watched else f"typed-{secrets.token_hex(12)}"
    made = await env.client.post(
        "/djinn/variables",
        json={"key": "TOKEN", "value": secret, "mask": True},
        headers=account.auth,
    )
    assert made.status_code == 201, made.text
    return secret


async def stored(env: Env, table: Any, row_id: int) -> tuple[str, bytes | None]:
    async with env.runtime.engine.connect() as conn:
        row = (
            await conn.execute(
                select(table.manifest, table.sealed_manifest).where(table.id == row_id)
            )
        ).one()
    return row.manifest, row.sealed_manifest


def opened(env: Env, sealed: bytes | None) -> str:
    assert sealed is not None
    return env.runtime.crypto.decrypt(sealed, purpose=MANIFEST_PURPOSE).decode()


async def test_a_build_shows_the_value_masked_and_runs_it_as_written(env: Env) -> None:
    alice = await env.account()
    secret = await masked(env, alice)
    build = await submit(env, alice, manifest(secret))
    assert secret not in build["manifest"] and "printf %s 'xxxxxx'" in build["manifest"]
    shown, sealed = await stored(env, Build, build["id"])
    assert secret not in shown
    assert secret in opened(env, sealed), "the value as written, sealed"
    await run(env, build)
    jobs = {j["name"]: j for j in (await get(env, alice, path(build, "/jobs"))).json()}
    assert secret not in jobs["make.1"]["commands"]
    assert "xxxxxx" in jobs["make.1"]["commands"]
    assert jobs["make.1"]["status"] == "passed", jobs["make.1"]["output"]
    digest = hashlib.sha256(secret.encode()).hexdigest()
    assert digest in jobs["make.1"]["output"], "the command ran with the value as written"
    again = (await get(env, alice, path(build))).json()
    assert secret not in again["manifest"]


async def test_a_manifest_without_a_masked_value_is_not_sealed(env: Env) -> None:
    alice = await env.account()
    await masked(env, alice)
    build = await submit(env, alice, manifest("plain-words"))
    shown, sealed = await stored(env, Build, build["id"])
    assert sealed is None
    assert "plain-words" in shown == build["manifest"]


async def test_someone_elses_masked_value_is_not_theirs_to_hide(env: Env) -> None:
    alice, bob = await env.account(), await env.account()
    # Not watched: alice's own response shows what she wrote.
    secret = await masked(env, bob, watched=False)
    build = await submit(env, alice, manifest(secret))
    shown, sealed = await stored(env, Build, build["id"])
    assert sealed is None and secret in shown, "alice wrote it and may read it back"


async def test_cron_shows_it_masked_and_its_builds_run_it_as_written(env: Env) -> None:
    alice = await env.account()
    secret = await masked(env, alice)
    made = await env.client.post(
        "/djinn/cron", json={"name": "nightly", "manifest": manifest(secret)}, headers=alice.auth
    )
    assert made.status_code == 201, made.text
    cron = made.json()
    assert secret not in cron["manifest"]
    shown, sealed = await stored(env, Cron, cron["id"])
    assert secret not in shown and secret in opened(env, sealed)
    listed = await env.client.get("/djinn/cron", headers=alice.auth)
    assert secret not in listed.text

    other = f"typed-{secrets.token_hex(12)}"  # no variable's value: it stays as written
    changed = await env.client.patch(
        f"/djinn/cron/{cron['id']}",
        json={"manifest": manifest(secret) + f"  - echo {other}\n"},
        headers=alice.auth,
    )
    assert changed.status_code == 200, changed.text
    assert secret not in changed.json()["manifest"] and other in changed.json()["manifest"]

    now = utcnow()
    async with env.runtime.engine.begin() as conn:
        await conn.execute(
            update(Cron).where(Cron.id == cron["id"]).values(next_run=now - timedelta(minutes=1))
        )
    assert await scheduler.fire_due(env.runtime, now) >= 1
    builds = (await env.client.get(f"/djinn/cron/{cron['id']}/builds", headers=alice.auth)).json()
    assert len(builds) == 1 and secret not in builds[0]["manifest"]
    shown, sealed = await stored(env, Build, builds[0]["id"])
    assert secret not in shown and secret in opened(env, sealed)
