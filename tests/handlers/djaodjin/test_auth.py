"""DjaoDjin authentication and organization access: the matrix over every operation
(no credentials, bad key, expired key, no role, contributor, manager), DRF's 401
wording for malformed headers, inactive users, the broker, and HTTPS."""

from __future__ import annotations

import base64
import secrets
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from genie.settings import Settings
from models.base import utcnow
from tests.conftest import Env, app_client
from tests.handlers.djaodjin.conftest import API, DjaoDjin, Member, basic
from tests.handlers.djaodjin.smtp import SmtpSink

NO_CREDENTIALS = {"detail": "Authentication credentials were not provided."}
INVALID = {"detail": "Invalid token"}
DENIED = {"detail": "Permission denied"}
BASIC_REALM = 'Basic realm="api"'


@dataclass
class World:
    """One organization with a manager and a contributor, a container with its
    domain, and an outsider with a role elsewhere only."""

    org: str
    app: str
    manager: Member
    contributor: Member
    outsider: Member
    expired_key: str


async def make_world(dj: DjaoDjin, smtp: SmtpSink) -> World:
    manager, contributor, outsider = await dj.member(), await dj.member(), await dj.member()
    org = await dj.organization(manager, contributor=contributor)
    app = (await dj.app(manager, org))["slug"]
    response = await dj.client.post(
        f"{API}/domains/{org}/",
        json={
            "slug": app,
            "domain": f"{app}.example.com",
            "email_host": smtp.host,
            "email_port": smtp.port,
        },
        headers=manager.auth,
    )
    assert response.status_code == 201, response.text
    expired = await dj.key_for(
        manager.account.user.id, lifetime=timedelta(days=1), now=utcnow() - timedelta(days=2)
    )
    return World(org, app, manager, contributor, outsider, expired)


# (method, path, body, writes, success status)
OPERATIONS: list[tuple[str, str, Any, bool, int]] = [
    ("GET", "/containers/{org}/apps/", None, False, 200),
    ("POST", "/containers/{org}/apps/", {"slug": "{new}"}, True, 201),
    ("GET", "/containers/{org}/apps/{app}/", None, False, 200),
    ("POST", "/containers/{org}/apps/{app}/", {}, True, 201),
    ("PUT", "/containers/{org}/apps/{app}/", {"version": "v2"}, True, 200),
    ("DELETE", "/containers/{org}/apps/{app}/", None, True, 204),
    ("GET", "/containers/{org}/apps/{app}/logs/", None, False, 200),
    ("GET", "/domains/{org}/", None, False, 200),
    ("POST", "/domains/{org}/", {"slug": "{new_app}"}, True, 201),
    ("GET", "/domains/{org}/{app}/", None, False, 200),
    ("PUT", "/domains/{org}/{app}/", {"authentication": 1}, True, 200),
    ("DELETE", "/domains/{org}/{app}/certificates/", None, True, 204),
    ("POST", "/domains/{org}/{app}/newcert/", {}, True, 201),
    ("POST", "/domains/{org}/{app}/test-email/", None, True, 201),
    ("POST", "/domains/", {"slug": "{new_app}", "billing": "{org}"}, True, 201),
]
CALLERS = ["none", "bad key", "expired key", "no role", "contributor", "manager"]


def expected(caller: str, writes: bool, success: int, path: str) -> tuple[int, Any]:
    if caller == "none":
        return 401, NO_CREDENTIALS
    if caller in ("bad key", "expired key"):
        return 401, INVALID
    if caller == "no role" or (caller == "contributor" and writes):
        return 403, DENIED
    return success, None


def fill(text: str, world: World, new_app: str) -> str:
    return (
        text.replace("{org}", world.org)
        .replace("{app}", world.app)
        .replace("{new_app}", new_app)
        .replace("{new}", f"n-{secrets.token_hex(4)}")
    )


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize(("method", "path", "body", "writes", "success"), OPERATIONS)
async def test_access_matrix(
    dj: DjaoDjin,
    smtp: SmtpSink,
    caller: str,
    method: str,
    path: str,
    body: Any,
    writes: bool,
    success: int,
) -> None:
    world = await make_world(dj, smtp)
    new_app = (await dj.app(world.manager, world.org))["slug"]
    headers = {
        "none": {},
        "bad key": basic("A" * 32 + secrets.token_hex(16)),
        "expired key": basic(world.expired_key),
        "no role": world.outsider.auth,
        "contributor": world.contributor.auth,
        "manager": world.manager.auth,
    }[caller]
    url = API + fill(path, world, new_app)
    kwargs: dict[str, Any] = {"headers": headers}
    if body is not None:
        kwargs["json"] = {
            k: fill(v, world, new_app) if isinstance(v, str) else v for k, v in body.items()
        }
    response = await dj.client.request(method, url, **kwargs)

    status, detail = expected(caller, writes, success, path)
    assert response.status_code == status, response.text
    if detail is not None:
        assert response.json() == detail
    if status == 401:
        assert response.headers["www-authenticate"] == BASIC_REALM
    if status == 204:
        assert response.content == b""


async def test_domain_list_across_organizations_shows_only_reachable_ones(
    dj: DjaoDjin, smtp: SmtpSink
) -> None:
    world = await make_world(dj, smtp)
    for member, sees in [(world.manager, True), (world.contributor, True), (world.outsider, False)]:
        response = await dj.client.get(f"{API}/domains/", headers=member.auth)
        assert response.status_code == 200
        slugs = [d["slug"] for d in response.json()["results"]]
        assert (world.app in slugs) is sees


async def test_unknown_organization_is_403_like_a_foreign_one(dj: DjaoDjin) -> None:
    alice = await dj.member()
    for path in ["/containers/no-such-org/apps/", "/domains/no-such-org/"]:
        for method in ("GET", "POST"):
            response = await dj.client.request(method, API + path, headers=alice.auth, json={})
            assert response.status_code == 403
            assert response.json() == DENIED


async def test_unknown_app_or_domain_in_a_visible_organization_is_404(dj: DjaoDjin) -> None:
    alice = await dj.member()
    org = await dj.organization(alice)
    app = (await dj.app(alice, org))["slug"]  # a container without a domain
    for method, path in [
        ("GET", f"/containers/{org}/apps/nope/"),
        ("PUT", f"/containers/{org}/apps/nope/"),
        ("DELETE", f"/containers/{org}/apps/nope/"),
        ("GET", f"/containers/{org}/apps/nope/logs/"),
        ("POST", f"/containers/{org}/apps/nope/"),
        ("GET", f"/domains/{org}/{app}/"),
        ("PUT", f"/domains/{org}/{app}/"),
        ("DELETE", f"/domains/{org}/{app}/certificates/"),
        ("POST", f"/domains/{org}/{app}/newcert/"),
        ("POST", f"/domains/{org}/{app}/test-email/"),
    ]:
        response = await dj.client.request(method, API + path, headers=alice.auth)
        assert (response.status_code, response.json()) == (404, {"detail": "Not found."}), path


async def test_another_organizations_app_is_not_reachable_through_ones_own(dj: DjaoDjin) -> None:
    alice, bob = await dj.member(), await dj.member()
    alices, bobs = await dj.organization(alice), await dj.organization(bob)
    app = (await dj.app(bob, bobs))["slug"]
    response = await dj.client.get(f"{API}/containers/{alices}/apps/{app}/", headers=alice.auth)
    assert response.status_code == 404
    response = await dj.client.get(f"{API}/containers/{bobs}/apps/{app}/", headers=alice.auth)
    assert (response.status_code, response.json()) == (403, DENIED)


async def test_personal_organization_is_named_after_the_user(dj: DjaoDjin) -> None:
    alice = await dj.member()
    created = await dj.client.post(
        f"{API}/containers/{alice.username}/apps/",
        json={"slug": f"p-{secrets.token_hex(4)}"},
        headers=alice.auth,
    )
    assert created.status_code == 201, created.text


def raw_basic(value: str) -> dict[str, str]:
    return {"Authorization": value}


@pytest.mark.parametrize(
    ("header", "detail"),
    [
        ("Basic", "Invalid basic header. No credentials provided."),
        ("Basic abc def", "Invalid basic header. Credentials string should not contain spaces."),
        ("Basic !!!notbase64", "Invalid basic header. Credentials not correctly base64 encoded."),
        (
            "Basic " + base64.b64encode(b"no-colon-here").decode(),
            "Invalid basic header. Credentials not correctly base64 encoded.",
        ),
        ("Bearer " + "x" * 64, "Authentication credentials were not provided."),
        ("Basic " + base64.b64encode(b"short:").decode(), "Invalid token"),
    ],
)
async def test_malformed_basic_headers_get_drfs_401s(
    dj: DjaoDjin, header: str, detail: str
) -> None:
    response = await dj.client.get(f"{API}/domains/", headers=raw_basic(header))
    assert response.status_code == 401
    assert response.json() == {"detail": detail}
    assert response.headers["www-authenticate"] == BASIC_REALM


async def test_the_password_is_ignored_and_the_secret_half_is_checked(dj: DjaoDjin) -> None:
    alice = await dj.member()
    ok = await dj.client.get(f"{API}/domains/", headers=basic(alice.key, "any password"))
    assert ok.status_code == 200
    forged = alice.key[:32] + ("A" if alice.key[32] != "A" else "B") + alice.key[33:]
    response = await dj.client.get(f"{API}/domains/", headers=basic(forged))
    assert (response.status_code, response.json()) == (401, INVALID)
    response = await dj.client.get(f"{API}/domains/", headers=basic(alice.key + "x"))
    assert (response.status_code, response.json()) == (401, INVALID)


async def test_an_inactive_users_key_is_refused(dj: DjaoDjin) -> None:
    alice = await dj.member()
    await dj.deactivate(alice)
    response = await dj.client.get(f"{API}/domains/", headers=alice.auth)
    assert response.status_code == 401
    assert response.json() == {"detail": "User inactive or deleted."}


async def test_bad_key_wins_over_a_bad_body_and_a_role_over_a_bad_body(dj: DjaoDjin) -> None:
    alice, outsider = await dj.member(), await dj.member()
    org = await dj.organization(alice)
    url = f"{API}/containers/{org}/apps/"
    response = await dj.client.post(url, json={"slug": "bad slug"}, headers=basic("x" * 64))
    assert response.status_code == 401
    response = await dj.client.post(url, json={"slug": "bad slug"}, headers=outsider.auth)
    assert (response.status_code, response.json()) == (403, DENIED)
    response = await dj.client.post(url, json={"slug": "bad slug"}, headers=alice.auth)
    assert response.status_code == 400


async def test_broker_managers_act_on_every_organization(
    pg: Env, pg_url: str, dj: DjaoDjin
) -> None:
    staff, alice = await dj.member(), await dj.member()
    platform = await dj.organization(staff)
    org = await dj.organization(alice)
    app = (await dj.app(alice, org))["slug"]
    settings = Settings(
        database_url=pg_url,
        data_dir=pg.data_dir,
        validate_responses=True,
        broker_organization=platform,
    )
    async with app_client(settings) as (client, _):
        listed = await client.get(f"{API}/containers/{org}/apps/", headers=staff.auth)
        assert [c["slug"] for c in listed.json()["results"]] == [app]
        changed = await client.put(
            f"{API}/containers/{org}/apps/{app}/", json={"version": "b"}, headers=staff.auth
        )
        assert changed.status_code == 200
        missing = await client.get(f"{API}/containers/no-such-org/apps/", headers=staff.auth)
        assert (missing.status_code, missing.json()) == (404, {"detail": "Not found."})
        # An ordinary user still cannot tell a missing organization from a foreign one.
        denied = await client.get(f"{API}/containers/no-such-org/apps/", headers=alice.auth)
        assert denied.status_code == 403
        stranger = await client.get(f"{API}/containers/{platform}/apps/", headers=alice.auth)
        assert stranger.status_code == 403


async def test_require_https_refuses_plain_http(
    pg: Env, pg_url: str, dj: DjaoDjin, tmp_path: Path
) -> None:
    alice = await dj.member()
    settings = Settings(
        database_url=pg_url, data_dir=pg.data_dir, validate_responses=True, require_https=True
    )
    async with app_client(settings, base_url="http://plain") as (client, _):
        response = await client.get(f"{API}/domains/", headers=alice.auth)
        assert (response.status_code, response.json()) == (403, {"detail": "HTTPS is required."})
    async with app_client(settings, base_url="https://secure") as (client, _):
        response = await client.get(f"{API}/domains/", headers=alice.auth)
        assert response.status_code == 200
