"""Every list of builds takes the filters of ``GET /builds`` (``tag``, ``search``,
``status``, ``pinned``): a namespace's ``-/builds``, ``/cron/{id}/builds`` and
``/objects/{id}/builds``, here over two builds that are in all four lists."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import update

from genie import scheduler
from models import Cron
from models.base import utcnow
from tests.conftest import Account, Env
from tests.handlers.djinn.conftest import create_namespace
from tests.handlers.djinn.test_builds import get, path

MANIFEST = """\
namespace: proj
driver:
  type: os
objects:
- tool
stages: [one]
jobs:
- stage: one
  commands:
  - echo hi
"""


@pytest.fixture(autouse=True)
def os_driver(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GENIE_DRIVERS", "os")


async def _fire(env: Env, cron_id: int) -> None:
    now = utcnow()
    async with env.runtime.engine.begin() as conn:
        await conn.execute(
            update(Cron).where(Cron.id == cron_id).values(next_run=now - timedelta(minutes=1))
        )
    assert await scheduler.fire_due(env.runtime, now) >= 1


async def _lists(env: Env, alice: Account) -> tuple[list[str], list[dict[str, Any]]]:
    """The three lists' URLs, and the two builds (newest first), each in all of them."""
    await create_namespace(env, alice, "proj")
    made = await env.client.post(
        "/djinn/objects",
        params={"name": "tool", "namespace": "proj"},
        content=b"x",
        headers=alice.auth,
    )
    assert made.status_code == 201, made.text
    cron = await env.client.post(
        "/djinn/cron", json={"name": "nightly", "manifest": MANIFEST}, headers=alice.auth
    )
    assert cron.status_code == 201, cron.text
    cron_id = cron.json()["id"]
    for _ in range(2):
        await _fire(env, cron_id)
    urls = [
        f"/djinn/n/{alice.user.username}/proj/-/builds",
        f"/djinn/cron/{cron_id}/builds",
        f"/djinn/objects/{made.json()['id']}/builds",
    ]
    builds = (await get(env, alice, urls[0])).json()
    assert len(builds) == 2
    for url in urls[1:]:
        assert (await get(env, alice, url)).json() == builds
    return urls, builds


async def test_each_build_list_filters(env: Env) -> None:
    alice = await env.account()
    urls, (newer, older) = await _lists(env, alice)
    tagged = await env.client.post(path(older, "/tags"), json=["release/v1"], headers=alice.auth)
    assert tagged.status_code == 201, tagged.text
    assert (await env.client.patch(path(newer, "/pin"), headers=alice.auth)).status_code == 200
    assert (await env.client.delete(path(older), headers=alice.auth)).status_code == 204
    expected = {
        "": [newer, older],
        "tag=release/v1": [older],
        "tag=cron:nightly": [newer, older],
        "search=lease": [older],
        "search=nothing": [],
        "status=killed": [older],
        "status=queued": [newer],
        "status=passed": [],
        "pinned=true": [newer],
        "pinned=false": [newer, older],
        "tag=release/v1&pinned=true": [],
        "tag=release/v1&search=v1&status=killed&pinned=false": [older],
    }
    for url in urls:
        for query, builds in expected.items():
            listed = await get(env, alice, f"{url}?{query}")
            assert listed.status_code == 200, (url, query, listed.text)
            numbers = [b["number"] for b in listed.json()]
            assert numbers == [b["number"] for b in builds], (url, query)
        refused = await get(env, alice, f"{url}?status=bogus&pinned=maybe")
        assert refused.status_code == 400, refused.text
        assert sorted(refused.json()) == ["pinned", "status"]
    # The shared queue need not run them.
    assert (await env.client.delete(path(newer), headers=alice.auth)).status_code == 204
