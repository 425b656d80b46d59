"""The Djinn Cron API: schedules, next_run on fixed dates, manifest validation,
namespaces from the manifest, PATCH, and access."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
import yaml
from sqlalchemy import func, select

from genie import jobs
from genie.schedule import UNKNOWN_SCHEDULE
from handlers.djinn import cron as cron_handlers
from models import Build, Cron
from models.cron import CronBuild
from tests.conftest import Account, Env
from tests.handlers.djinn.conftest import Receiver, add_collaborator, create_namespace, ns_url

MANIFEST = """\
driver:
  type: os
stages:
- test
jobs:
- stage: test
  commands:
  - make test
"""


def manifest(namespace: str | None = None, **replace: str) -> str:
    text = MANIFEST if namespace is None else f"namespace: {namespace}\n{MANIFEST}"
    for old, new in replace.items():
        text = text.replace(old, new)
    return text


def cron_name() -> str:
    return f"cron-{secrets.token_hex(4)}"


#: A Wednesday afternoon.
WEDNESDAY = datetime(2026, 11, 25, 15, 30, 12, tzinfo=UTC)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[datetime]]:
    """The handlers' clock, set by the test: ``clock[0]`` is now."""
    now = [WEDNESDAY]
    monkeypatch.setattr(cron_handlers, "now", lambda: now[0])
    yield now


async def create(env: Env, account: Account, **body: Any) -> Any:
    body.setdefault("name", cron_name())
    body.setdefault("manifest", MANIFEST)
    return await env.client.post("/djinn/cron", json=body, headers=account.auth)


async def created(env: Env, account: Account, **body: Any) -> dict[str, Any]:
    response = await create(env, account, **body)
    assert response.status_code == 201, response.text
    entity: dict[str, Any] = response.json()
    return entity


def path_of(entity: dict[str, Any]) -> str:
    return str(entity["url"]).removeprefix("http://testserver")


# Creating


async def test_create_with_the_defaults(env: Env, clock: list[datetime]) -> None:
    alice = await env.account()
    cron = await created(env, alice, name="nightly")
    assert cron["name"] == "nightly"
    assert cron["schedule"] == "daily"
    assert cron["next_run"] == "2026-11-26T00:00:00Z"
    assert cron["prev_run"] is None
    assert cron["author_id"] == cron["user_id"] == alice.user.id
    assert cron["namespace_id"] is None and cron["namespace"] is None
    assert cron["url"] == f"http://testserver/djinn/cron/{cron['id']}"
    assert cron["builds_url"] == cron["url"] + "/builds"
    assert cron["author"]["username"] == alice.user.username
    assert yaml.safe_load(cron["manifest"]) == yaml.safe_load(MANIFEST)
    shown = await env.client.get(path_of(cron), headers=alice.auth)
    assert shown.status_code == 200
    assert shown.json() == cron


@pytest.mark.parametrize(
    ("now", "schedule", "expected"),
    [
        (WEDNESDAY, "daily", "2026-11-26T00:00:00Z"),
        (WEDNESDAY, "weekly", "2026-11-30T00:00:00Z"),
        (WEDNESDAY, "monthly", "2026-12-01T00:00:00Z"),
        # The last day of the year, and of a month.
        (datetime(2026, 12, 31, 23, 59, 59, tzinfo=UTC), "daily", "2027-01-01T00:00:00Z"),
        (datetime(2026, 12, 15, tzinfo=UTC), "monthly", "2027-01-01T00:00:00Z"),
        (datetime(2028, 2, 28, 12, tzinfo=UTC), "daily", "2028-02-29T00:00:00Z"),
        # A Monday at midnight schedules the *next* Monday; a Sunday the next day.
        (datetime(2026, 11, 30, tzinfo=UTC), "weekly", "2026-12-07T00:00:00Z"),
        (datetime(2026, 11, 29, 23, 0, tzinfo=UTC), "weekly", "2026-11-30T00:00:00Z"),
    ],
)
async def test_next_run_on_fixed_dates(
    env: Env, clock: list[datetime], now: datetime, schedule: str, expected: str
) -> None:
    alice = await env.account()
    clock[0] = now
    cron = await created(env, alice, schedule=schedule)
    assert cron["schedule"] == schedule
    assert cron["next_run"] == expected


async def test_the_manifest_is_stored_normalised(env: Env) -> None:
    alice = await env.account()
    text = "driver: {type: docker, image: golang, workspace: /go}\n" + (
        "stages: [build]\njobs: [{stage: build, commands: [go build]}]\n"
    )
    cron = await created(env, alice, manifest=text)
    assert cron["manifest"] == (
        "driver:\n  type: docker\n  image: golang\n  workspace: /go\nstages:\n- build\n"
        "jobs:\n- stage: build\n  commands:\n  - go build\n"
    )


@pytest.mark.parametrize(
    ("schedule", "error"),
    [
        ("hourly", UNKNOWN_SCHEDULE),
        ("Daily", UNKNOWN_SCHEDULE),
        (1, "cannot unmarshal number to string"),
        (None, "cannot unmarshal null to string"),
    ],
)
async def test_an_unknown_schedule_is_a_field_error(env: Env, schedule: Any, error: str) -> None:
    alice = await env.account()
    response = await create(env, alice, schedule=schedule)
    assert response.status_code == 400
    assert response.json()["schedule"][0] == error
    assert set(response.json()["schedule"]) <= {error, UNKNOWN_SCHEDULE}


async def test_required_fields(env: Env) -> None:
    alice = await env.account()
    response = await env.client.post("/djinn/cron", json={}, headers=alice.auth)
    assert response.status_code == 400
    assert response.json() == {
        "manifest": ["Manifest field required"],
        "name": ["Name field required"],
    }
    blank = await create(env, alice, name="", manifest="")
    assert blank.json() == {
        "name": ["Name field required"],
        "manifest": ["Manifest field required"],
    }


async def test_every_manifest_problem_at_once(env: Env) -> None:
    alice = await env.account()
    text = "driver:\n  type: docker\nstages: [build]\nenv: [NOEQUALS]\njobs:\n- stage: deploy\n"
    response = await create(env, alice, manifest=text, schedule="yearly")
    assert response.status_code == 400
    body = response.json()
    assert body["schedule"] == [UNKNOWN_SCHEDULE]
    assert "manifest" not in body  # the request's schema fails first, as a whole
    response = await create(env, alice, manifest=text)
    assert response.json() == {
        "manifest": [
            "Manifest driver docker requires image",
            "Manifest driver docker requires workspace",
            "Manifest env entries must be KEY=value (entry 1)",
            "Manifest job 1 stage deploy is not in stages",
            "Manifest job 1 commands field required",
        ]
    }


@pytest.mark.parametrize(
    "text",
    ["driver: [unclosed", "\tdriver: tab", "key: value\nkey: again\n", "- just\n- a list\n"],
)
async def test_bad_yaml_is_a_400(env: Env, text: str) -> None:
    alice = await env.account()
    response = await create(env, alice, manifest=text)
    assert response.status_code == 400
    problems = response.json()["manifest"]
    assert problems and all(p.startswith("Manifest ") for p in problems)


async def test_names_are_unique_per_owner_and_namespace(env: Env) -> None:
    alice, bob = await env.account(), await env.account()
    await created(env, alice, name="same")
    taken = await create(env, alice, name="same")
    assert taken.status_code == 400
    assert taken.json() == {"name": ["Name already exists"]}
    both = await create(env, alice, name="same", manifest="driver: {type: nope}\n")
    assert both.json()["name"] == ["Name already exists"]
    assert "manifest" in both.json()
    await created(env, bob, name="same")
    inside = await created(env, alice, name="same", manifest=manifest("cis"))
    assert inside["namespace"]["path"] == "cis"
    assert (await create(env, alice, name="same", manifest=manifest("cis"))).status_code == 400


# Namespaces, from the manifest


async def test_the_manifest_namespace_places_the_cron_job(env: Env) -> None:
    alice = await env.account()
    cron = await created(env, alice, manifest=manifest("nightly/builds"))
    assert cron["namespace"]["path"] == "nightly/builds"
    assert cron["namespace_id"] == cron["namespace"]["id"]
    paths = [
        n["path"] for n in (await env.client.get("/djinn/namespaces", headers=alice.auth)).json()
    ]
    assert paths == ["nightly", "nightly/builds"]


async def test_a_collaborator_submits_to_the_owners_namespace(env: Env) -> None:
    alice, bob = await env.account(), await env.account()
    await create_namespace(env, alice, "team")
    await add_collaborator(env, alice, "team", bob)
    cron = await created(env, bob, manifest=manifest(f"team@{alice.user.username}"))
    assert cron["user_id"] == alice.user.id
    assert cron["author_id"] == bob.user.id
    listed = (await env.client.get("/djinn/cron", headers=alice.auth)).json()
    assert [c["id"] for c in listed] == [cron["id"]]


async def test_a_namespace_the_caller_cannot_use(env: Env) -> None:
    alice, mallory = await env.account(), await env.account()
    await create_namespace(env, alice, "team", visibility="public")
    response = await create(env, mallory, manifest=manifest(f"team@{alice.user.username}"))
    assert response.status_code == 400
    assert response.json() == {"manifest": ["Manifest cannot submit to namespace"]}
    # Reported with the manifest's other problems.
    broken = manifest(f"team@{alice.user.username}", **{"type: os": "type: ssh"})
    response = await create(env, mallory, manifest=broken)
    assert response.json() == {
        "manifest": ["Manifest driver ssh requires address", "Manifest cannot submit to namespace"]
    }
    assert (await env.client.get("/djinn/cron", headers=alice.auth)).json() == []


@pytest.mark.parametrize(
    ("reference", "message"),
    [
        ("a_b", "Namespace a_b: namespace: name can only have letters, and numbers"),
        ("@nobody", "Namespace @nobody: invalid namespace path"),
        ("xyz@no-such-user", "Namespace xyz@no-such-user: namespace: invalid owner"),
    ],
)
async def test_an_unusable_namespace_path_is_explained(
    env: Env, reference: str, message: str
) -> None:
    alice = await env.account()
    response = await create(env, alice, manifest=manifest(f'"{reference}"'))
    assert response.status_code == 400
    assert response.json() == {
        "manifest": ["Manifest cannot submit to namespace"],
        "namespace": [message],
    }
    assert (await env.client.get("/djinn/namespaces", headers=alice.auth)).json() == []


# Changing


async def test_patch_keeps_omitted_fields(env: Env, clock: list[datetime]) -> None:
    alice = await env.account()
    cron = await created(env, alice, schedule="weekly")
    renamed = await env.client.patch(path_of(cron), json={"name": "renamed"}, headers=alice.auth)
    assert renamed.status_code == 200
    assert renamed.json() == {**cron, "name": "renamed"}
    unchanged = await env.client.patch(path_of(cron), headers=alice.auth)
    assert unchanged.json() == {**cron, "name": "renamed"}


async def test_patch_schedule_recomputes_next_run(env: Env, clock: list[datetime]) -> None:
    alice = await env.account()
    cron = await created(env, alice, schedule="monthly")
    assert cron["next_run"] == "2026-12-01T00:00:00Z"
    clock[0] = datetime(2026, 12, 3, 9, tzinfo=UTC)  # a Thursday
    weekly = await env.client.patch(path_of(cron), json={"schedule": "weekly"}, headers=alice.auth)
    assert weekly.json()["next_run"] == "2026-12-07T00:00:00Z"
    # An explicit daily is honoured (the original ignores it).
    daily = await env.client.patch(path_of(cron), json={"schedule": "daily"}, headers=alice.auth)
    assert daily.json()["schedule"] == "daily"
    assert daily.json()["next_run"] == "2026-12-04T00:00:00Z"
    # The same schedule again keeps the planned run.
    clock[0] = datetime(2026, 12, 3, 23, tzinfo=UTC)
    again = await env.client.patch(path_of(cron), json={"schedule": "daily"}, headers=alice.auth)
    assert again.json()["next_run"] == "2026-12-04T00:00:00Z"
    bad = await env.client.patch(path_of(cron), json={"schedule": "never"}, headers=alice.auth)
    assert bad.status_code == 400
    assert bad.json() == {"schedule": [UNKNOWN_SCHEDULE]}


async def test_patch_manifest_is_validated_and_moves_the_cron_job(env: Env) -> None:
    alice, bob = await env.account(), await env.account()
    cron = await created(env, alice, name="moving")
    bad = await env.client.patch(
        path_of(cron), json={"manifest": "driver: {type: qemu}\n"}, headers=alice.auth
    )
    assert bad.status_code == 400
    assert bad.json()["manifest"][0] == "Manifest driver qemu requires image"
    assert (await env.client.get(path_of(cron), headers=alice.auth)).json() == cron

    await create_namespace(env, bob, "bobs")
    refused = await env.client.patch(
        path_of(cron),
        json={"manifest": manifest(f"bobs@{bob.user.username}")},
        headers=alice.auth,
    )
    assert refused.json() == {"manifest": ["Manifest cannot submit to namespace"]}

    moved = await env.client.patch(
        path_of(cron), json={"manifest": manifest("moved/here")}, headers=alice.auth
    )
    assert moved.status_code == 200
    assert moved.json()["namespace"]["path"] == "moved/here"
    assert moved.json()["manifest"].startswith("namespace: moved/here\n")
    back = await env.client.patch(path_of(cron), json={"manifest": MANIFEST}, headers=alice.auth)
    assert back.json()["namespace"] is None


async def test_patch_name_clash(env: Env) -> None:
    alice = await env.account()
    await created(env, alice, name="first")
    second = await created(env, alice, name="second")
    clash = await env.client.patch(path_of(second), json={"name": "first"}, headers=alice.auth)
    assert clash.status_code == 400
    assert clash.json() == {"name": ["Name already exists"]}
    both = await env.client.patch(
        path_of(second), json={"name": "first", "manifest": "driver: x\n"}, headers=alice.auth
    )
    assert both.json()["name"] == ["Name already exists"]
    assert both.json()["manifest"]
    # Its own name is no clash.
    same = await env.client.patch(path_of(second), json={"name": "second"}, headers=alice.auth)
    assert same.status_code == 200


async def test_a_collaborator_who_rewrites_the_manifest_becomes_its_author(env: Env) -> None:
    alice, bob = await env.account(), await env.account()
    await create_namespace(env, alice, "team")
    await add_collaborator(env, alice, "team", bob)
    cron = await created(env, alice, manifest=manifest("team"))
    renamed = await env.client.patch(path_of(cron), json={"name": "bobs"}, headers=bob.auth)
    assert renamed.json()["author_id"] == alice.user.id
    rewritten = await env.client.patch(
        path_of(cron),
        json={"manifest": manifest(f"team@{alice.user.username}")},
        headers=bob.auth,
    )
    assert rewritten.status_code == 200, rewritten.text
    assert rewritten.json()["author_id"] == bob.user.id
    assert rewritten.json()["user_id"] == alice.user.id


# Deleting, builds, lists


async def test_delete(env: Env) -> None:
    alice, bob = await env.account(), await env.account()
    cron = await created(env, alice)
    assert (await env.client.delete(path_of(cron), headers=bob.auth)).status_code == 404
    assert (await env.client.delete(path_of(cron), headers=alice.auth)).status_code == 204
    assert (await env.client.get(path_of(cron), headers=alice.auth)).status_code == 404
    assert (await env.client.delete(path_of(cron), headers=alice.auth)).status_code == 404
    async with env.runtime.sessions() as session:
        assert await session.scalar(select(func.count()).where(Cron.id == cron["id"])) == 0


async def test_builds_of_a_cron_job(env: Env) -> None:
    alice, bob = await env.account(), await env.account()
    cron = await created(env, alice)
    builds_url = cron["builds_url"].removeprefix("http://testserver")
    empty = await env.client.get(builds_url, headers=alice.auth)
    assert empty.status_code == 200
    assert empty.json() == []
    assert 'rel="next"' in empty.headers["link"]
    # What the scheduler will record, once builds land.
    async with env.runtime.sessions() as session, session.begin():
        build = Build(user_id=alice.user.id, number=1, manifest=MANIFEST)
        session.add(build)
        await session.flush()
        session.add(CronBuild(cron_id=cron["id"], build_id=build.id))
    listed = await env.client.get(builds_url, headers=alice.auth)
    assert [b["number"] for b in listed.json()] == [1]
    assert (await env.client.get(builds_url, headers=bob.auth)).status_code == 404
    no_builds = {"Authorization": f"Bearer {await env.token_for(alice, 'cron:read')}"}
    assert (await env.client.get(builds_url, headers=no_builds)).status_code == 403


async def test_list_and_search(env: Env) -> None:
    alice, bob = await env.account(), await env.account()
    for name in ("weekly report", "Nightly build", "backup"):
        await created(env, alice, name=name)
    await created(env, bob, name="bobs nightly")
    listed = await env.client.get("/djinn/cron", headers=alice.auth)
    assert [c["name"] for c in listed.json()] == ["Nightly build", "backup", "weekly report"]
    found = await env.client.get("/djinn/cron", params={"search": "NIGHT"}, headers=alice.auth)
    assert [c["name"] for c in found.json()] == ["Nightly build"]


async def test_other_users_cron_jobs_do_not_exist(env: Env) -> None:
    alice, mallory = await env.account(), await env.account()
    await create_namespace(env, alice, "open", visibility="public")
    for text in (MANIFEST, manifest("open")):
        cron = await created(env, alice, manifest=text)
        for method in ("GET", "DELETE"):
            response = await env.client.request(method, path_of(cron), headers=mallory.auth)
            expected = 200 if method == "GET" and cron["namespace"] else 404
            assert response.status_code == expected
        patched = await env.client.patch(path_of(cron), json={"name": "x"}, headers=mallory.auth)
        assert patched.status_code == 404
        assert (await env.client.get(path_of(cron))).status_code == 401


async def test_scopes(env: Env) -> None:
    alice = await env.account()
    cron = await created(env, alice)
    reader = {"Authorization": f"Bearer {await env.token_for(alice, 'cron:read')}"}
    assert (await env.client.get(path_of(cron), headers=reader)).status_code == 200
    for method in ("PATCH", "DELETE"):
        refused = await env.client.request(method, path_of(cron), headers=reader)
        assert refused.status_code == 403
    refused = await env.client.post(
        "/djinn/cron", json={"name": "x", "manifest": MANIFEST}, headers=reader
    )
    assert refused.status_code == 403
    assert "cron:write" in refused.json()["message"]


async def test_events(private_env: Env, receiver: Receiver) -> None:
    env = private_env
    alice = await env.account()
    await create_namespace(env, alice, "hooked")
    hook = await env.client.post(
        ns_url(alice, "hooked", "webhooks"),
        json={"payload_url": f"{receiver.url}/hook", "events": ["cron"]},
        headers=alice.auth,
    )
    cron = await created(env, alice, manifest=manifest("hooked"))
    await env.client.patch(path_of(cron), json={"schedule": "weekly"}, headers=alice.auth)
    await env.client.delete(path_of(cron), headers=alice.auth)
    await jobs.run_due(env.runtime)
    deliveries = receiver.for_hook(hook.json()["id"])
    assert [d.json()["action"] for d in deliveries] == ["created", "updated", "deleted"]
    assert {d.headers["x-djinn-ci-event"] for d in deliveries} == {"cron"}
    assert deliveries[1].json()["cron"]["schedule"] == "weekly"


async def test_deleting_the_namespace_keeps_cron_jobs_unless_names_clash(env: Env) -> None:
    alice = await env.account()
    kept = await created(env, alice, name="kept", manifest=manifest("going"))
    await created(env, alice, name="twice")
    await created(env, alice, name="twice", manifest=manifest("clashing"))
    refused = await env.client.delete(ns_url(alice, "clashing"), headers=alice.auth)
    assert refused.status_code == 400
    assert refused.json()["message"].endswith("cron twice")
    assert (await env.client.delete(ns_url(alice, "going"), headers=alice.auth)).status_code == 204
    shown = (await env.client.get(path_of(kept), headers=alice.auth)).json()
    assert shown["namespace"] is None and shown["user_id"] == alice.user.id


async def test_a_body_that_is_not_json_is_a_415(env: Env) -> None:
    alice = await env.account()
    cron = await created(env, alice)
    for method, url in (("POST", "/djinn/cron"), ("PATCH", path_of(cron))):
        response = await env.client.request(
            method, url, content=b"name: x", headers={**alice.auth, "Content-Type": "text/yaml"}
        )
        assert response.status_code == 415
        assert response.json() == {
            "message": "Invalid Content-type (text/yaml), expected ['application/json']"
        }


# --- wire compatibility with the original's Go client (integration/djinn/cron.go) ----------

#: What the Go client's ``djinn.Manifest{Driver: ...}`` marshals to (yaml.v2): every
#: field present, the unset ones empty.
GO_CREATED = """\
namespace: ""
driver:
  image: golang
  type: docker
  workspace: /go
env: []
objects: []
sources: []
stages: []
allow_failures: []
jobs: []
"""
#: ``djinn.CronParams{Schedule: djinn.Monthly}``: its zero Manifest.
GO_EMPTY = 'namespace: ""\ndriver: {}\nenv: []\nobjects: []\nsources: []\nstages: []\n'
GO_EMPTY += "allow_failures: []\njobs: []\n"


async def test_the_go_clients_driver_only_manifest_is_a_cron_job(env: Env) -> None:
    """Test_CronCreate: a manifest with a driver and nothing else is valid."""
    alice = await env.account()
    made = await created(env, alice, name="Test_CronCreate", schedule="daily", manifest=GO_CREATED)
    assert yaml.safe_load(made["manifest"]) == {
        "driver": {"image": "golang", "type": "docker", "workspace": "/go"}
    }


async def test_the_go_clients_update_keeps_an_empty_name_and_manifest(env: Env) -> None:
    """Test_CronUpdate sends ``{"name": "", "schedule": "monthly", "manifest": <empty>}``."""
    alice = await env.account()
    made = await created(env, alice, name="Test_CronUpdate", manifest=GO_CREATED)
    body = {"name": "", "schedule": "monthly", "manifest": GO_EMPTY}
    changed = await env.client.patch(f"/djinn/cron/{made['id']}", json=body, headers=alice.auth)
    assert changed.status_code == 200, changed.text
    got = changed.json()
    assert (got["name"], got["schedule"]) == ("Test_CronUpdate", "monthly")
    assert got["manifest"] == made["manifest"]
    assert got["author_id"] == made["author_id"]
    blank = await env.client.patch(
        f"/djinn/cron/{made['id']}", json={"manifest": ""}, headers=alice.auth
    )
    assert blank.status_code == 200 and blank.json()["manifest"] == made["manifest"]
    # A manifest with something in it is still validated.
    bad = await env.client.patch(
        f"/djinn/cron/{made['id']}",
        json={"manifest": "driver: {}\nenv: [X=1]\n"},
        headers=alice.auth,
    )
    assert bad.status_code == 400 and "manifest" in bad.json()
