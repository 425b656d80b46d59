"""Webhooks: the API, the SSRF guard, and real deliveries to a receiver on 127.0.0.1.

Deliveries run through the job queue; tests run it with ``jobs.run_due``. Every
test's receiver is its own, and assertions look only at its own webhooks'
deliveries (other tests share the queue).
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from genie import jobs
from models import Job, Webhook
from models.base import utcnow
from tests.conftest import Account, Env
from tests.handlers.djinn.conftest import (
    DELIVERIES,
    Receiver,
    add_collaborator,
    create_namespace,
    invite,
    ns_url,
)


async def create_hook(
    env: Env, account: Account, owner: Account, path: str, **body: Any
) -> dict[str, Any]:
    response = await env.client.post(
        ns_url(owner, path, "webhooks"), json=body, headers=account.auth
    )
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


async def upload(env: Env, account: Account, name: str, namespace: str) -> dict[str, Any]:
    response = await env.client.post(
        "/djinn/objects",
        params={"name": name, "namespace": namespace},
        content=b"payload",
        headers=account.auth,
    )
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def signed(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


# The API


async def test_create_defaults_and_secret_never_returned(private_env: Env) -> None:
    env = private_env
    alice = await env.account()
    ns = await create_namespace(env, alice, "hooked")
    hook = await create_hook(
        env,
        alice,
        alice,
        "hooked",
        payload_url="HTTPS://Hooks.Example.COM/Path?Q=1",
        secret="s3cr3t",
    )
    assert hook["payload_url"] == "https://hooks.example.com/Path?Q=1"
    assert hook["ssl"] is True
    assert hook["active"] is True
    assert hook["events"] == []
    assert hook["has_secret"] is True
    assert hook["last_response"] is None
    assert hook["namespace_id"] == ns["id"]
    assert hook["user_id"] == hook["author_id"] == alice.user.id
    assert hook["namespace"]["path"] == "hooked"
    assert (
        hook["url"]
        == f"http://testserver/djinn/n/{alice.user.username}/hooked/-/webhooks/{hook['id']}"
    )
    assert "secret" not in hook
    plain = await create_hook(
        env,
        alice,
        alice,
        "hooked",
        payload_url="http://127.0.0.1:9/x",
        events=["objects", "namespaces"],
    )
    assert plain["ssl"] is False
    assert plain["has_secret"] is False
    assert plain["events"] == ["namespaces", "objects"]
    listed = await env.client.get(ns_url(alice, "hooked", "webhooks"), headers=alice.auth)
    assert [h["id"] for h in listed.json()] == [hook["id"], plain["id"]]
    shown = await env.client.get(hook["url"].removeprefix("http://testserver"), headers=alice.auth)
    assert shown.json() == hook
    for text in [listed.text, shown.text]:
        assert "s3cr3t" not in text
    # Stored encrypted.
    async with env.runtime.sessions() as session:
        stored = await session.scalar(select(Webhook.secret).where(Webhook.id == hook["id"]))
    assert stored is not None and b"s3cr3t" not in stored


async def test_collaborator_creates_webhooks_for_the_owner(private_env: Env) -> None:
    env = private_env
    alice, bob = await env.account(), await env.account()
    await create_namespace(env, alice, "collab")
    await add_collaborator(env, alice, "collab", bob)
    hook = await create_hook(env, bob, alice, "collab", payload_url="http://127.0.0.1:9/bob")
    assert hook["user_id"] == alice.user.id
    assert hook["author_id"] == bob.user.id


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({}, {"payload_url": ["Payload URL field required"]}),
        ({"payload_url": ""}, {"payload_url": ["Payload URL field required"]}),
        (
            {"payload_url": "ftp://example.com/x"},
            {"payload_url": ["Payload URL missing http or https scheme"]},
        ),
        (
            {"payload_url": "example.com/x"},
            {"payload_url": ["Payload URL missing http or https scheme"]},
        ),
        ({"payload_url": "http:///path"}, {"payload_url": ["Payload URL missing host"]}),
        (
            {"payload_url": "http://127.0.0.1:9/x", "ssl": True},
            {"payload_url": ["Payload URL cannot use SSL for plain http URL"]},
        ),
        (
            {"payload_url": "http://127.0.0.1:9/x", "events": ["objects", "nonsense"]},
            {
                "events": [
                    "Events must be one of "
                    + ", ".join(
                        [
                            "build.submitted",
                            "build.started",
                            "build.finished",
                            "build.tagged",
                            "invite.sent",
                            "invite.accepted",
                            "invite.rejected",
                            "namespaces",
                            "cron",
                            "images",
                            "objects",
                            "variables",
                            "ssh_keys",
                            "build.pinned",
                            "build.unpinned",
                        ]
                    )
                ]
            },
        ),
        (
            {"payload_url": 7, "active": "yes", "secret": "x" * 256},
            {
                "active": ["cannot unmarshal string to boolean"],
                "payload_url": ["cannot unmarshal number to string"],
                "secret": ["Secret cannot be longer than 255 characters in length"],
            },
        ),
    ],
)
async def test_create_validation(
    private_env: Env, body: dict[str, Any], errors: dict[str, Any]
) -> None:
    env = private_env
    alice = await env.account()
    await create_namespace(env, alice, "valid")
    response = await env.client.post(
        ns_url(alice, "valid", "webhooks"), json=body, headers=alice.auth
    )
    assert response.status_code == 400
    assert response.json() == errors


async def test_payload_url_unique_per_namespace(private_env: Env) -> None:
    env = private_env
    alice = await env.account()
    await create_namespace(env, alice, "first")
    await create_namespace(env, alice, "second")
    await create_hook(env, alice, alice, "first", payload_url="http://127.0.0.1:9/same")
    taken = await env.client.post(
        ns_url(alice, "first", "webhooks"),
        json={"payload_url": "HTTP://127.0.0.1:9/same"},
        headers=alice.auth,
    )
    assert taken.status_code == 400
    assert taken.json() == {"payload_url": ["Payload URL already exists"]}
    await create_hook(env, alice, alice, "second", payload_url="http://127.0.0.1:9/same")


async def test_private_addresses_are_refused_without_the_setting(pg: Env) -> None:
    alice = await pg.account()
    await create_namespace(pg, alice, "guarded")
    for url in [
        "http://127.0.0.1:8000/hook",
        "http://localhost/hook",
        "http://10.0.0.1/",
        "http://[::1]/",
        "http://169.254.169.254/latest",
    ]:
        response = await pg.client.post(
            ns_url(alice, "guarded", "webhooks"), json={"payload_url": url}, headers=alice.auth
        )
        assert response.status_code == 400, url
        [message] = response.json()["payload_url"]
        assert message.startswith("Payload URL is refused: "), message
    assert (
        await pg.client.get(ns_url(alice, "guarded", "webhooks"), headers=alice.auth)
    ).json() == []


async def test_update_keeps_omitted_fields(private_env: Env) -> None:
    env = private_env
    alice = await env.account()
    await create_namespace(env, alice, "patchy")
    hook = await create_hook(
        env,
        alice,
        alice,
        "patchy",
        payload_url="http://127.0.0.1:9/a",
        secret="one",
        events=["objects"],
        active=False,
    )
    url = hook["url"].removeprefix("http://testserver")
    same = await env.client.patch(url, json={}, headers=alice.auth)
    assert same.status_code == 200
    assert {
        k: same.json()[k] for k in ["payload_url", "ssl", "events", "active", "has_secret"]
    } == {
        "payload_url": "http://127.0.0.1:9/a",
        "ssl": False,
        "events": ["objects"],
        "active": False,
        "has_secret": True,
    }
    changed = await env.client.patch(url, json={"active": True, "events": []}, headers=alice.auth)
    assert changed.json()["active"] is True
    assert changed.json()["events"] == []
    assert changed.json()["has_secret"] is True
    both = await env.client.patch(
        url, json={"secret": "two", "remove_secret": True}, headers=alice.auth
    )
    assert both.status_code == 400
    assert both.json() == {"secret": ["Secret cannot be set and removed at once"]}
    removed = await env.client.patch(url, json={"remove_secret": True}, headers=alice.auth)
    assert removed.json()["has_secret"] is False
    moved = await env.client.patch(
        url, json={"payload_url": "http://127.0.0.1:9/b"}, headers=alice.auth
    )
    assert moved.json()["payload_url"] == "http://127.0.0.1:9/b"
    bad = await env.client.patch(url, json={"payload_url": "gopher://x"}, headers=alice.auth)
    assert bad.json() == {"payload_url": ["Payload URL missing http or https scheme"]}


async def test_delete(private_env: Env) -> None:
    env = private_env
    alice = await env.account()
    await create_namespace(env, alice, "deleting")
    await create_namespace(env, alice, "neighbour")
    hook = await create_hook(env, alice, alice, "deleting", payload_url="http://127.0.0.1:9/d")
    # Addressed through another namespace: not found.
    wrong = await env.client.delete(
        ns_url(alice, "neighbour", f"webhooks/{hook['id']}"), headers=alice.auth
    )
    assert wrong.status_code == 404
    url = ns_url(alice, "deleting", f"webhooks/{hook['id']}")
    assert (await env.client.delete(url, headers=alice.auth)).status_code == 204
    assert (await env.client.get(url, headers=alice.auth)).status_code == 404
    assert (await env.client.delete(url, headers=alice.auth)).status_code == 404


async def test_never_readable_by_non_members_even_when_public(private_env: Env) -> None:
    env = private_env
    alice, carol = await env.account(), await env.account()
    await create_namespace(env, alice, "open", visibility="public")
    hook = await create_hook(env, alice, alice, "open", payload_url="http://127.0.0.1:9/o")
    url = ns_url(alice, "open", f"webhooks/{hook['id']}")
    assert (await env.client.get(url)).status_code == 401
    assert (await env.client.get(url, headers=carol.auth)).status_code == 404
    assert (
        await env.client.get(ns_url(alice, "open", "webhooks"), headers=carol.auth)
    ).status_code == 404
    created = await env.client.post(
        ns_url(alice, "open", "webhooks"),
        json={"payload_url": "http://127.0.0.1:9/c"},
        headers=carol.auth,
    )
    assert created.status_code == 404


# Deliveries


async def deliver(env: Env) -> None:
    await jobs.run_due(env.runtime, kinds=DELIVERIES)


async def test_delivery_is_signed_and_recorded(private_env: Env, receiver: Receiver) -> None:
    env = private_env
    alice = await env.account()
    await create_namespace(env, alice, "signed")
    hook = await create_hook(
        env, alice, alice, "signed", payload_url=f"{receiver.url}/hook", secret="sesame"
    )
    obj = await upload(env, alice, "thing.bin", "signed")
    # Off the request path: nothing has been sent yet.
    assert receiver.for_hook(hook["id"]) == []
    await deliver(env)
    [delivery] = receiver.for_hook(hook["id"])
    assert delivery.path == "/hook"
    assert delivery.headers["user-agent"] == "genie-hook"
    assert delivery.headers["x-djinn-ci-event"] == "objects"
    assert delivery.headers["x-djinn-ci-hook-id"] == str(hook["id"])
    assert delivery.headers["content-type"] == "application/json"
    assert delivery.headers["x-djinn-ci-signature"] == signed("sesame", delivery.body)
    assert delivery.headers["x-djinn-ci-signature"] != signed("wrong", delivery.body)
    payload = delivery.json()
    assert payload["action"] == "created"
    assert payload["object"]["id"] == obj["id"]
    assert payload["object"]["namespace"]["path"] == "signed"

    shown = await env.client.get(hook["url"].removeprefix("http://testserver"), headers=alice.auth)
    last = shown.json()["last_response"]
    assert last["code"] == 200
    assert last["error"] is None
    assert last["duration"] > 0
    assert last["created_at"]

    # Deleting the object fires too; an unsigned hook gets no signature.
    await env.client.patch(
        hook["url"].removeprefix("http://testserver"),
        json={"remove_secret": True},
        headers=alice.auth,
    )
    assert (
        await env.client.delete(f"/djinn/objects/{obj['id']}", headers=alice.auth)
    ).status_code == 204
    await deliver(env)
    deleted = receiver.for_hook(hook["id"])[-1]
    assert deleted.json()["action"] == "deleted"
    assert "x-djinn-ci-signature" not in deleted.headers


async def test_event_filters_activity_and_ancestors(private_env: Env, receiver: Receiver) -> None:
    env = private_env
    alice, bob = await env.account(), await env.account()
    await create_namespace(env, alice, "anc")
    await create_namespace(env, alice, "mid", parent="anc")
    on_root = await create_hook(
        env, alice, alice, "anc", payload_url=f"{receiver.url}/root", events=["objects"]
    )
    only_ns = await create_hook(
        env, alice, alice, "anc", payload_url=f"{receiver.url}/ns", events=["namespaces"]
    )
    off = await create_hook(
        env, alice, alice, "anc", payload_url=f"{receiver.url}/off", active=False
    )
    on_mid = await create_hook(env, alice, alice, "anc/mid", payload_url=f"{receiver.url}/mid")
    await upload(env, alice, "deep.bin", "anc/mid")
    await create_namespace(env, alice, "leaf", parent="anc/mid")
    await env.client.patch(
        ns_url(alice, "anc"), json={"description": "changed"}, headers=alice.auth
    )
    await invite(env, alice, "anc/mid", bob)
    # An object outside any namespace fires nothing.
    await upload(env, alice, "personal.bin", "")
    await deliver(env)
    root_events = [
        (d.headers["x-djinn-ci-event"], d.json()["action"])
        for d in receiver.for_hook(on_root["id"])
    ]
    assert root_events == [("objects", "created")]
    ns_events = [
        (d.json()["action"], d.json()["namespace"]["path"])
        for d in receiver.for_hook(only_ns["id"])
    ]
    assert ns_events == [("created", "anc/mid/leaf"), ("updated", "anc")]
    assert receiver.for_hook(off["id"]) == []
    mid_events = [
        (d.headers["x-djinn-ci-event"], d.json()["action"]) for d in receiver.for_hook(on_mid["id"])
    ]
    assert mid_events == [
        ("objects", "created"),
        ("namespaces", "created"),
        ("invite.sent", "sent"),
    ]
    assert (
        receiver.for_hook(on_mid["id"])[-1].json()["invite"]["invitee"]["username"]
        == bob.user.username
    )


async def test_invite_events(private_env: Env, receiver: Receiver) -> None:
    env = private_env
    alice, bob, carol = await env.account(), await env.account(), await env.account()
    await create_namespace(env, alice, "invs")
    hook = await create_hook(env, alice, alice, "invs", payload_url=f"{receiver.url}/i")
    first = await invite(env, alice, "invs", bob)
    await env.client.patch(f"/djinn/invites/{first['id']}", headers=bob.auth)
    second = await invite(env, alice, "invs", carol)
    await env.client.delete(f"/djinn/invites/{second['id']}", headers=carol.auth)
    await deliver(env)
    assert [d.headers["x-djinn-ci-event"] for d in receiver.for_hook(hook["id"])] == [
        "invite.sent",
        "invite.accepted",
        "invite.sent",
        "invite.rejected",
    ]


async def test_failed_delivery_is_recorded_and_retried(
    private_env: Env, receiver: Receiver
) -> None:
    env = private_env
    alice = await env.account()
    await create_namespace(env, alice, "flaky")
    hook = await create_hook(env, alice, alice, "flaky", payload_url=f"{receiver.url}/flaky")
    receiver.statuses = [503]
    await upload(env, alice, "a.bin", "flaky")
    await deliver(env)
    url = hook["url"].removeprefix("http://testserver")
    last = (await env.client.get(url, headers=alice.auth)).json()["last_response"]
    assert last["code"] == 503
    assert last["error"] == "the receiver answered 503"
    async with env.runtime.sessions() as session:
        job = (
            await session.scalars(
                select(Job).where(Job.kind == "webhook.deliver", Job.state == "queued")
            )
        ).all()
    mine = [j for j in job if j.payload["webhook_id"] == hook["id"]]
    assert len(mine) == 1 and mine[0].attempts == 1
    # Not due yet; due after the backoff.
    await deliver(env)
    assert len(receiver.for_hook(hook["id"])) == 1
    await jobs.run_due(env.runtime, now=utcnow() + timedelta(hours=2), kinds=DELIVERIES)
    assert len(receiver.for_hook(hook["id"])) == 2
    # The same bytes each time.
    first, second = receiver.for_hook(hook["id"])
    assert first.body == second.body
    last = (await env.client.get(url, headers=alice.auth)).json()["last_response"]
    assert last["code"] == 200 and last["error"] is None


async def test_unreachable_receiver_is_recorded(private_env: Env) -> None:
    env = private_env
    alice = await env.account()
    await create_namespace(env, alice, "unreach")
    hook = await create_hook(env, alice, alice, "unreach", payload_url="http://127.0.0.1:9/none")
    await upload(env, alice, "a.bin", "unreach")
    await deliver(env)
    last = (
        await env.client.get(hook["url"].removeprefix("http://testserver"), headers=alice.auth)
    ).json()["last_response"]
    assert last["code"] is None
    assert last["error"]


async def test_delivery_rechecks_the_address(private_env: Env, pg: Env, receiver: Receiver) -> None:
    """A hook stored while private addresses were allowed is refused at delivery
    once they are not (DNS answers change too), and not retried."""
    alice = await private_env.account()
    await create_namespace(private_env, alice, "recheck")
    hook = await create_hook(private_env, alice, alice, "recheck", payload_url=f"{receiver.url}/r")
    await upload(private_env, alice, "a.bin", "recheck")
    await jobs.run_due(pg.runtime, kinds=DELIVERIES)  # the worker of the server without the setting
    assert receiver.for_hook(hook["id"]) == []
    last = (
        await pg.client.get(hook["url"].removeprefix("http://testserver"), headers=alice.auth)
    ).json()["last_response"]
    assert last["code"] is None
    assert last["error"].startswith("refused: ")
    async with pg.runtime.sessions() as session:
        states = [
            j.state
            for j in (await session.scalars(select(Job).where(Job.kind == "webhook.deliver"))).all()
            if j.payload["webhook_id"] == hook["id"]
        ]
    assert states == ["failed"]
