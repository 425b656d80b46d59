"""The Djinn SSH Keys API, against PostgreSQL and the SQLite default.

Every private key a test sends is registered with :data:`tests.leaks.WATCH`: from
then on, every response body (and header, and WARNING+ log record) of the test
session is scanned for it, and one leak fails the test that received it.
"""

from __future__ import annotations

import re
import secrets
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from sqlalchemy import select

from genie import jobs, sshkeys
from models import SSHKey
from models.keys import KEY_PURPOSE
from tests.conftest import Account, Env
from tests.handlers.djinn.conftest import (
    DELIVERIES,
    Receiver,
    add_collaborator,
    create_namespace,
    ns_url,
)
from tests.leaks import WATCH


def ed25519_key() -> str:
    text = (
        ed25519.Ed25519PrivateKey.generate()
        .private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.OpenSSH,
            serialization.NoEncryption(),
        )
        .decode()
    )
    WATCH.register(text)
    return text


def rsa_pem_key() -> str:
    text = (
        rsa.generate_private_key(public_exponent=65537, key_size=2048)
        .private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
        .decode()
    )
    WATCH.register(text)
    return text


def ecdsa_pkcs8_key() -> str:
    text = (
        ec.generate_private_key(ec.SECP256R1())
        .private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        .decode()
    )
    WATCH.register(text)
    return text


def name() -> str:
    return f"id_{secrets.token_hex(4)}"


async def create(env: Env, account: Account, **body: Any) -> Any:
    return await env.client.post("/djinn/keys", json=body, headers=account.auth)


async def created(env: Env, account: Account, **body: Any) -> dict[str, Any]:
    body.setdefault("name", name())
    body.setdefault("key", ed25519_key())
    response = await create(env, account, **body)
    assert response.status_code == 201, response.text
    entity: dict[str, Any] = response.json()
    return entity


async def stored(env: Env, key_id: int) -> SSHKey:
    async with env.runtime.sessions() as session:
        row = await session.scalar(select(SSHKey).where(SSHKey.id == key_id))
    assert row is not None
    return row


# Create


@pytest.mark.parametrize(
    ("make", "key_type"),
    [
        (ed25519_key, "ssh-ed25519"),
        (rsa_pem_key, "ssh-rsa"),
        (ecdsa_pkcs8_key, "ecdsa-sha2-nistp256"),
    ],
)
async def test_create_stores_the_key_encrypted_and_returns_no_material(
    env: Env, make: Any, key_type: str
) -> None:
    alice = await env.account()
    text = make()
    key_name = name()
    before = WATCH.responses_scanned
    key = await created(env, alice, name=key_name, key=text, config="Host github.com\n  User git\n")
    assert WATCH.responses_scanned == before + 1
    assert set(key) == {
        "id",
        "author_id",
        "user_id",
        "namespace_id",
        "name",
        "type",
        "fingerprint",
        "config",
        "created_at",
        "updated_at",
        "url",
        "author",
        "user",
        "namespace",
    }
    assert key["name"] == key_name
    assert key["type"] == key_type
    assert key["fingerprint"] == sshkeys.parse_private_key(text).fingerprint
    assert re.match(r"^SHA256:[A-Za-z0-9+/]{43}$", key["fingerprint"])
    assert key["config"] == "Host github.com\n  User git\n"
    assert key["author_id"] == key["user_id"] == alice.user.id
    assert key["namespace"] is None
    assert key["url"] == f"http://testserver/djinn/keys/{key['id']}"
    assert key["created_at"] == key["updated_at"]

    row = await stored(env, key["id"])
    assert text.encode() not in row.encrypted_key
    plain = env.runtime.crypto.decrypt(row.encrypted_key, purpose=KEY_PURPOSE)
    assert plain.decode() == sshkeys.normalise_key(text)


async def test_key_is_stored_normalised(env: Env) -> None:
    alice = await env.account()
    text = ed25519_key()
    key = await created(env, alice, key="\r\n" + text.replace("\n", "\r\n") + "\r\n\r\n")
    row = await stored(env, key["id"])
    plain = env.runtime.crypto.decrypt(row.encrypted_key, purpose=KEY_PURPOSE).decode()
    assert plain == text.strip() + "\n"
    assert "\r" not in plain


def _encrypted_key() -> str:
    text = (
        ed25519.Ed25519PrivateKey.generate()
        .private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.OpenSSH,
            serialization.BestAvailableEncryption(b"passphrase"),
        )
        .decode()
    )
    WATCH.register(text)
    return text


def _public_key() -> str:
    return (
        ed25519.Ed25519PrivateKey.generate()
        .public_key()
        .public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH)
        .decode()
    )


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: "not a key at all", sshkeys.NOT_A_KEY),
        (
            lambda: "-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----",
            sshkeys.NOT_A_KEY,
        ),
        (_encrypted_key, sshkeys.ENCRYPTED),
        (_public_key, sshkeys.PUBLIC),
        (lambda: "   ", sshkeys.REQUIRED),
    ],
    ids=["garbage", "truncated", "passphrase", "public", "blank"],
)
async def test_invalid_keys_are_field_errors(env: Env, make: Any, message: str) -> None:
    alice = await env.account()
    response = await create(env, alice, name=name(), key=make())
    assert response.status_code == 400
    assert response.json() == {"key": [message]}
    assert (await env.client.get("/djinn/keys", headers=alice.auth)).json() == []


async def test_missing_fields_are_reported_together(env: Env) -> None:
    alice = await env.account()
    response = await env.client.post("/djinn/keys", json={}, headers=alice.auth)
    assert response.status_code == 400
    assert response.json() == {"key": ["Key field required"], "name": ["Name field required"]}


async def test_too_long_key_and_config(env: Env) -> None:
    alice = await env.account()
    response = await create(env, alice, name=name(), key="x" * 16385, config="c" * 16385)
    assert response.status_code == 400
    assert response.json() == {
        "config": ["Config cannot be longer than 16384 characters in length"],
        "key": ["Key cannot be longer than 16384 characters in length"],
    }


async def test_whitespace_in_names_becomes_underscores(env: Env) -> None:
    alice = await env.account()
    suffix = secrets.token_hex(3)
    key = await created(env, alice, name=f"my deploy\tkey {suffix}")
    assert key["name"] == f"my_deploy_key_{suffix}"
    # The normalised name is the one that is unique.
    taken = await create(env, alice, name=f"my_deploy key_{suffix}", key=ed25519_key())
    assert taken.json() == {"name": ["Name already exists"]}


@pytest.mark.parametrize("bad", ["a/b", "../x", "naïve", "semi;colon", "a$b"])
async def test_bad_names(env: Env, bad: str) -> None:
    alice = await env.account()
    response = await create(env, alice, name=bad, key=ed25519_key())
    assert response.status_code == 400
    assert response.json() == {
        "name": ["Name can only have letters, numbers, dots, dashes and underscores"]
    }


@pytest.mark.parametrize("dots", [".", ".."])
async def test_dot_names_are_refused(env: Env, dots: str) -> None:
    alice = await env.account()
    response = await create(env, alice, name=dots, key="nope")
    assert response.status_code == 400
    assert response.json() == {"name": ["Name cannot be . or .."], "key": [sshkeys.NOT_A_KEY]}


async def test_name_unique_per_owner_and_namespace(env: Env) -> None:
    alice, bob = await env.account(), await env.account()
    key_name = name()
    await created(env, alice, name=key_name)
    taken = await create(env, alice, name=key_name, key=ed25519_key())
    assert taken.status_code == 400
    assert taken.json() == {"name": ["Name already exists"]}
    await created(env, bob, name=key_name)
    await created(env, alice, name=key_name, namespace="keysns")
    again = await create(env, alice, name=key_name, key="bad", namespace="keysns")
    assert again.json() == {"key": [sshkeys.NOT_A_KEY], "name": ["Name already exists"]}


# Namespaces


async def test_collaborator_adds_a_key_to_the_owners_namespace(env: Env) -> None:
    owner, helper, stranger = await env.account(), await env.account(), await env.account()
    await create_namespace(env, owner, "infra", visibility="internal")
    await add_collaborator(env, owner, "infra", helper)
    key = await created(env, helper, namespace=f"infra@{owner.user.username}")
    assert key["user_id"] == owner.user.id and key["author_id"] == helper.user.id
    assert key["namespace"]["path"] == "infra"
    refused = await create(
        env, stranger, name=name(), key=ed25519_key(), namespace=f"infra@{owner.user.username}"
    )
    assert refused.status_code == 400
    assert refused.json() == {"namespace": ["Namespace permission denied"]}
    # The stranger may read it (internal), not change it.
    assert (await env.client.get(key["url"], headers=stranger.auth)).status_code == 200
    patched = await env.client.patch(key["url"], json={"config": "x"}, headers=stranger.auth)
    assert patched.status_code == 404
    assert (await env.client.delete(key["url"], headers=stranger.auth)).status_code == 404
    # Not listed for the stranger: lists hold what one owns or collaborates on.
    listed = await env.client.get("/djinn/keys", headers=stranger.auth)
    assert listed.json() == []
    sub = await env.client.get(ns_url(owner, "infra", "keys"), headers=stranger.auth)
    assert [k["id"] for k in sub.json()] == [key["id"]]


async def test_namespace_sub_list_searches_and_hides_private_ones(env: Env) -> None:
    alice, bob = await env.account(), await env.account()
    names = sorted(name() for _ in range(3))
    for key_name in names:
        await created(env, alice, name=key_name, namespace="secretns")
    url = ns_url(alice, "secretns", "keys")
    listed = await env.client.get(url, headers=alice.auth)
    assert [k["name"] for k in listed.json()] == names
    searched = await env.client.get(url, params={"search": names[2].upper()}, headers=alice.auth)
    assert [k["name"] for k in searched.json()] == [names[2]]
    assert (await env.client.get(url, headers=bob.auth)).status_code == 404
    assert (await env.client.get(url)).status_code == 404


# Read, list, update, delete


async def test_list_orders_by_name_and_searches(env: Env) -> None:
    alice = await env.account()
    names = ["b-key", "a-key", "C-key", "d.other"]
    for key_name in names:
        await created(env, alice, name=key_name)
    listed = await env.client.get("/djinn/keys", headers=alice.auth)
    assert [k["name"] for k in listed.json()] == sorted(names)
    searched = await env.client.get("/djinn/keys", params={"search": "KEY"}, headers=alice.auth)
    assert [k["name"] for k in searched.json()] == sorted(names[:3])


async def test_other_users_keys_are_invisible(env: Env) -> None:
    alice, bob = await env.account(), await env.account()
    key = await created(env, alice)
    assert (await env.client.get("/djinn/keys", headers=bob.auth)).json() == []
    for method, body in (("GET", None), ("PATCH", {"config": "x"}), ("DELETE", None)):
        response = await env.client.request(method, key["url"], json=body, headers=bob.auth)
        assert response.status_code == 404, method
        assert response.json() == {"message": "Not Found"}
    assert (await env.client.get(key["url"], headers=alice.auth)).json()["config"] == ""


async def test_update_config_only(env: Env) -> None:
    alice = await env.account()
    key = await created(env, alice, config="Host a")
    changed = await env.client.patch(
        key["url"],
        json={"config": "Host b\n  User git", "name": "renamed", "key": "ignored"},
        headers=alice.auth,
    )
    assert changed.status_code == 200, changed.text
    body = changed.json()
    assert body["config"] == "Host b\n  User git"
    assert body["name"] == key["name"] and body["fingerprint"] == key["fingerprint"]
    assert body["updated_at"] > key["updated_at"]
    assert body["created_at"] == key["created_at"]
    kept = await env.client.patch(key["url"], json={}, headers=alice.auth)
    assert kept.status_code == 200 and kept.json()["config"] == "Host b\n  User git"
    no_body = await env.client.patch(key["url"], headers=alice.auth)
    assert no_body.status_code == 200 and no_body.json() == kept.json()
    cleared = await env.client.patch(key["url"], json={"config": ""}, headers=alice.auth)
    assert cleared.json()["config"] == ""
    shown = await env.client.get(key["url"], headers=alice.auth)
    assert shown.json() == cleared.json()


async def test_update_validation(env: Env) -> None:
    alice = await env.account()
    key = await created(env, alice)
    response = await env.client.patch(key["url"], json={"config": 3}, headers=alice.auth)
    assert response.status_code == 400
    assert response.json() == {"config": ["cannot unmarshal number to string"]}
    response = await env.client.patch(key["url"], json={"config": "a\u0000b"}, headers=alice.auth)
    assert response.json() == {"config": ["Config cannot contain NUL characters"]}


async def test_collaborator_updates_and_deletes(env: Env) -> None:
    owner, helper = await env.account(), await env.account()
    await create_namespace(env, owner, "team")
    await add_collaborator(env, owner, "team", helper)
    key = await created(env, owner, namespace="team")
    patched = await env.client.patch(key["url"], json={"config": "Host c"}, headers=helper.auth)
    assert patched.status_code == 200 and patched.json()["config"] == "Host c"
    assert (await env.client.delete(key["url"], headers=helper.auth)).status_code == 204
    assert (await env.client.get(key["url"], headers=owner.auth)).status_code == 404


async def test_delete_and_missing(env: Env) -> None:
    alice = await env.account()
    key = await created(env, alice)
    deleted = await env.client.delete(key["url"], headers=alice.auth)
    assert deleted.status_code == 204 and deleted.content == b""
    for method, body in (("GET", None), ("PATCH", {}), ("DELETE", None)):
        response = await env.client.request(method, key["url"], json=body, headers=alice.auth)
        assert response.status_code == 404, method


async def test_auth(env: Env) -> None:
    reader = await env.account("key:read")
    assert (await env.client.get("/djinn/keys")).status_code == 401
    refused = await create(env, reader, name=name(), key=ed25519_key())
    assert refused.status_code == 403
    assert "key:write" in refused.json()["message"]
    writer = await env.account("key:write")
    key = await created(env, writer)
    assert (await env.client.get(key["url"], headers=writer.auth)).status_code == 403
    assert (await env.client.delete(key["url"], headers=writer.auth)).status_code == 403
    patched = await env.client.patch(key["url"], json={"config": "x"}, headers=writer.auth)
    assert patched.status_code == 200
    assert (await env.client.get(key["url"], headers=reader.auth)).status_code == 404


# Events


async def test_events_never_carry_key_material(private_env: Env, receiver: Receiver) -> None:
    env = private_env
    alice = await env.account()
    await create_namespace(env, alice, "keyhooks")
    hook = await env.client.post(
        ns_url(alice, "keyhooks", "webhooks"),
        json={"payload_url": receiver.url + "/k", "events": ["ssh_keys"]},
        headers=alice.auth,
    )
    assert hook.status_code == 201, hook.text
    text = ed25519_key()
    key = await created(env, alice, key=text, namespace="keyhooks")
    patched = await env.client.patch(key["url"], json={"config": "Host z"}, headers=alice.auth)
    assert patched.status_code == 200
    assert (await env.client.delete(key["url"], headers=alice.auth)).status_code == 204
    await jobs.run_due(env.runtime, kinds=DELIVERIES)
    deliveries = receiver.for_hook(hook.json()["id"])
    assert [d.json()["action"] for d in deliveries] == ["created", "updated", "deleted"]
    for delivery in deliveries:
        assert delivery.headers["x-djinn-ci-event"] == "ssh_keys"
        assert delivery.json()["key"]["id"] == key["id"]
        assert delivery.json()["key"]["fingerprint"] == key["fingerprint"]
        assert WATCH.find(delivery.body.decode()) is None
