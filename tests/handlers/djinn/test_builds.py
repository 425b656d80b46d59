"""The Djinn builds API in process: submission (numbers, setup stage, snapshots,
tags), reads, kill of a queued build, pins and tags, and a build run by the
job queue on the ``os`` driver (statuses, masked output, artifacts)."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest

from genie import build_worker
from tests.conftest import Account, Env
from tests.handlers.djinn.conftest import create_namespace
from tests.handlers.djinn.test_variables import masked_secret

MANIFEST = """\
driver:
  type: os
stages: [make, check]
allow_failures: [check]
jobs:
- stage: make
  commands:
  - echo "secret is $SECRET"
  - printf 'hello' > out.txt
  artifacts:
  - out.txt
  - absent.txt
- stage: check
  name: Lint Code
  commands:
  - exit 3
"""


@pytest.fixture(autouse=True)
def os_driver(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GENIE_DRIVERS", "os")


async def submit(env: Env, account: Account, manifest: str = MANIFEST, **body: Any) -> Any:
    response = await env.client.post(
        "/djinn/builds", json={"manifest": manifest, **body}, headers=account.auth
    )
    assert response.status_code == 201, response.text
    return response.json()


async def get(env: Env, account: Account | None, url: str, **headers: str) -> Any:
    auth = account.auth if account else {}
    return await env.client.get(url, headers={**auth, **headers})


async def run(env: Env, build: dict[str, Any]) -> None:
    """Run this build's job now, in the test (the shared queue holds other tests')."""
    await build_worker.run_build(env.runtime, {"build_id": build["id"], "api_root": ""})


def path(build: dict[str, Any], suffix: str = "") -> str:
    return "/djinn/b/{}/{}{}".format(build["user"]["username"], build["number"], suffix)


async def test_submit_loads_the_build_and_its_setup_stage(env: Env) -> None:
    alice = await env.account()
    build = await submit(env, alice, comment="first", tags=["v1", "v1", "", "bad tag", "a/b"])
    assert build["status"] == "queued"
    assert build["number"] == 1
    assert build["tags"] == ["a/b", "v1"]
    assert build["trigger"] == {
        "type": "manual",
        "comment": "first",
        "data": {"email": alice.user.email, "username": alice.user.username},
    }
    second = await submit(env, alice)
    assert second["number"] == 2
    jobs_ = (await get(env, alice, path(build, "/jobs"))).json()
    assert [(j["stage"], j["name"], j["status"]) for j in jobs_] == [
        ("setup - #1", "create-driver", "queued"),
        ("make", "make.1", "queued"),
        ("check", "lint-code", "queued"),
    ]


async def test_invalid_manifest_and_disabled_driver(env: Env) -> None:
    alice = await env.account()
    response = await env.client.post(
        "/djinn/builds",
        json={"manifest": "driver:\n  type: qemu\n  image: x\n"},
        headers=alice.auth,
    )
    assert response.status_code == 400
    assert response.json() == {"manifest": ["Manifest driver error: qemu-x86_64 - driver disabled"]}


async def test_a_build_runs_on_the_os_driver(env: Env) -> None:
    alice = await env.account()
    secret = masked_secret()
    response = await env.client.post(
        "/djinn/variables",
        json={"key": "SECRET", "value": secret, "mask": True},
        headers=alice.auth,
    )
    assert response.status_code == 201, response.text
    build = await submit(env, alice)
    await run(env, build)
    shown = (await get(env, alice, path(build))).json()
    assert shown["status"] == "passed_with_failures"
    assert shown["started_at"] and shown["finished_at"]
    by_name = {j["name"]: j for j in (await get(env, alice, path(build, "/jobs"))).json()}
    assert by_name["make.1"]["status"] == "passed"
    assert "secret is xxxxxx" in by_name["make.1"]["output"]
    assert secret not in by_name["make.1"]["output"]
    assert by_name["lint-code"]["status"] == "failed"
    variables = (await get(env, alice, path(build, "/variables"))).json()
    assert [(v["key"], v["value"], v["masked"]) for v in variables] == [("SECRET", "xxxxxx", True)]
    artifacts = (await get(env, alice, path(build, "/artifacts"))).json()
    assert {a["name"]: a["size"] for a in artifacts} == {"absent.txt": None, "out.txt": 5}
    raw = await get(
        env, alice, path(build, "/artifacts/out.txt"), Accept="application/octet-stream"
    )
    assert raw.status_code == 200 and raw.content == b"hello"
    listed = next(a for a in artifacts if a["name"] == "out.txt")
    assert listed["sha256"] == hashlib.sha256(b"hello").hexdigest()
    assert listed["md5"] == hashlib.md5(b"hello").hexdigest()
    missing = await get(
        env, alice, path(build, "/artifacts/absent.txt"), Accept="application/octet-stream"
    )
    assert missing.status_code == 404
    text = await get(env, alice, path(build, "/jobs/make.1"), Accept="text/plain")
    assert text.status_code == 200 and "secret is xxxxxx" in text.text


async def test_kill_a_queued_build(env: Env) -> None:
    alice = await env.account()
    build = await submit(env, alice)
    response = await env.client.delete(path(build), headers=alice.auth)
    assert response.status_code == 204
    assert (await get(env, alice, path(build))).json()["status"] == "killed"
    await run(env, build)
    assert (await get(env, alice, path(build))).json()["status"] == "killed"
    statuses = {j["status"] for j in (await get(env, alice, path(build, "/jobs"))).json()}
    assert statuses == {"killed"}


async def test_pin_tags_and_filters(env: Env) -> None:
    alice = await env.account()
    build = await submit(env, alice, tags=["one"])
    pinned = await env.client.patch(path(build, "/pin"), headers=alice.auth)
    assert pinned.status_code == 200 and pinned.json()["pinned"] is True
    added = await env.client.post(
        path(build, "/tags"), json=["one", "release/v2", "x y"], headers=alice.auth
    )
    assert added.status_code == 201
    assert [t["name"] for t in added.json()] == ["release/v2"]
    tag = await get(env, alice, path(build, "/tags/release/v2"))
    assert tag.status_code == 200 and tag.json()["build"]["number"] == build["number"]
    listed = await get(env, alice, "/djinn/builds?tag=release/v2&pinned=true")
    assert [b["id"] for b in listed.json()] == [build["id"]]
    assert (await get(env, alice, "/djinn/builds?search=lease")).json()[0]["id"] == build["id"]
    assert (await get(env, alice, "/djinn/builds?status=failed")).json() == []
    gone = await env.client.delete(path(build, "/tags/release/v2"), headers=alice.auth)
    assert gone.status_code == 204
    again = await env.client.delete(path(build, "/tags/release/v2"), headers=alice.auth)
    assert again.status_code == 404
    unpinned = await env.client.patch(path(build, "/unpin"), headers=alice.auth)
    assert unpinned.json()["pinned"] is False


async def test_others_see_no_personal_build(env: Env) -> None:
    alice, bob = await env.account(), await env.account()
    build = await submit(env, alice)
    assert (await get(env, bob, path(build))).status_code == 404
    assert (await get(env, None, path(build))).status_code == 404
    assert (await env.client.delete(path(build), headers=bob.auth)).status_code == 404
    assert (await get(env, bob, "/djinn/builds")).json() == []


async def test_namespaced_build_lists(env: Env) -> None:
    alice = await env.account()
    await create_namespace(env, alice, "proj", visibility="public")
    build = await submit(env, alice, manifest="namespace: proj\n" + MANIFEST)
    assert build["namespace"]["path"] == "proj"
    owner = alice.user.username
    listed = await get(env, None, f"/djinn/n/{owner}/proj/-/builds")
    assert [b["id"] for b in listed.json()] == [build["id"]]
    assert (await get(env, None, path(build))).status_code == 200
    badge = await get(env, None, f"/djinn/n/{owner}/proj/-/badge.svg")
    assert "queued" in badge.text


async def test_version(env: Env) -> None:
    assert (await env.client.get("/version")).json() == {"build": "0.1.0"}
    plain = await env.client.get("/version", headers={"Accept": "text/plain"})
    assert plain.text == "0.1.0"


async def test_an_empty_enum_filter_is_refused_and_empty_text_is_no_filter(env: Env) -> None:
    alice = await env.account()
    build = await submit(env, alice)
    refused = await get(env, alice, path(build, "/jobs?status="))
    assert refused.status_code == 400, refused.text
    assert list(refused.json()) == ["status"]
    everything = await get(env, alice, path(build, "/jobs"))
    unfiltered = await get(env, alice, path(build, "/jobs?name="))
    assert unfiltered.status_code == 200, unfiltered.text
    assert unfiltered.json() == everything.json() != []
