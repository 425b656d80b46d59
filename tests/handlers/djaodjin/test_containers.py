"""DjaoDjin containers on PostgreSQL: DRF wire shapes, bodies in all three
encodings, update and restart rules, deploys and their log, paging, the 308."""

from __future__ import annotations

import json
import re
import secrets
from typing import Any

import pytest

from genie import deploy, jobs
from genie.settings import Settings
from models import containers
from models.api_keys import ALPHABET
from tests.conftest import Env, app_client
from tests.handlers.djaodjin.conftest import API, DjaoDjin, Member


def slug() -> str:
    return f"c-{secrets.token_hex(4)}"


async def setup(dj: DjaoDjin) -> tuple[Member, str]:
    alice = await dj.member()
    return alice, await dj.organization(alice)


async def log_lines(dj: DjaoDjin, member: Member, org: str, app: str) -> list[str]:
    response = await dj.client.get(f"{API}/containers/{org}/apps/{app}/logs/", headers=member.auth)
    assert response.status_code == 200
    return [re.sub(r"^\S+Z ", "", line) for line in response.json()["content"].splitlines()]


# Create, read, list


async def test_create_returns_the_container_in_documented_order(dj: DjaoDjin) -> None:
    alice, org = await setup(dj)
    name = slug()
    body = {
        "slug": name,
        "location": "ghcr.io/djaodjin/djaopsp/livedemo:main",
        "role_name": "arn:aws:iam::123456789012:role/deploy",
        "env": [{"name": "DEBUG", "value": "0"}, {"name": "A_B", "value": ""}],
        "dataset": "production",
        "version": "2026-02-23",
        "domain": "ignored.example.com",  # a Domain field: ignored here, as in DRF
    }
    response = await dj.client.post(f"{API}/containers/{org}/apps/", json=body, headers=alice.auth)
    assert response.status_code == 201, response.text
    created = response.json()
    assert list(created) == [
        "slug",
        "version",
        "location",
        "role_name",
        "external_id",
        "env",
        "dataset",
    ]
    assert created == {
        "slug": name,
        "version": "2026-02-23",
        "location": "ghcr.io/djaodjin/djaopsp/livedemo:main",
        "role_name": "arn:aws:iam::123456789012:role/deploy",
        "external_id": created["external_id"],
        "env": [{"name": "DEBUG", "value": "0"}, {"name": "A_B", "value": ""}],
        "dataset": "production",
    }
    assert re.fullmatch(f"[{ALPHABET}]{{32}}", created["external_id"])
    shown = await dj.client.get(f"{API}/containers/{org}/apps/{name}/", headers=alice.auth)
    assert shown.json() == created
    listed = await dj.client.get(f"{API}/containers/{org}/apps/", headers=alice.auth)
    assert listed.json() == {"count": 1, "next": None, "previous": None, "results": [created]}


async def test_defaults_of_a_minimal_container(dj: DjaoDjin) -> None:
    alice, org = await setup(dj)
    created = await dj.app(alice, org, external_id="my-external-id")
    assert created["env"] == [] and created["dataset"] == "testing"
    assert created["version"] is None and created["location"] is None
    assert created["role_name"] is None and created["external_id"] == "my-external-id"


# Validation, in DRF's shapes


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({}, {"detail": "slug: This field is required.", "slug": ["This field is required."]}),
        (
            {"slug": "x" * 26},
            {
                "detail": "slug: Ensure this field has no more than 25 characters.",
                "slug": ["Ensure this field has no more than 25 characters."],
            },
        ),
        (
            {"slug": "has space"},
            {
                "detail": 'slug: Enter a valid "slug" consisting of letters, numbers, '
                "underscores or hyphens.",
                "slug": [
                    'Enter a valid "slug" consisting of letters, numbers, underscores or hyphens.'
                ],
            },
        ),
        (
            {"slug": "ok", "dataset": "staging", "env": "DEBUG=1"},
            {
                "detail": 'env: Expected a list of items but got type "str".',
                "env": ['Expected a list of items but got type "str".'],
                "dataset": ['"staging" is not a valid choice.'],
            },
        ),
        (
            {"slug": "ok", "env": [{"name": "GOOD", "value": "1"}, {"value": 2}, "x"]},
            {
                "detail": "env[1].name: This field is required.",
                "env": [
                    {},
                    {"name": ["This field is required."], "value": ["Not a valid string."]},
                    {"non_field_errors": ["Invalid data. Expected a dictionary, but got str."]},
                ],
            },
        ),
        (
            {"slug": "ok", "dataset": None, "external_id": "x", "version": 3},
            {
                "detail": "version: Not a valid string.",
                "version": ["Not a valid string."],
                "external_id": ["Ensure this field has at least 2 characters."],
                "dataset": ["This field may not be null."],
            },
        ),
        (
            [{"slug": "ok"}],
            {"detail": "Invalid data. Expected a dictionary, but got list."},
        ),
    ],
)
async def test_validation_errors_are_drf_field_maps(
    dj: DjaoDjin, body: Any, expected: dict[str, Any]
) -> None:
    alice, org = await setup(dj)
    response = await dj.client.post(f"{API}/containers/{org}/apps/", json=body, headers=alice.auth)
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/json"
    assert response.json() == expected
    assert next(iter(response.json())) == "detail"


async def test_duplicate_env_names_and_unparsable_json(dj: DjaoDjin) -> None:
    alice, org = await setup(dj)
    env = [{"name": "A", "value": "1"}, {"name": "A", "value": "2"}]
    response = await dj.client.post(
        f"{API}/containers/{org}/apps/", json={"slug": slug(), "env": env}, headers=alice.auth
    )
    assert response.json() == {
        "detail": "env: Duplicate variable name: A.",
        "env": ["Duplicate variable name: A."],
    }
    response = await dj.client.post(
        f"{API}/containers/{org}/apps/",
        content=b'{"slug": ',
        headers={**alice.auth, "Content-Type": "application/json"},
    )
    assert response.status_code == 400
    assert list(response.json()) == ["detail"]
    assert response.json()["detail"].startswith("JSON parse error - ")


async def test_slug_is_unique_everywhere_whatever_its_case(dj: DjaoDjin) -> None:
    alice, org = await setup(dj)
    bob = await dj.member()
    other = await dj.organization(bob)
    name = slug()
    await dj.app(alice, org, slug=name)
    for owner, where in [(alice, org), (bob, other)]:
        response = await dj.client.post(
            f"{API}/containers/{where}/apps/", json={"slug": name.upper()}, headers=owner.auth
        )
        assert response.status_code == 400
        assert response.json() == {
            "detail": "slug: This slug is already taken.",
            "slug": ["This slug is already taken."],
        }
    # Any case finds it again.
    found = await dj.client.get(f"{API}/containers/{org}/apps/{name.upper()}/", headers=alice.auth)
    assert found.json()["slug"] == name


# Form and multipart bodies (djd deploy sends forms)


async def test_form_and_multipart_bodies_are_read_like_json(dj: DjaoDjin) -> None:
    alice, org = await setup(dj)
    env = json.dumps([{"name": "DEBUG", "value": "1"}])
    form = await dj.client.post(
        f"{API}/containers/{org}/apps/",
        data={"slug": (a := slug()), "env": env, "dataset": "production", "version": ""},
        headers=alice.auth,
    )
    assert form.status_code == 201, form.text
    assert form.json()["env"] == [{"name": "DEBUG", "value": "1"}]
    assert form.json()["version"] is None  # an empty form value of a nullable field is null
    multipart = await dj.client.post(
        f"{API}/containers/{org}/apps/",
        files={"slug": (None, slug()), "env": (None, env), "location": (None, "nginx:1.27")},
        headers=alice.auth,
    )
    assert multipart.status_code == 201, multipart.text
    assert multipart.json()["location"] == "nginx:1.27"

    bad = await dj.client.post(
        f"{API}/containers/{org}/apps/{a}/",
        data={"env": "DEBUG=1", "dataset": "nope"},
        headers=alice.auth,
    )
    assert bad.status_code == 400
    assert bad.json() == {
        "detail": 'env: Expected a list of items but got type "str".',
        "env": ['Expected a list of items but got type "str".'],
        "dataset": ['"nope" is not a valid choice.'],
    }


async def test_an_array_may_come_as_one_part_per_item(dj: DjaoDjin) -> None:
    alice, org = await setup(dj)
    app = (await dj.app(alice, org))["slug"]
    url = f"{API}/containers/{org}/apps/{app}/"
    parts = [
        ("env", (None, json.dumps({"name": "A", "value": "1"}), "application/json")),
        ("env", (None, json.dumps({"name": "B", "value": "2"}), "application/json")),
    ]
    response = await dj.client.put(url, files=parts, headers=alice.auth)
    assert response.status_code == 200, response.text
    assert response.json()["env"] == [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}]
    one = await dj.client.put(
        url, data={"env": json.dumps({"name": "C", "value": "3"})}, headers=alice.auth
    )
    assert one.json()["env"] == [{"name": "C", "value": "3"}]
    twice = await dj.client.put(
        url,
        content=b"version=a&version=b",
        headers={**alice.auth, "Content-Type": "application/x-www-form-urlencoded"},
    )
    assert twice.json() == {
        "detail": "version: Not a valid string.",
        "version": ["Not a valid string."],
    }
    binary = await dj.client.put(
        url, files={"location": ("image.bin", b"\xff\xfe\x00")}, headers=alice.auth
    )
    assert binary.json() == {
        "detail": "location: Not a valid string.",
        "location": ["Not a valid string."],
    }


async def test_other_body_types_are_415_unless_empty(dj: DjaoDjin) -> None:
    alice, org = await setup(dj)
    app = (await dj.app(alice, org))["slug"]
    url = f"{API}/containers/{org}/apps/{app}/"
    response = await dj.client.post(
        url, content=b"location=x", headers={**alice.auth, "Content-Type": "text/plain"}
    )
    assert response.status_code == 415
    assert response.json() == {"detail": 'Unsupported media type "text/plain" in request.'}
    empty = await dj.client.post(
        url, content=b"", headers={**alice.auth, "Content-Type": "text/plain"}
    )
    assert empty.status_code == 201


# Updates, restarts and the log


async def test_put_keeps_omitted_fields_and_restarts_only_on_deploy_fields(dj: DjaoDjin) -> None:
    alice, org = await setup(dj)
    app = await dj.app(alice, org, location="nginx:1.27", env=[{"name": "A", "value": "1"}])
    await jobs.run_due(dj.env.runtime)
    url = f"{API}/containers/{org}/apps/{app['slug']}/"
    before = await log_lines(dj, alice, org, app["slug"])
    assert len(before) == 3

    same = await dj.client.put(
        url,
        json={
            "version": "v2",
            "dataset": "production",
            "location": "nginx:1.27",
            "slug": "ignored",
        },
        headers=alice.auth,
    )
    assert same.status_code == 200
    assert same.json() == {**app, "version": "v2", "dataset": "production"}
    assert await jobs.run_due(dj.env.runtime) == 0
    assert await log_lines(dj, alice, org, app["slug"]) == before

    changed = await dj.client.put(
        url, json={"env": [{"name": "B", "value": "2"}], "role_name": None}, headers=alice.auth
    )
    assert changed.json()["env"] == [{"name": "B", "value": "2"}]  # replaced whole
    assert changed.json()["location"] == "nginx:1.27"
    await jobs.run_due(dj.env.runtime)
    after = await log_lines(dj, alice, org, app["slug"])
    deploy_id = re.match(r"deploy (\d+)", after[-1]).group(1)  # type: ignore[union-attr]
    assert after[3:] == [
        f"deploy {deploy_id} queued (update): nginx:1.27",
        f"deploy {deploy_id} pulling nginx:1.27",
        f"deploy {deploy_id} running: nginx:1.27; 1 environment variable(s), dataset production",
    ]


async def test_redeploy_applies_a_form_body_then_restarts(dj: DjaoDjin) -> None:
    alice, org = await setup(dj)
    app = await dj.app(alice, org)
    url = f"{API}/containers/{org}/apps/{app['slug']}/"
    response = await dj.client.post(
        url, data={"location": "https://ghcr.io/acme/app:v3"}, headers=alice.auth
    )
    assert response.status_code == 201
    assert response.json() == {**app, "location": "https://ghcr.io/acme/app:v3"}
    assert await jobs.run_due(dj.env.runtime) == 1
    lines = await log_lines(dj, alice, org, app["slug"])
    assert [re.sub(r"deploy \d+ ", "", line) for line in lines] == [
        "queued (redeploy): https://ghcr.io/acme/app:v3",
        "pulling https://ghcr.io/acme/app:v3",
        "running: ghcr.io/acme/app:v3; 0 environment variable(s), dataset testing",
    ]
    again = await dj.client.post(url, headers=alice.auth)  # no body: just restart
    assert again.status_code == 201
    await jobs.run_due(dj.env.runtime)
    assert len(await log_lines(dj, alice, org, app["slug"])) == 6


@pytest.mark.parametrize(
    ("location", "reason"),
    [
        (None, "no image location is set"),
        ("Not An Image!", "invalid image reference 'Not An Image!'"),
    ],
)
async def test_a_deploy_that_cannot_run_ends_failed_with_its_reason(
    dj: DjaoDjin, location: str | None, reason: str
) -> None:
    alice, org = await setup(dj)
    app = await dj.app(alice, org, location=location)
    await dj.client.post(f"{API}/containers/{org}/apps/{app['slug']}/", headers=alice.auth)
    await jobs.run_due(dj.env.runtime)
    lines = await log_lines(dj, alice, org, app["slug"])
    assert re.fullmatch(rf"deploy \d+ failed: {re.escape(reason)}", lines[-1])
    async with dj.env.runtime.engine.connect() as conn:
        row = await containers.get(conn, (await org_id(dj, org)), app["slug"])
        assert row is not None
        latest = await containers.latest_deployment_id(conn, row.id)
        deployment = await containers.get_deployment(conn, latest or 0)
    assert deployment is not None and deployment.state == "failed"


async def org_id(dj: DjaoDjin, slug: str) -> int:
    from models.organizations import Organization

    async with dj.env.runtime.sessions() as session:
        from sqlalchemy import select

        return int(await session.scalar(select(Organization.id).where(Organization.slug == slug)))


async def test_a_deploy_superseded_before_it_ran_is_not_run(dj: DjaoDjin) -> None:
    alice, org = await setup(dj)
    app = await dj.app(alice, org, location="nginx:1")
    url = f"{API}/containers/{org}/apps/{app['slug']}/"
    await dj.client.post(url, data={"location": "nginx:2"}, headers=alice.auth)
    await jobs.run_due(dj.env.runtime)
    lines = [re.sub(r"\d+", "N", line) for line in await log_lines(dj, alice, org, app["slug"])]
    assert lines == [
        "deploy N queued (create): nginx:N",
        "deploy N queued (redeploy): nginx:N",
        "deploy N failed: superseded by deploy N",
        "deploy N pulling nginx:N",
        "deploy N running: nginx:N; N environment variable(s), dataset testing",
    ]


async def test_the_log_keeps_the_last_lines_only(
    dj: DjaoDjin, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(containers, "LOG_LINES", 4)
    alice, org = await setup(dj)
    app = await dj.app(alice, org, location="nginx:1")
    for _ in range(2):
        await dj.client.post(f"{API}/containers/{org}/apps/{app['slug']}/", headers=alice.auth)
        await jobs.run_due(dj.env.runtime)
    lines = await log_lines(dj, alice, org, app["slug"])
    assert len(lines) == 4
    assert lines[-1].endswith("dataset testing") and "running" in lines[-1]


class RecordingDeployer(deploy.Deployer):
    """A deployer of the test's own, plugged in by ``GENIE_DEPLOYER``."""

    started: list[str] = []

    async def pull(self, target: deploy.Target) -> str | None:
        if target.location == "explode:1":
            raise RuntimeError("registry exploded with secret details")
        return None

    async def start(self, target: deploy.Target) -> str | None:
        self.started.append(f"{target.slug} {target.location} {len(target.env)}")
        return "started by the test deployer"

    async def stop(self, slug: str) -> None:
        self.started.append(f"stopped {slug}")

    async def logs(self, slug: str) -> str:
        return f"{slug}: hello from stdout\n"


async def test_a_deployer_of_ones_own_plugs_in(pg: Env, dj: DjaoDjin) -> None:
    settings = Settings(
        database_url=pg.runtime.settings.database_url,
        data_dir=pg.data_dir,
        validate_responses=True,
        deployer=f"{__name__}:RecordingDeployer",
    )
    alice, org = await setup(dj)
    async with app_client(settings) as (client, runtime):
        made = await client.post(
            f"{API}/containers/{org}/apps/",
            json={"slug": (name := slug()), "location": "a:1"},
            headers=alice.auth,
        )
        assert made.status_code == 201
        await jobs.run_due(runtime)
        assert f"{name} a:1 0" in RecordingDeployer.started
        logs = await client.get(f"{API}/containers/{org}/apps/{name}/logs/", headers=alice.auth)
        content = logs.json()["content"]
        assert "running: started by the test deployer\n" in content
        assert content.endswith(f"{name}: hello from stdout\n")
        await client.put(
            f"{API}/containers/{org}/apps/{name}/",
            json={"location": "explode:1"},
            headers=alice.auth,
        )
        await jobs.run_due(runtime)
        logs = await client.get(f"{API}/containers/{org}/apps/{name}/logs/", headers=alice.auth)
        assert "failed: deployer error (RuntimeError)" in logs.json()["content"]
        assert "secret details" not in logs.json()["content"]
        gone = await client.delete(f"{API}/containers/{org}/apps/{name}/", headers=alice.auth)
        assert gone.status_code == 204
        await jobs.run_due(runtime)
        assert f"stopped {name}" in RecordingDeployer.started


async def test_delete_takes_the_domain_and_the_log_with_it(dj: DjaoDjin) -> None:
    alice, org = await setup(dj)
    app = (await dj.app(alice, org, location="nginx:1"))["slug"]
    domain = await dj.client.post(f"{API}/domains/{org}/", json={"slug": app}, headers=alice.auth)
    assert domain.status_code == 201
    response = await dj.client.delete(f"{API}/containers/{org}/apps/{app}/", headers=alice.auth)
    assert response.status_code == 204 and response.content == b""
    for path in [
        f"/containers/{org}/apps/{app}/",
        f"/containers/{org}/apps/{app}/logs/",
        f"/domains/{org}/{app}/",
    ]:
        gone = await dj.client.get(API + path, headers=alice.auth)
        assert (gone.status_code, gone.json()) == (404, {"detail": "Not found."})
    await jobs.run_due(dj.env.runtime)  # the queued deploy finds nothing, and stop runs
    again = await dj.client.delete(f"{API}/containers/{org}/apps/{app}/", headers=alice.auth)
    assert again.status_code == 404


# Paging


async def test_paging_envelope_and_its_edges(dj: DjaoDjin) -> None:
    alice, org = await setup(dj)
    names = sorted([f"p{i}-{secrets.token_hex(2)}" for i in range(3)])
    for name in names:
        await dj.app(alice, org, slug=name)
    url = f"{API}/containers/{org}/apps/"
    base = f"http://testserver{url}"

    first = await dj.client.get(url, params={"page_size": "2", "x": "a b"}, headers=alice.auth)
    assert first.json() == {
        "count": 3,
        "next": f"{base}?page_size=2&x=a+b&page=2",
        "previous": None,
        "results": [await show(dj, alice, org, n) for n in names[:2]],
    }
    second = await dj.client.get(
        url, params={"page": "2", "page_size": "2", "x": "a b"}, headers=alice.auth
    )
    body = second.json()
    assert (body["count"], body["next"]) == (3, None)
    assert body["previous"] == f"{base}?page_size=2&x=a+b"  # page 1 drops `page`
    assert [c["slug"] for c in body["results"]] == names[2:]
    last = await dj.client.get(url, params={"page": "last", "page_size": "2"}, headers=alice.auth)
    assert [c["slug"] for c in last.json()["results"]] == names[2:]

    for page in ["3", "0", "-1", "abc", "1.5"]:
        response = await dj.client.get(
            url, params={"page": page, "page_size": "2"}, headers=alice.auth
        )
        assert (response.status_code, response.json()) == (404, {"detail": "Invalid page."})
    for size in ["0", "-3", "abc", "1000"]:
        response = await dj.client.get(url, params={"page_size": size}, headers=alice.auth)
        assert (response.json()["count"], len(response.json()["results"])) == (3, 3)
        assert response.json()["next"] is None


async def test_an_empty_list_is_page_one_only(dj: DjaoDjin) -> None:
    alice, org = await setup(dj)
    url = f"{API}/containers/{org}/apps/"
    response = await dj.client.get(url, headers=alice.auth)
    assert response.json() == {"count": 0, "next": None, "previous": None, "results": []}
    response = await dj.client.get(url, params={"page": "2"}, headers=alice.auth)
    assert response.status_code == 404


async def test_page_size_is_capped_at_100(dj: DjaoDjin) -> None:
    alice, org = await setup(dj)
    async with dj.env.runtime.engine.begin() as conn:
        oid = await org_id(dj, org)
        for _ in range(101):
            await containers.insert_container(
                conn, {"organization_id": oid, "slug": slug(), "env": [], "dataset": "testing"}
            )
    url = f"{API}/containers/{org}/apps/"
    default = await dj.client.get(url, headers=alice.auth)
    assert (default.json()["count"], len(default.json()["results"])) == (101, 25)
    capped = await dj.client.get(url, params={"page_size": "500"}, headers=alice.auth)
    assert len(capped.json()["results"]) == 100
    assert capped.json()["next"].endswith("page_size=500&page=2")


async def show(dj: DjaoDjin, member: Member, org: str, name: str) -> dict[str, Any]:
    response = await dj.client.get(f"{API}/containers/{org}/apps/{name}/", headers=member.auth)
    result: dict[str, Any] = response.json()
    return result


# The trailing slash


async def test_a_path_without_its_slash_is_308_to_the_slashed_one(dj: DjaoDjin) -> None:
    alice, org = await setup(dj)
    app = (await dj.app(alice, org))["slug"]
    for method, path, query in [
        ("GET", f"/api/containers/{org}/apps", "page=1&page_size=5"),
        ("POST", f"/api/containers/{org}/apps/{app}", ""),
        ("GET", f"/api/containers/{org}/apps/{app}/logs", ""),
        ("GET", "/api/domains", ""),
        ("PUT", f"/api/domains/{org}/{app}", "a=%20b"),
    ]:
        url = path + (f"?{query}" if query else "")
        response = await dj.client.request(method, url)  # before authentication, as Django does
        assert response.status_code == 308, url
        assert response.headers["location"] == path + "/" + (f"?{query}" if query else "")
        assert response.content == b""
    followed = await dj.client.post(
        f"/api/containers/{org}/apps/{app}",
        headers=alice.auth,
        follow_redirects=True,
        json={"version": "followed"},
    )
    assert followed.status_code == 201  # 308 keeps the method and the body
    assert followed.json()["version"] == "followed"
    unknown = await dj.client.get(f"/api/containers/{org}/nothing")
    assert (unknown.status_code, unknown.json()) == (404, {"detail": "Not found."})


async def test_a_trailing_newline_is_not_a_valid_slug(dj: DjaoDjin) -> None:
    alice = await dj.member()
    org = await dj.organization(alice)
    response = await dj.client.post(
        f"{API}/containers/{org}/apps/", json={"slug": "app\n"}, headers=alice.auth
    )
    assert response.status_code == 400
    assert "slug" in response.json()
