"""Every OpenAPI link the specs declare leads somewhere real.

Schemathesis' stateful phase follows the links at random (tests/contract); this
walks each one once, deterministically: it makes the resource with the link's
source operation, evaluates the link's ``$response.body#/...`` and
``$request.path.*`` expressions against that exchange, calls the target
operation with them (and the link's ``requestBody``), and expects an answer from
the resource itself: neither a 404 nor a 5xx. Deletes run last.
"""

from __future__ import annotations

import dataclasses
import re
import secrets
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from genie import SPEC_DIR
from genie.app import load_spec
from tests.conftest import Account, Env, _make_env
from tests.contract.test_schemathesis import new_private_key
from tests.handlers.djaodjin.conftest import DjaoDjin

QCOW2 = b"QFI\xfb" + bytes(60)
#: Bodies for target operations that need one to reach their resource.
TARGET_BODIES: dict[str, Any] = {
    "webhooks.store": {"payload_url": "http://127.0.0.1:9/hook"},
    "webhooks.update": {"active": False},
    "invites.store": None,  # filled with the invitee's name
    "namespaces.update": {"description": "linked"},
    "keys.update": {"config": "Host *"},
    "cron.update": {"schedule": "weekly"},
    "containers.redeploy": {},
    "containers.update": {},
    "domains.update": {},
    "domains.test_email": {},
    "build_tags.store": ["linked"],
}


@pytest.fixture(scope="module")
async def env(pg_env: Env) -> AsyncIterator[Env]:
    """The app, with outbound URLs allowed to 127.0.0.1 (webhooks, image downloads)."""
    settings = dataclasses.replace(pg_env.runtime.settings, allow_private_urls=True)
    async for made in _make_env("postgres-links", settings):
        yield made


def operations(spec: dict[str, Any], base: str) -> dict[str, tuple[str, str]]:
    """operationId -> (method, path template)."""
    return {
        op["operationId"]: (method.upper(), base + path)
        for path, item in spec["paths"].items()
        for method, op in item.items()
        if isinstance(op, dict) and "operationId" in op
    }


def links_of(spec: dict[str, Any], operation_id: str) -> dict[str, dict[str, Any]]:
    """The links of an operation's responses, by component name (the specs declare
    every link once, under ``components.links``)."""
    for item in spec["paths"].values():
        for op in item.values():
            if isinstance(op, dict) and op.get("operationId") == operation_id:
                found = {}
                for response in op["responses"].values():
                    for link in (response.get("links") or {}).values():
                        name = link["$ref"].rsplit("/", 1)[1]
                        found[name] = spec["components"]["links"][name]
                return found
    raise AssertionError(operation_id)


def evaluate(expression: Any, body: Any, path_params: dict[str, str]) -> Any:
    if isinstance(expression, dict):
        return {k: evaluate(v, body, path_params) for k, v in expression.items()}
    if not isinstance(expression, str):
        return expression
    if expression.startswith("$request.path."):
        return path_params[expression.removeprefix("$request.path.")]
    if expression.startswith("$response.body#"):
        value = body
        for part in expression.split("#", 1)[1].strip("/").split("/"):
            # A JSON pointer: an array's items by index.
            value = value[int(part)] if isinstance(value, list) else value[part]
        return value
    return expression


@dataclasses.dataclass
class Source:
    """A create that was made, with what its links need."""

    operation_id: str
    response: httpx.Response
    path_params: dict[str, str]
    headers: dict[str, str]
    #: Follow only these links (accepting an invite and rejecting it exclude each other).
    only: frozenset[str] | None = None


def _target(
    ops: dict[str, tuple[str, str]], link: dict[str, Any], source: Source, bodies: dict[str, Any]
) -> tuple[str, str, Any]:
    """The method, path and body of a link's call, from its source's exchange."""
    made, path_params = source.response.json(), source.path_params
    method, template = ops[link["operationId"]]
    params = {k: str(evaluate(v, made, path_params)) for k, v in link["parameters"].items()}
    path = re.sub(r"\{(\w+)\}", lambda m: params[m[1]], template)
    body = bodies.get(link["operationId"], TARGET_BODIES.get(link["operationId"]))
    if "requestBody" in link:
        body = {**(body or {}), **evaluate(link["requestBody"], made, path_params)}
    return method, path, body if method in ("POST", "PUT", "PATCH") else None


async def follow_all(
    client: httpx.AsyncClient,
    spec: dict[str, Any],
    ops: dict[str, tuple[str, str]],
    sources: list[Source],
    bodies: dict[str, Any],
) -> set[str]:
    """Call every link's target from every source, deletes last; the links followed."""
    calls = []
    for made, source in enumerate(sources):
        assert source.response.status_code in (200, 201), source.response.text
        for name, link in links_of(spec, source.operation_id).items():
            if source.only is not None and name not in source.only:
                continue
            # Deletes last, what was made last first (a namespace outlives its webhooks).
            delete = ops[link["operationId"]][0] == "DELETE"
            calls.append(((delete, -made if delete else 0), name, link, source))
    followed = set()
    for _order, name, link, source in sorted(calls, key=lambda call: call[0]):
        method, path, body = _target(ops, link, source, bodies)
        response = await client.request(method, path, json=body, headers=source.headers)
        assert response.status_code != 404 and response.status_code < 500, (
            f"link {name} -> {method} {path}: {response.status_code} {response.text}"
        )
        followed.add(name)
    return followed


async def test_every_djinn_link_reaches_its_resource(
    env: Env, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GENIE_DRIVERS", "os")  # builds may use it (none runs here)
    spec, alice, bob = load_spec(SPEC_DIR / "djinn.yaml"), await env.account(), await env.account()
    client, user, auth = env.client, alice.user.username, alice.auth
    name = f"links{secrets.token_hex(3)}"
    made = await client.post("/djinn/namespaces", json={"name": name}, headers=auth)
    where = {"username": user, "path": name}
    hook = {"payload_url": "http://127.0.0.1:9/made"}
    hooked = await client.post(f"/djinn/n/{user}/{name}/-/webhooks", json=hook, headers=auth)
    carol = await env.account()
    invite = {"handle": bob.user.username}
    invites = f"/djinn/n/{user}/{name}/-/invites"
    invited = await client.post(invites, json=invite, headers=auth)
    declined = await client.post(invites, json={"handle": carol.user.username}, headers=auth)
    sources = [
        Source("namespaces.store", made, {}, auth),
        Source("webhooks.store", hooked, where, auth),
        # An invite is accepted, or rejected, by its invitee: once.
        Source("invites.store", invited, where, bob.auth, frozenset({"InviteAccept"})),
        Source("invites.store", declined, where, carol.auth, frozenset({"InviteDestroy"})),
        *await _personal_resources(client, alice),
    ]
    ops = operations(spec, "/djinn")
    followed = await follow_all(client, spec, ops, sources, {"invites.store": invite})
    assert followed == set(spec["components"]["links"])


async def _personal_resources(client: httpx.AsyncClient, alice: Account) -> list[Source]:
    auth, raw = alice.auth, {**alice.auth, "Content-Type": "application/x-qemu-disk"}
    manifest = "driver:\n  type: os\n"
    made = {
        "variables.store": await client.post(
            "/djinn/variables", json={"key": "LINKED", "value": "v"}, headers=auth
        ),
        "keys.store": await client.post(
            "/djinn/keys", json={"name": "linked", "key": new_private_key()}, headers=auth
        ),
        "cron.store": await client.post(
            "/djinn/cron", json={"name": "linked", "manifest": manifest}, headers=auth
        ),
        "images.store": await client.post("/djinn/images?name=linked", content=QCOW2, headers=raw),
        "objects.store": await client.post(
            "/djinn/objects?name=linked", content=b"d", headers=auth
        ),
        "builds.store": await client.post(
            "/djinn/builds", json={"manifest": manifest}, headers=auth
        ),
    }
    build = made["builds.store"].json()
    where = {"username": alice.user.username, "number": str(build["number"])}
    tagged = await client.post(
        "/djinn/b/{username}/{number}/tags".format(**where), json=["linked/tag"], headers=auth
    )
    sources = [Source(op, response, {}, auth) for op, response in made.items()]
    return [*sources, Source("build_tags.store", tagged, where, auth)]


async def test_every_djaodjin_link_reaches_its_resource(env: Env) -> None:
    spec, dj = load_spec(SPEC_DIR / "djaodjin.yaml"), DjaoDjin(env)
    client, alice = env.client, await dj.member()
    org = await dj.organization(alice)
    apps, auth = f"/api/containers/{org}/apps/", alice.auth

    async def container(slug: str) -> httpx.Response:
        return await client.post(apps, json={"slug": slug}, headers=auth)

    sources = [Source("containers.store", await container("linked"), {"organization": org}, auth)]
    await container("again")
    redeployed = await client.post(f"{apps}again/", json={}, headers=auth)
    sources.append(Source("containers.redeploy", redeployed, {"organization": org}, auth))
    await container("hosted")
    domain = await client.post(f"/api/domains/{org}/", json={"slug": "hosted"}, headers=auth)
    sources.append(Source("domains.store", domain, {"organization": org}, auth))
    await container("billed")
    billed = await client.post(
        "/api/domains/", json={"slug": "billed", "billing": org}, headers=auth
    )
    sources.append(Source("domains.store_billing", billed, {}, auth))
    followed = await follow_all(client, spec, operations(spec, "/api"), sources, {})
    assert followed == set(spec["components"]["links"])
