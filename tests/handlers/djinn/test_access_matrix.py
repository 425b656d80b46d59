"""The access matrix: every namespace-scoped operation, for every kind of caller,
on private, internal and public namespaces, with the exact status expected.

Callers: the namespace's owner, a collaborator of its tree, another authenticated
user, an anonymous caller, and the owner and the other user holding a token with
every scope but the ones the operation needs.

The target is a *child* namespace (``proj/sub``), so every row also checks that
children follow their root's visibility and collaborators.

Adding a resource (issue 5 and later): add its rows to :data:`OPERATIONS`, and,
if they address a new kind of row, create one in :func:`build_world` and name it
in ``World.ids`` (paths are ``str.format`` templates over ``World.ids``).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any

import pytest

from genie import scopes
from models import Build, BuildArtifact, BuildJob, BuildTag
from tests.conftest import ALL_SCOPES, Account, Env
from tests.handlers.djinn.conftest import add_collaborator, create_namespace
from tests.handlers.djinn.test_keys import ed25519_key

VISIBILITIES = ("private", "internal", "public")
ROLES = ("owner", "collaborator", "other", "anonymous")
WRONG_SCOPE_ROLES = ("owner-wrong-scope", "other-wrong-scope")

Expect = dict[str, int | dict[str, int]]


@pytest.fixture(autouse=True)
def os_driver(monkeypatch: pytest.MonkeyPatch) -> None:
    """Builds of the matrix may use the ``os`` driver (never run here)."""
    monkeypatch.setenv("GENIE_DRIVERS", "os")


def read(ok: int = 200) -> Expect:
    """Who may see the namespace: members always, others by visibility."""
    return {
        "owner": ok,
        "collaborator": ok,
        "other": {"private": 404, "internal": ok, "public": ok},
        "anonymous": {"private": 404, "internal": 404, "public": ok},
    }


def members(ok: int, *, other: int = 404) -> Expect:
    """The owner and collaborators, whatever the visibility."""
    return {"owner": ok, "collaborator": ok, "other": other, "anonymous": 401}


def owner_only(ok: int) -> Expect:
    return {"owner": ok, "collaborator": 404, "other": 404, "anonymous": 401}


def invitee_only() -> Expect:
    """Accepting an invite: only the invitee, who is none of the four."""
    return {"owner": 404, "collaborator": 404, "other": 404, "anonymous": 401}


@dataclass(frozen=True)
class Op:
    name: str
    method: str
    path: str
    expect: Expect
    #: Scopes the operation needs; its wrong-scope token holds every other one.
    needs: tuple[str, ...] = ()
    #: Anonymous callers allowed (``security: [{djinn: []}, {}]``): scopes are then
    #: checked only on namespaces that are not public, after visibility.
    optional: bool = False
    json: dict[str, Any] | None = None
    params: dict[str, str] | None = None
    content: bytes | None = None
    #: Changes the world: runs on a world of its own.
    fresh: bool = False
    #: The 400 body of a namespace the caller may not use.
    refused: dict[str, list[str]] = field(
        default_factory=lambda: {"namespace": ["Namespace permission denied"]}
    )

    def status(self, role: str, visibility: str) -> int:
        wanted = self.expect[role.removesuffix("-wrong-scope")]
        plain = wanted if isinstance(wanted, int) else wanted[visibility]
        if not role.endswith("-wrong-scope") or not self.needs:
            return plain
        if not self.optional:
            return 403  # the token is refused before anything is looked up
        if plain == 404 or visibility == "public":
            return plain  # nothing to see leaks no scope; public reads need none
        return 403


NS = "/djinn/n/{owner}/proj/sub"
READ_NS = ("namespace:read",)
#: The build of ``proj/sub`` each world has (number 1 of the owner).
BUILD = "/djinn/b/{owner}/1"
READ_BUILD = ("build:read",)
QCOW2 = b"QFI\xfb" + b"\x00" * 60
#: A manifest for ``proj/sub`` of the owner (a str.format template: no braces).
CRON_MANIFEST = (
    "namespace: proj/sub@{owner}\ndriver:\n  type: os\nstages:\n- test\n"
    "jobs:\n- stage: test\n  commands:\n  - make test\n"
)

OPERATIONS: list[Op] = [
    Op("namespace.show", "GET", NS, read(), READ_NS, optional=True),
    Op(
        "namespace.update",
        "PATCH",
        NS,
        owner_only(200),
        ("namespace:write",),
        json={"description": "x"},
    ),
    Op("namespace.destroy", "DELETE", NS, owner_only(204), ("namespace:delete",), fresh=True),
    Op("namespace.children", "GET", NS + "/-/namespaces", read(), READ_NS, optional=True),
    Op("namespace.objects", "GET", NS + "/-/objects", read(), READ_NS, optional=True),
    Op(
        "namespace.builds",
        "GET",
        NS + "/-/builds",
        read(),
        ("namespace:read", "build:read"),
        optional=True,
    ),
    Op("namespace.images", "GET", NS + "/-/images", read(), READ_NS, optional=True),
    Op("namespace.variables", "GET", NS + "/-/variables", read(), READ_NS, optional=True),
    Op("namespace.keys", "GET", NS + "/-/keys", read(), READ_NS, optional=True),
    Op("namespace.badge", "GET", NS + "/-/badge.svg", {r: 200 for r in ROLES}),
    Op("collaborators.index", "GET", NS + "/-/collaborators", owner_only(200), READ_NS),
    Op(
        "collaborators.destroy",
        "DELETE",
        NS + "/-/collaborators/{collaborator}",
        owner_only(204),
        ("namespace:delete",),
        fresh=True,
    ),
    Op("invites.namespace_index", "GET", NS + "/-/invites", owner_only(200), ("invite:read",)),
    Op(
        "invites.store",
        "POST",
        NS + "/-/invites",
        owner_only(201),
        ("invite:write",),
        json={"handle": "{newcomer}"},
        fresh=True,
    ),
    Op(
        "invites.update",
        "PATCH",
        "/djinn/invites/{invite}",
        invitee_only(),
        ("invite:write",),
        fresh=True,
    ),
    Op(
        "invites.destroy",
        "DELETE",
        "/djinn/invites/{invite}",
        owner_only(204),
        ("invite:delete",),
        fresh=True,
    ),
    Op("webhooks.index", "GET", NS + "/-/webhooks", members(200), ("webhook:read",)),
    Op(
        "webhooks.store",
        "POST",
        NS + "/-/webhooks",
        members(201),
        ("webhook:write",),
        json={"payload_url": "http://127.0.0.1:9/new"},
        fresh=True,
    ),
    Op("webhooks.show", "GET", NS + "/-/webhooks/{webhook}", members(200), ("webhook:read",)),
    Op(
        "webhooks.update",
        "PATCH",
        NS + "/-/webhooks/{webhook}",
        members(200),
        ("webhook:write",),
        json={"active": False},
    ),
    Op(
        "webhooks.destroy",
        "DELETE",
        NS + "/-/webhooks/{webhook}",
        members(204),
        ("webhook:delete",),
        fresh=True,
    ),
    Op(
        "objects.store",
        "POST",
        "/djinn/objects",
        members(201, other=400),
        ("object:write",),
        params={"name": "new.bin", "namespace": "proj/sub@{owner}"},
        content=b"new",
        fresh=True,
    ),
    Op(
        "objects.show",
        "GET",
        "/djinn/objects/{object}",
        {**read(), "anonymous": 401},
        ("object:read",),
    ),
    Op(
        "objects.builds",
        "GET",
        "/djinn/objects/{object}/builds",
        {**read(), "anonymous": 401},
        ("object:read", "build:read"),
    ),
    Op(
        "objects.destroy",
        "DELETE",
        "/djinn/objects/{object}",
        members(204),
        ("object:delete",),
        fresh=True,
    ),
    # Images: reads as the namespace's (public ones need no token), writes by members.
    Op(
        "images.store",
        "POST",
        "/djinn/images",
        members(201, other=400),
        ("image:write",),
        params={"name": "new", "namespace": "proj/sub@{owner}"},
        content=QCOW2,
        fresh=True,
    ),
    Op("images.show", "GET", "/djinn/images/{image}", read(), ("image:read",), optional=True),
    Op(
        "images.destroy",
        "DELETE",
        "/djinn/images/{image}",
        members(204),
        ("image:delete",),
        fresh=True,
    ),
    # Cron: its namespace comes from the manifest.
    Op(
        "cron.store",
        "POST",
        "/djinn/cron",
        members(201, other=400),
        ("cron:write",),
        json={"name": "new", "manifest": CRON_MANIFEST},
        fresh=True,
        refused={"manifest": ["Manifest cannot submit to namespace"]},
    ),
    Op("cron.show", "GET", "/djinn/cron/{cron}", {**read(), "anonymous": 401}, ("cron:read",)),
    Op(
        "cron.update",
        "PATCH",
        "/djinn/cron/{cron}",
        members(200),
        ("cron:write",),
        json={"schedule": "weekly"},
    ),
    Op(
        "cron.destroy",
        "DELETE",
        "/djinn/cron/{cron}",
        members(204),
        ("cron:delete",),
        fresh=True,
    ),
    Op(
        "cron.builds",
        "GET",
        "/djinn/cron/{cron}/builds",
        {**read(), "anonymous": 401},
        ("cron:read", "build:read"),
    ),
    # Variables and SSH keys (issue 5).
    Op(
        "variables.store",
        "POST",
        "/djinn/variables",
        members(201, other=400),
        ("variable:write",),
        json={"key": "NEW", "value": "new value", "namespace": "proj/sub@{owner}"},
        fresh=True,
    ),
    Op(
        "variables.show",
        "GET",
        "/djinn/variables/{variable}",
        {**read(), "anonymous": 401},
        ("variable:read",),
    ),
    Op(
        "variables.destroy",
        "DELETE",
        "/djinn/variables/{variable}",
        members(204),
        ("variable:delete",),
        fresh=True,
    ),
    Op(
        "keys.store",
        "POST",
        "/djinn/keys",
        members(201, other=400),
        ("key:write",),
        json={"name": "new", "key": "{private_key}", "namespace": "proj/sub@{owner}"},
        fresh=True,
    ),
    Op("keys.show", "GET", "/djinn/keys/{key}", {**read(), "anonymous": 401}, ("key:read",)),
    Op(
        "keys.update",
        "PATCH",
        "/djinn/keys/{key}",
        members(200),
        ("key:write",),
        json={"config": "Host example.com"},
    ),
    Op("keys.destroy", "DELETE", "/djinn/keys/{key}", members(204), ("key:delete",), fresh=True),
    # Builds (issue 13): reads as the namespace's (BA), writes by members only.
    Op(
        "builds.index",
        "GET",
        "/djinn/builds",
        {"owner": 200, "collaborator": 200, "other": 200, "anonymous": 401},
        READ_BUILD,
    ),
    Op(
        "builds.store",
        "POST",
        "/djinn/builds",
        members(201, other=400),
        ("build:write",),
        json={"manifest": CRON_MANIFEST},
        fresh=True,
        refused={"manifest": ["Manifest cannot submit to namespace"]},
    ),
    Op("builds.show", "GET", BUILD, read(), READ_BUILD, optional=True),
    Op("builds.destroy", "DELETE", BUILD, members(204), ("build:delete",), fresh=True),
    Op("builds.pin", "PATCH", BUILD + "/pin", members(200), ("build:write",)),
    Op("builds.unpin", "PATCH", BUILD + "/unpin", members(200), ("build:write",)),
    *(
        Op(f"build_items.{part}", "GET", f"{BUILD}/{part}", read(), READ_BUILD, optional=True)
        for part in ("objects", "variables", "keys", "jobs", "artifacts")
    ),
    Op("build_items.job", "GET", BUILD + "/jobs/create-driver", read(), READ_BUILD, optional=True),
    Op(
        "build_items.artifact",
        "GET",
        BUILD + "/artifacts/out.txt",
        read(),
        READ_BUILD,
        optional=True,
    ),
    Op("build_tags.index", "GET", BUILD + "/tags", read(), READ_BUILD, optional=True),
    Op("build_tags.show", "GET", BUILD + "/tags/release/v1", read(), READ_BUILD, optional=True),
    Op(
        "build_tags.store",
        "POST",
        BUILD + "/tags",
        members(201),
        ("build:write",),
        json=["new"],
        fresh=True,
    ),
    Op(
        "build_tags.destroy",
        "DELETE",
        BUILD + "/tags/release/v1",
        members(204),
        ("build:delete",),
        fresh=True,
    ),
]


@dataclass
class World:
    accounts: dict[str, Account]
    #: Values for the path templates: owner, collaborator, newcomer, webhook, ...
    ids: dict[str, Any] = field(default_factory=dict)
    wrong_tokens: dict[tuple[str, tuple[str, ...]], str] = field(default_factory=dict)

    def fill(self, value: Any) -> Any:
        if isinstance(value, str):
            return value.format(**self.ids)
        if isinstance(value, dict):
            return {k: self.fill(v) for k, v in value.items()}
        return value


async def build_world(env: Env, visibility: str) -> World:
    owner, collaborator, other, newcomer, invitee = [await env.account() for _ in range(5)]
    world = World({"owner": owner, "collaborator": collaborator, "other": other})
    await create_namespace(env, owner, "proj", visibility=visibility)
    sub = await create_namespace(env, owner, "sub", parent="proj")
    assert sub["visibility"] == visibility
    await add_collaborator(env, owner, "proj", collaborator)
    # Inactive: every world fires events into proj/sub, and deliveries to a port
    # nobody listens on would pile up in the shared job queue of later tests.
    hook = await env.client.post(
        f"/djinn/n/{owner.user.username}/proj/sub/-/webhooks",
        json={"payload_url": "http://127.0.0.1:9/hook", "active": False},
        headers=owner.auth,
    )
    assert hook.status_code == 201, hook.text
    obj = await env.client.post(
        "/djinn/objects",
        params={"name": "obj.bin", "namespace": "proj/sub"},
        content=b"obj",
        headers=owner.auth,
    )
    assert obj.status_code == 201, obj.text
    image = await env.client.post(
        "/djinn/images",
        params={"name": "img", "namespace": "proj/sub"},
        content=QCOW2,
        headers=owner.auth,
    )
    assert image.status_code == 201, image.text
    cron = await env.client.post(
        "/djinn/cron",
        json={"name": "nightly", "manifest": CRON_MANIFEST.format(owner=owner.user.username)},
        headers=owner.auth,
    )
    assert cron.status_code == 201, cron.text
    pending = await env.client.post(
        f"/djinn/n/{owner.user.username}/proj/sub/-/invites",
        json={"handle": invitee.user.username},
        headers=owner.auth,
    )
    assert pending.status_code == 201, pending.text
    variable = await env.client.post(
        "/djinn/variables",
        json={"key": "VAR", "value": "value", "namespace": "proj/sub"},
        headers=owner.auth,
    )
    assert variable.status_code == 201, variable.text
    private_key = ed25519_key()
    key = await env.client.post(
        "/djinn/keys",
        json={"name": "id_key", "key": private_key, "namespace": "proj/sub"},
        headers=owner.auth,
    )
    assert key.status_code == 201, key.text
    await add_build(env, owner, sub["id"])
    world.ids = {
        "owner": owner.user.username,
        "collaborator": collaborator.user.username,
        "newcomer": newcomer.user.username,
        "webhook": hook.json()["id"],
        "object": obj.json()["id"],
        "image": image.json()["id"],
        "cron": cron.json()["id"],
        "invite": pending.json()["id"],
        "variable": variable.json()["id"],
        "key": key.json()["id"],
        "private_key": private_key,
    }
    return world


async def add_build(env: Env, owner: Account, namespace_id: int) -> None:
    """Build 1 of the owner in ``proj/sub``, with a job, an artifact and a tag."""
    async with env.runtime.sessions() as session, session.begin():
        build = Build(user_id=owner.user.id, namespace_id=namespace_id, number=1, manifest="x")
        session.add(build)
        await session.flush()
        job = BuildJob(build_id=build.id, position=0, stage="setup - #1", name="create-driver")
        session.add(job)
        await session.flush()
        session.add_all(
            [
                BuildArtifact(
                    build_id=build.id,
                    job_id=job.id,
                    user_id=owner.user.id,
                    hash=secrets.token_hex(32),
                    source="out.txt",
                    name="out.txt",
                ),
                BuildTag(build_id=build.id, user_id=owner.user.id, name="release/v1"),
            ]
        )


_shared: dict[str, World] = {}


async def world_for(env: Env, op: Op, visibility: str) -> World:
    if op.fresh:
        return await build_world(env, visibility)
    if visibility not in _shared:
        _shared[visibility] = await build_world(env, visibility)
    return _shared[visibility]


async def headers_for(env: Env, world: World, role: str, op: Op) -> dict[str, str]:
    if role == "anonymous":
        return {}
    if not role.endswith("-wrong-scope"):
        return world.accounts[role].auth
    account = world.accounts[role.removesuffix("-wrong-scope")]
    key = (role, op.needs)
    if key not in world.wrong_tokens:
        held = scopes.parse(ALL_SCOPES) - set(op.needs)
        world.wrong_tokens[key] = await env.token_for(account, scopes.format_scopes(held))
    return {"Authorization": f"Bearer {world.wrong_tokens[key]}"}


CASES = [
    pytest.param(op, visibility, role, id=f"{op.name}-{visibility}-{role}")
    for op in OPERATIONS
    for visibility in VISIBILITIES
    for role in ROLES + WRONG_SCOPE_ROLES
    if not (role.endswith("-wrong-scope") and not op.needs)
]


@pytest.mark.parametrize(("op", "visibility", "role"), CASES)
async def test_access(private_env: Env, op: Op, visibility: str, role: str) -> None:
    env = private_env  # webhooks in the world point at 127.0.0.1
    world = await world_for(env, op, visibility)
    response = await env.client.request(
        op.method,
        world.fill(op.path),
        headers=await headers_for(env, world, role, op),
        params=world.fill(op.params),
        json=world.fill(op.json),
        content=op.content,
    )
    expected = op.status(role, visibility)
    assert response.status_code == expected, response.text
    if expected == 404:
        assert response.json() == {"message": "Not Found"}
    elif expected == 401:
        assert response.json() == {"message": "Unauthorized"}
        assert response.headers["www-authenticate"] == "Bearer"
    elif expected == 403:
        message = response.json()["message"]
        assert message.startswith("Forbidden: the token lacks the scope"), message
        assert any(s in message for s in op.needs), message
    elif expected == 400:
        assert response.json() == op.refused


def test_matrix_size() -> None:
    """Every operation is covered for every caller and visibility."""
    per_op = len(VISIBILITIES) * (len(ROLES) + len(WRONG_SCOPE_ROLES))
    assert len(CASES) == sum(
        per_op if op.needs else len(VISIBILITIES) * len(ROLES) for op in OPERATIONS
    )
    assert len(OPERATIONS) == len({op.name for op in OPERATIONS})


async def test_bad_token_on_optional_routes_is_401(private_env: Env) -> None:
    """An anonymous read needs no token at all; a bad one is refused, not ignored."""
    world = await world_for(private_env, OPERATIONS[0], "public")
    url = world.fill(NS)
    assert (await private_env.client.get(url)).status_code == 200
    for headers in [
        {"Authorization": "Bearer 0123456789abcdef0123456789abcdef"},
        {"Authorization": "Bearer"},
        {"Authorization": "Basic dXNlcjpwYXNz"},
    ]:
        response = await private_env.client.get(url, headers=headers)
        assert response.status_code == 401, headers
        assert response.headers["www-authenticate"] == "Bearer"
