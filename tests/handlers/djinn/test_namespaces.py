"""Namespaces: creation rules, the tree, visibility, deletion, sub-lists, routing."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from models import Build, Namespace, Object
from tests.conftest import Account, Env
from tests.handlers.djinn.conftest import add_collaborator, create_namespace, ns_url


def links(response: Any) -> dict[str, str]:
    return {
        rel: url for url, rel in re.findall(r'<([^>]+)>; rel="(\w+)"', response.headers["link"])
    }


async def upload(env: Env, account: Account, name: str, namespace: str, body: bytes = b"x") -> Any:
    response = await env.client.post(
        "/djinn/objects",
        params={"name": name, "namespace": namespace},
        content=body,
        headers=account.auth,
    )
    assert response.status_code == 201, response.text
    return response.json()


async def add_build(
    env: Env, owner: Account, namespace_id: int, number: int, **fields: Any
) -> None:
    async with env.runtime.sessions() as session, session.begin():
        session.add(
            Build(
                user_id=owner.user.id,
                namespace_id=namespace_id,
                number=number,
                manifest="driver:\n  type: os\n",
                **fields,
            )
        )


# Create


async def test_create_root(env: Env) -> None:
    alice = await env.account()
    ns = await create_namespace(env, alice, "djinn", description="CI things")
    base = f"http://testserver/djinn/n/{alice.user.username}/djinn"
    assert ns["name"] == ns["path"] == "djinn"
    assert ns["root_id"] == ns["id"]
    assert ns["parent_id"] is None and ns["parent"] is None
    assert ns["level"] == 0
    assert ns["visibility"] == "private"
    assert ns["description"] == "CI things"
    assert ns["user_id"] == alice.user.id
    assert ns["user"] == {
        "email": alice.user.email,
        "username": alice.user.username,
        "created_at": ns["user"]["created_at"],
    }
    assert ns["build"] is None
    assert ns["url"] == base
    for name in ["builds", "namespaces", "objects", "collaborators", "webhooks", "invites"]:
        assert ns[f"{name}_url"] == f"{base}/-/{name}"


async def test_create_child_takes_the_roots_visibility(env: Env) -> None:
    alice = await env.account()
    root = await create_namespace(env, alice, "top", visibility="internal")
    child = await create_namespace(env, alice, "mid", parent="top", visibility="public")
    assert child["visibility"] == "internal"
    assert child["path"] == "top/mid"
    assert child["level"] == 1
    assert child["root_id"] == child["parent_id"] == root["id"]
    assert child["parent"]["path"] == "top"
    assert child["parent"]["url"] == root["url"]
    grandchild = await create_namespace(env, alice, "low", parent="top/mid")
    assert grandchild["root_id"] == root["id"]
    assert grandchild["path"] == "top/mid/low"
    assert grandchild["visibility"] == "internal"


async def test_create_validation_reports_every_field(env: Env) -> None:
    alice = await env.account()
    response = await env.client.post(
        "/djinn/namespaces",
        json={"name": "a_b", "description": "d" * 256, "visibility": "secret"},
        headers=alice.auth,
    )
    assert response.status_code == 400
    assert response.json() == {
        "description": ["Description cannot be longer than 255 characters in length"],
        "name": ["Name can only have letters, and numbers"],
        "visibility": ["Visibility must be one of private, internal, public"],
    }
    for body, expected in [
        ({}, {"name": ["Name field required"]}),
        ({"name": ""}, {"name": ["Name field required"]}),
        ({"name": "ab"}, {"name": ["Name must be between 3 and 32 characters in length"]}),
        ({"name": "x" * 33}, {"name": ["Name must be between 3 and 32 characters in length"]}),
        ({"name": 5}, {"name": ["cannot unmarshal number to string"]}),
    ]:
        response = await env.client.post("/djinn/namespaces", json=body, headers=alice.auth)
        assert response.status_code == 400
        assert response.json() == expected, body


async def test_names_unique_per_owner_and_parent_path(env: Env) -> None:
    alice, bob = await env.account(), await env.account()
    await create_namespace(env, alice, "proj")
    again = await env.client.post("/djinn/namespaces", json={"name": "proj"}, headers=alice.auth)
    assert again.status_code == 400
    assert again.json() == {"name": ["Name already exists"]}
    # Another owner, or another parent: fine.
    await create_namespace(env, bob, "proj")
    await create_namespace(env, alice, "other")
    await create_namespace(env, alice, "proj", parent="other")
    await create_namespace(env, alice, "proj", parent="proj")
    async with env.runtime.sessions() as session:
        paths = (
            await session.scalars(
                select(Namespace.path).where(Namespace.user_id == alice.user.id).order_by("path")
            )
        ).all()
    assert paths == ["other", "other/proj", "proj", "proj/proj"]


async def test_unknown_or_foreign_parent(env: Env) -> None:
    alice, bob = await env.account(), await env.account()
    await create_namespace(env, bob, "bobs")
    for parent in ["nothere", "bobs", f"bobs@{bob.user.username}"]:
        response = await env.client.post(
            "/djinn/namespaces", json={"name": "kid", "parent": parent}, headers=alice.auth
        )
        assert response.status_code == 400
        assert response.json() == {"parent": ["Parent does not exist"]}


async def test_depth_is_at_most_twenty_levels(env: Env) -> None:
    alice = await env.account()
    path = None
    for level in range(20):
        ns = await create_namespace(env, alice, f"lvl{level}", parent=path)
        assert ns["level"] == level
        path = ns["path"]
    response = await env.client.post(
        "/djinn/namespaces", json={"name": "toodeep", "parent": path}, headers=alice.auth
    )
    assert response.status_code == 400
    assert response.json() == {"parent": ["Parent cannot exceed depth of 20"]}
    # Nor through an upload's namespace path.
    deeper = await env.client.post(
        "/djinn/objects",
        params={"name": "x", "namespace": f"{path}/toodeep"},
        content=b"x",
        headers=alice.auth,
    )
    assert deeper.status_code == 400
    assert deeper.json()["namespace"][0].endswith("namespace cannot exceed depth of 20")


# Read


async def test_show_nested_path_with_latest_build(env: Env) -> None:
    alice = await env.account()
    await create_namespace(env, alice, "aaa")
    await create_namespace(env, alice, "bbb", parent="aaa")
    ns = await create_namespace(env, alice, "ccc", parent="aaa/bbb")
    now = datetime.now(UTC)
    await add_build(env, alice, ns["id"], 1, created_at=now - timedelta(hours=1), status="failed")
    await add_build(env, alice, ns["id"], 2, created_at=now, status="passed")
    response = await env.client.get(ns_url(alice, "aaa/bbb/ccc"), headers=alice.auth)
    assert response.status_code == 200
    shown = response.json()
    assert shown["id"] == ns["id"]
    assert shown["parent"]["path"] == "aaa/bbb"
    assert shown["build"]["number"] == 2
    assert shown["build"]["status"] == "passed"
    assert shown["build"]["namespace"] is None
    assert shown["build"]["url"] == f"http://testserver/djinn/b/{alice.user.username}/2"
    missing = await env.client.get(ns_url(alice, "aaa/bbb/nope"), headers=alice.auth)
    assert missing.status_code == 404
    assert missing.json() == {"message": "Not Found"}


async def test_list_owned_and_collaborated_by_path(env: Env) -> None:
    alice, bob, carol = await env.account(), await env.account(), await env.account()
    await create_namespace(env, alice, "zeta")
    await create_namespace(env, alice, "alpha")
    await create_namespace(env, alice, "beta", parent="alpha")
    await create_namespace(env, bob, "bobroot")
    await create_namespace(env, bob, "kid", parent="bobroot")
    await create_namespace(env, bob, "solo")
    await create_namespace(env, carol, "public", visibility="public")
    await add_collaborator(env, bob, "bobroot", alice)
    response = await env.client.get("/djinn/namespaces", headers=alice.auth)
    assert response.status_code == 200
    assert [(n["path"], n["user"]["username"]) for n in response.json()] == [
        ("alpha", alice.user.username),
        ("alpha/beta", alice.user.username),
        ("bobroot", bob.user.username),
        ("bobroot/kid", bob.user.username),
        ("zeta", alice.user.username),
    ]
    searched = await env.client.get("/djinn/namespaces?search=BO", headers=alice.auth)
    assert [n["path"] for n in searched.json()] == ["bobroot", "bobroot/kid"]
    assert links(searched)["next"] == "http://testserver/djinn/namespaces?search=BO&page=1"


async def test_list_pages(env: Env) -> None:
    alice = await env.account()
    for i in range(27):
        await create_namespace(env, alice, f"ns{i:02d}")
    first = await env.client.get("/djinn/namespaces", headers=alice.auth)
    assert len(first.json()) == 25
    assert links(first)["next"].endswith("page=2")
    second = await env.client.get("/djinn/namespaces?page=2", headers=alice.auth)
    assert [n["path"] for n in second.json()] == ["ns25", "ns26"]
    past = await env.client.get("/djinn/namespaces?page=9", headers=alice.auth)
    assert past.json() == second.json()


# Update


async def test_update_keeps_omitted_fields(env: Env) -> None:
    alice = await env.account()
    await create_namespace(env, alice, "keep", visibility="public", description="first")
    response = await env.client.patch(
        ns_url(alice, "keep"), json={"description": "second", "name": "ignored"}, headers=alice.auth
    )
    assert response.status_code == 200
    assert response.json()["visibility"] == "public"
    assert response.json()["description"] == "second"
    assert response.json()["name"] == "keep"
    cleared = await env.client.patch(
        ns_url(alice, "keep"), json={"description": ""}, headers=alice.auth
    )
    assert cleared.json()["description"] == ""
    assert cleared.json()["visibility"] == "public"
    untouched = await env.client.patch(ns_url(alice, "keep"), json={}, headers=alice.auth)
    assert untouched.json()["visibility"] == "public"


async def test_root_visibility_cascades_to_the_tree(env: Env) -> None:
    alice, bob = await env.account(), await env.account()
    await create_namespace(env, alice, "tree")
    await create_namespace(env, alice, "branch", parent="tree")
    await create_namespace(env, alice, "leaf", parent="tree/branch")
    await create_namespace(env, alice, "elsewhere")
    assert (
        await env.client.get(ns_url(alice, "tree/branch/leaf"), headers=bob.auth)
    ).status_code == 404
    response = await env.client.patch(
        ns_url(alice, "tree"), json={"visibility": "public"}, headers=alice.auth
    )
    assert response.json()["visibility"] == "public"
    for path in ["tree", "tree/branch", "tree/branch/leaf"]:
        shown = await env.client.get(ns_url(alice, path))
        assert shown.status_code == 200, path
        assert shown.json()["visibility"] == "public"
    assert (await env.client.get(ns_url(alice, "elsewhere"))).status_code == 404
    # A child's visibility cannot diverge from its root's.
    child = await env.client.patch(
        ns_url(alice, "tree/branch"), json={"visibility": "private"}, headers=alice.auth
    )
    assert child.status_code == 200
    assert child.json()["visibility"] == "public"
    # Back to private: the whole tree disappears for others at once.
    await env.client.patch(
        ns_url(alice, "tree"), json={"visibility": "private"}, headers=alice.auth
    )
    assert (
        await env.client.get(ns_url(alice, "tree/branch/leaf"), headers=bob.auth)
    ).status_code == 404


# Delete


async def test_delete_removes_the_subtree_and_keeps_resources(env: Env) -> None:
    alice = await env.account()
    await create_namespace(env, alice, "gone")
    kid = await create_namespace(env, alice, "kid", parent="gone")
    await create_namespace(env, alice, "grandkid", parent="gone/kid")
    await create_namespace(env, alice, "stays")
    obj = await upload(env, alice, "deep.bin", "gone/kid/grandkid")
    await add_build(env, alice, kid["id"], 1)
    response = await env.client.delete(ns_url(alice, "gone"), headers=alice.auth)
    assert response.status_code == 204
    assert response.content == b""
    remaining = await env.client.get("/djinn/namespaces", headers=alice.auth)
    assert [n["path"] for n in remaining.json()] == ["stays"]
    for path in ["gone", "gone/kid", "gone/kid/grandkid"]:
        assert (await env.client.get(ns_url(alice, path), headers=alice.auth)).status_code == 404
    kept = await env.client.get(f"/djinn/objects/{obj['id']}", headers=alice.auth)
    assert kept.status_code == 200
    assert kept.json()["namespace_id"] is None
    assert kept.json()["user_id"] == alice.user.id
    async with env.runtime.sessions() as session:
        build = (await session.scalars(select(Build).where(Build.user_id == alice.user.id))).one()
    assert build.namespace_id is None


async def test_delete_child_keeps_the_parent(env: Env) -> None:
    alice = await env.account()
    await create_namespace(env, alice, "parent")
    await create_namespace(env, alice, "child", parent="parent")
    await create_namespace(env, alice, "sibling", parent="parent")
    assert (
        await env.client.delete(ns_url(alice, "parent/child"), headers=alice.auth)
    ).status_code == 204
    listed = await env.client.get(ns_url(alice, "parent", "namespaces"), headers=alice.auth)
    assert [n["path"] for n in listed.json()] == ["parent/sibling"]


async def test_delete_refused_when_names_would_clash(env: Env) -> None:
    alice = await env.account()
    await upload(env, alice, "data", "")  # a personal object named data
    await create_namespace(env, alice, "clash")
    await upload(env, alice, "data", "clash")
    await upload(env, alice, "twice", "clash/one")
    await upload(env, alice, "twice", "clash/two")
    response = await env.client.delete(ns_url(alice, "clash"), headers=alice.auth)
    assert response.status_code == 400
    message = response.json()["message"]
    assert message.endswith("objects data, twice"), message
    # Nothing was deleted.
    assert (await env.client.get(ns_url(alice, "clash/two"), headers=alice.auth)).status_code == 200
    async with env.runtime.sessions() as session:
        placed = (
            await session.scalars(
                select(Object.namespace_id).where(Object.user_id == alice.user.id)
            )
        ).all()
    assert sorted(n is None for n in placed) == [False, False, False, True]


# Sub-lists


async def test_sub_lists(env: Env) -> None:
    alice = await env.account()
    ns = await create_namespace(env, alice, "subs", visibility="public")
    await create_namespace(env, alice, "kidb", parent="subs")
    await create_namespace(env, alice, "kida", parent="subs")
    await create_namespace(env, alice, "deep", parent="subs/kida")
    await upload(env, alice, "b.txt", "subs")
    await upload(env, alice, "a.txt", "subs")
    await upload(env, alice, "other.txt", "subs/kida")
    await add_build(env, alice, ns["id"], 7)
    children = await env.client.get(ns_url(alice, "subs", "namespaces"))
    assert [n["path"] for n in children.json()] == ["subs/kida", "subs/kidb"]
    objects = await env.client.get(ns_url(alice, "subs", "objects"))
    assert [o["name"] for o in objects.json()] == ["a.txt", "b.txt"]
    # Anonymous readers see no emails.
    assert objects.json()[0]["user"]["email"] is None
    searched = await env.client.get(ns_url(alice, "subs", "objects") + "?search=B.T")
    assert [o["name"] for o in searched.json()] == ["b.txt"]
    builds = await env.client.get(ns_url(alice, "subs", "builds"))
    assert [b["number"] for b in builds.json()] == [7]
    assert builds.json()[0]["namespace"]["path"] == "subs"
    for empty in ["images", "variables", "keys"]:
        response = await env.client.get(ns_url(alice, "subs", empty))
        assert response.status_code == 200
        assert response.json() == []
        assert links(response) == {
            "prev": f"http://testserver{ns_url(alice, 'subs', empty)}?page=1",
            "next": f"http://testserver{ns_url(alice, 'subs', empty)}?page=1",
        }
    nested = await env.client.get(ns_url(alice, "subs/kida", "objects"))
    assert [o["name"] for o in nested.json()] == ["other.txt"]


# The badge


@pytest.mark.parametrize(
    ("visibility", "status", "shown"),
    [
        ("public", "passed", "passed"),
        ("public", "passed_with_failures", "passed with failures"),
        ("public", "timed_out", "timed out"),
        ("public", None, "unknown"),
        ("internal", "passed", "unknown"),
        ("private", "failed", "unknown"),
    ],
)
async def test_badge(env: Env, visibility: str, status: str | None, shown: str) -> None:
    alice = await env.account()
    ns = await create_namespace(env, alice, "badged", visibility=visibility)
    if status:
        await add_build(env, alice, ns["id"], 1, status=status)
    response = await env.client.get(ns_url(alice, "badged", "badge.svg"), headers=alice.auth)
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/svg+xml"
    assert response.headers["cache-control"] == "no-cache"
    assert f"build: {shown}</title>" in response.text
    assert response.text.startswith("<svg ")


async def test_badge_of_a_missing_namespace(env: Env) -> None:
    response = await env.client.get("/djinn/n/nobody/nothing/-/badge.svg")
    assert response.status_code == 200
    assert "build: unknown" in response.text


# Routing: {path} holds slashes, and /-/ starts a sub-resource.


async def test_sub_resources_route_on_deep_paths(env: Env) -> None:
    alice = await env.account()
    # Namespaces named like sub-resources do not confuse the router.
    await create_namespace(env, alice, "objects")
    await create_namespace(env, alice, "webhooks", parent="objects")
    await create_namespace(env, alice, "invites", parent="objects/webhooks")
    await upload(env, alice, "here", "objects/webhooks/invites")
    shown = await env.client.get(ns_url(alice, "objects/webhooks/invites"), headers=alice.auth)
    assert shown.json()["path"] == "objects/webhooks/invites"
    listed = await env.client.get(
        ns_url(alice, "objects/webhooks/invites", "objects"), headers=alice.auth
    )
    assert [o["name"] for o in listed.json()] == ["here"]
    kids = await env.client.get(ns_url(alice, "objects", "namespaces"), headers=alice.auth)
    assert [n["path"] for n in kids.json()] == ["objects/webhooks"]
    for suffix in ["collaborators", "invites", "webhooks"]:
        response = await env.client.get(
            ns_url(alice, "objects/webhooks", suffix), headers=alice.auth
        )
        assert response.status_code == 200
        assert response.json() == []
    assert (
        await env.client.get(ns_url(alice, "objects/webhooks", "webhooks/1"), headers=alice.auth)
    ).status_code == 404


async def test_wrong_methods_on_sub_resources(env: Env) -> None:
    alice = await env.account()
    await create_namespace(env, alice, "meth")
    for method in ["PATCH", "DELETE", "PUT", "POST"]:
        response = await env.client.request(
            method, ns_url(alice, "meth", "objects"), headers=alice.auth, json={}
        )
        assert response.status_code == 405, method
        assert response.json() == {"message": "Method Not Allowed"}
        assert response.headers["allow"] == "GET, HEAD"
    put = await env.client.put(ns_url(alice, "meth", "webhooks"), headers=alice.auth)
    assert put.status_code == 405
    assert put.headers["allow"] == "GET, POST, HEAD"
    # No such sub-resource: nothing there.
    nothing = await env.client.delete(ns_url(alice, "meth", "nothing"), headers=alice.auth)
    assert nothing.status_code == 404
    # The namespace itself is still there.
    assert (await env.client.get(ns_url(alice, "meth"), headers=alice.auth)).status_code == 200


async def test_user(env: Env) -> None:
    alice = await env.account("object:read")
    response = await env.client.get("/djinn/user", headers=alice.auth)
    assert response.status_code == 200
    assert response.json() == {
        "email": alice.user.email,
        "username": alice.user.username,
        "created_at": response.json()["created_at"],
    }
    assert (await env.client.get("/djinn/user")).status_code == 401
    assert (await env.client.post("/djinn/user", headers=alice.auth)).status_code == 405


async def test_text_with_nul_and_empty_integers_are_field_errors(env: Env) -> None:
    """PostgreSQL cannot store or compare NUL characters: they are refused up front."""
    alice = await env.account()
    await create_namespace(env, alice, "nul")
    cases = [
        (
            "GET",
            "/djinn/namespaces?search=a%00b",
            None,
            {"search": ["Search cannot contain NUL characters"]},
        ),
        (
            "GET",
            "/djinn/objects?search=%00",
            None,
            {"search": ["Search cannot contain NUL characters"]},
        ),
        ("GET", ns_url(alice, "nu%00l"), None, {"path": ["Path cannot contain NUL characters"]}),
        (
            "POST",
            "/djinn/namespaces",
            {"name": "okname", "description": "a\u0000b"},
            {"description": ["Description cannot contain NUL characters"]},
        ),
        ("GET", "/djinn/namespaces?page=", None, {"page": ["Page must be an integer"]}),
        (
            "GET",
            ns_url(alice, "nul", "objects") + "?page=",
            None,
            {"page": ["Page must be an integer"]},
        ),
    ]
    for method, url, body, errors in cases:
        response = await env.client.request(method, url, json=body, headers=alice.auth)
        assert response.status_code == 400, (url, response.text)
        assert response.json() == errors, url
