"""Invites and collaborators: sending, accepting, rejecting, withdrawing, removing."""

from __future__ import annotations

import pytest

from tests.conftest import Env
from tests.handlers.djinn.conftest import add_collaborator, create_namespace, invite, ns_url


async def test_invite_accept_makes_a_collaborator_of_the_root(env: Env) -> None:
    alice, bob = await env.account(), await env.account()
    root = await create_namespace(env, alice, "team")
    await create_namespace(env, alice, "sub", parent="team")
    await create_namespace(env, alice, "deeper", parent="team/sub")
    sent = await invite(env, alice, "team/sub", bob)
    assert sent["url"] == f"http://testserver/djinn/invites/{sent['id']}"
    assert sent["invitee"]["username"] == bob.user.username
    assert sent["inviter"]["username"] == alice.user.username
    assert sent["namespace"]["path"] == "team/sub"
    assert sent["invitee_id"] == bob.user.id and sent["inviter_id"] == alice.user.id

    # Before accepting, bob sees the invite but not the tree.
    received = await env.client.get("/djinn/invites", headers=bob.auth)
    assert [i["id"] for i in received.json()] == [sent["id"]]
    assert (await env.client.get(ns_url(alice, "team"), headers=bob.auth)).status_code == 404
    pending = await env.client.get(ns_url(alice, "team/sub", "invites"), headers=alice.auth)
    assert [i["id"] for i in pending.json()] == [sent["id"]]
    assert (await env.client.get(ns_url(alice, "team", "invites"), headers=alice.auth)).json() == []

    accepted = await env.client.patch(f"/djinn/invites/{sent['id']}", headers=bob.auth)
    assert accepted.status_code == 200
    body = accepted.json()
    assert body["namespace"]["id"] == root["id"]
    assert body["namespace"]["path"] == "team"
    assert body["invitee"]["username"] == bob.user.username
    assert body["inviter"]["username"] == alice.user.username

    # The whole tree, from the root down.
    for path in ["team", "team/sub", "team/sub/deeper"]:
        assert (await env.client.get(ns_url(alice, path), headers=bob.auth)).status_code == 200
    collaborators = await env.client.get(
        ns_url(alice, "team/sub", "collaborators"), headers=alice.auth
    )
    [collaborator] = collaborators.json()
    assert collaborator["id"] == bob.user.id
    assert collaborator["username"] == bob.user.username
    assert collaborator["email"] == bob.user.email
    assert collaborator["url"] == (
        f"http://testserver/djinn/n/{alice.user.username}/team/sub/-/collaborators/{bob.user.username}"
    )
    # The invite is gone.
    assert (await env.client.get("/djinn/invites", headers=bob.auth)).json() == []
    again = await env.client.patch(f"/djinn/invites/{sent['id']}", headers=bob.auth)
    assert again.status_code == 404


async def test_invite_by_email(env: Env) -> None:
    alice, bob = await env.account(), await env.account()
    await create_namespace(env, alice, "mail")
    response = await env.client.post(
        ns_url(alice, "mail", "invites"), json={"handle": bob.user.email}, headers=alice.auth
    )
    assert response.status_code == 201
    assert response.json()["invitee_id"] == bob.user.id


async def test_invite_errors(env: Env) -> None:
    alice, bob, carol = await env.account(), await env.account(), await env.account()
    await create_namespace(env, alice, "errs")
    await create_namespace(env, alice, "kid", parent="errs")
    await create_namespace(env, alice, "other")
    url = ns_url(alice, "errs", "invites")

    async def send(handle: object, path: str = "errs") -> tuple[int, object]:
        response = await env.client.post(
            ns_url(alice, path, "invites"), json={"handle": handle}, headers=alice.auth
        )
        return response.status_code, response.json()

    assert await send("") == (400, {"handle": ["Username or email field required"]})
    missing = await env.client.post(url, json={}, headers=alice.auth)
    assert missing.json() == {"handle": ["Username or email field required"]}
    assert await send("nobody-at-all") == (400, {"message": "No such user"})
    assert await send(alice.user.username) == (400, {"message": "Cannot invite self"})
    assert (await send(bob.user.username))[0] == 201
    assert await send(bob.user.email) == (400, {"message": "Invite already sent"})
    # Per tree: a child of the same root is the same tree.
    assert await send(bob.user.username, "errs/kid") == (400, {"message": "Invite already sent"})
    # Another tree is another matter.
    assert (await send(bob.user.username, "other"))[0] == 201
    await add_collaborator(env, alice, "other", carol)
    assert await send(carol.user.username, "other") == (400, {"message": "Already a collaborator"})
    assert (await send(carol.user.username, "errs"))[0] == 201


async def test_only_the_owner_invites(env: Env) -> None:
    alice, bob, carol = await env.account(), await env.account(), await env.account()
    await create_namespace(env, alice, "owned", visibility="public")
    await add_collaborator(env, alice, "owned", bob)
    for account in (bob, carol):
        response = await env.client.post(
            ns_url(alice, "owned", "invites"),
            json={"handle": carol.user.username},
            headers=account.auth,
        )
        assert response.status_code == 404
        listed = await env.client.get(ns_url(alice, "owned", "invites"), headers=account.auth)
        assert listed.status_code == 404


async def test_only_the_invitee_accepts(env: Env) -> None:
    alice, bob, carol = await env.account(), await env.account(), await env.account()
    await create_namespace(env, alice, "acc")
    sent = await invite(env, alice, "acc", bob)
    for account in (alice, carol):
        response = await env.client.patch(f"/djinn/invites/{sent['id']}", headers=account.auth)
        assert response.status_code == 404
    assert (await env.client.get(ns_url(alice, "acc"), headers=carol.auth)).status_code == 404
    assert (await env.client.get("/djinn/invites", headers=carol.auth)).json() == []


@pytest.mark.parametrize("who", ["invitee", "inviter"])
async def test_reject_or_withdraw(env: Env, who: str) -> None:
    alice, bob = await env.account(), await env.account()
    await create_namespace(env, alice, "rej")
    sent = await invite(env, alice, "rej", bob)
    actor = bob if who == "invitee" else alice
    response = await env.client.delete(f"/djinn/invites/{sent['id']}", headers=actor.auth)
    assert response.status_code == 204
    assert (await env.client.get("/djinn/invites", headers=bob.auth)).json() == []
    assert (
        await env.client.patch(f"/djinn/invites/{sent['id']}", headers=bob.auth)
    ).status_code == 404
    assert (await env.client.get(ns_url(alice, "rej"), headers=bob.auth)).status_code == 404
    # Rejected: it may be sent again.
    assert (await invite(env, alice, "rej", bob))["invitee_id"] == bob.user.id


async def test_third_parties_cannot_delete_an_invite(env: Env) -> None:
    alice, bob, carol = await env.account(), await env.account(), await env.account()
    await create_namespace(env, alice, "third")
    sent = await invite(env, alice, "third", bob)
    response = await env.client.delete(f"/djinn/invites/{sent['id']}", headers=carol.auth)
    assert response.status_code == 404
    assert [i["id"] for i in (await env.client.get("/djinn/invites", headers=bob.auth)).json()] == [
        sent["id"]
    ]
    assert (await env.client.delete("/djinn/invites/999999", headers=bob.auth)).status_code == 404


async def test_removing_a_collaborator_revokes_access_at_once(env: Env) -> None:
    alice, bob = await env.account(), await env.account()
    await create_namespace(env, alice, "revoke")
    await create_namespace(env, alice, "inner", parent="revoke")
    await add_collaborator(env, alice, "revoke", bob)
    obj = (
        await env.client.post(
            "/djinn/objects",
            params={"name": "secret", "namespace": "revoke/inner"},
            content=b"s",
            headers=alice.auth,
        )
    ).json()
    assert (
        await env.client.get(f"/djinn/objects/{obj['id']}", headers=bob.auth)
    ).status_code == 200
    assert (
        await env.client.get(ns_url(alice, "revoke/inner"), headers=bob.auth)
    ).status_code == 200
    listed = await env.client.get("/djinn/namespaces", headers=bob.auth)
    assert [n["path"] for n in listed.json()] == ["revoke", "revoke/inner"]

    removed = await env.client.delete(
        ns_url(alice, "revoke/inner", f"collaborators/{bob.user.username}"), headers=alice.auth
    )
    assert removed.status_code == 204
    assert (
        await env.client.get(f"/djinn/objects/{obj['id']}", headers=bob.auth)
    ).status_code == 404
    assert (
        await env.client.get(ns_url(alice, "revoke/inner"), headers=bob.auth)
    ).status_code == 404
    assert (await env.client.get("/djinn/namespaces", headers=bob.auth)).json() == []
    assert (await env.client.get("/djinn/objects", headers=bob.auth)).json() == []
    denied = await env.client.post(
        "/djinn/objects",
        params={"name": "late", "namespace": f"revoke@{alice.user.username}"},
        content=b"x",
        headers=bob.auth,
    )
    assert denied.json() == {"namespace": ["Namespace permission denied"]}
    assert (
        await env.client.get(ns_url(alice, "revoke", "collaborators"), headers=alice.auth)
    ).json() == []


async def test_remove_collaborator_by_email_and_unknown(env: Env) -> None:
    alice, bob = await env.account(), await env.account()
    await create_namespace(env, alice, "byemail")
    await add_collaborator(env, alice, "byemail", bob)
    unknown = await env.client.delete(
        ns_url(alice, "byemail", "collaborators/nobody"), headers=alice.auth
    )
    assert unknown.status_code == 400
    assert unknown.json() == {"message": "No such collaborator"}
    # A collaborator may not remove others (nor themselves through this route).
    by_bob = await env.client.delete(
        ns_url(alice, "byemail", f"collaborators/{bob.user.username}"), headers=bob.auth
    )
    assert by_bob.status_code == 404
    removed = await env.client.delete(
        ns_url(alice, "byemail", f"collaborators/{bob.user.email}"), headers=alice.auth
    )
    assert removed.status_code == 204
    again = await env.client.delete(
        ns_url(alice, "byemail", f"collaborators/{bob.user.email}"), headers=alice.auth
    )
    assert again.json() == {"message": "No such collaborator"}


async def test_deleting_the_root_ends_collaboration_and_invites(env: Env) -> None:
    alice, bob, carol = await env.account(), await env.account(), await env.account()
    await create_namespace(env, alice, "ending")
    await add_collaborator(env, alice, "ending", bob)
    sent = await invite(env, alice, "ending", carol)
    assert (await env.client.delete(ns_url(alice, "ending"), headers=alice.auth)).status_code == 204
    assert (await env.client.get("/djinn/invites", headers=carol.auth)).json() == []
    assert (
        await env.client.patch(f"/djinn/invites/{sent['id']}", headers=carol.auth)
    ).status_code == 404
    # A new tree of the same name is not shared.
    await create_namespace(env, alice, "ending")
    assert (await env.client.get(ns_url(alice, "ending"), headers=bob.auth)).status_code == 404
