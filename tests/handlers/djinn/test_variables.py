"""The Djinn Variables API, against PostgreSQL and the SQLite default.

Masked values are registered with :data:`tests.leaks.WATCH`: no response of the
session, nor any log record, may carry them.
"""

from __future__ import annotations

import re
import secrets
from typing import Any

import pytest
from sqlalchemy import select

from genie import jobs
from models import Variable
from models.variables import VALUE_PURPOSE, KeyTaken
from tests.conftest import Account, Env
from tests.handlers.djinn.conftest import (
    DELIVERIES,
    Receiver,
    add_collaborator,
    create_namespace,
    ns_url,
)
from tests.leaks import WATCH

KEY_PATTERN_ERROR = "Key does not match ^[A-Za-z_][A-Za-z0-9_]*$"


def masked_secret() -> str:
    value = f"masked-{secrets.token_hex(12)}"
    WATCH.register(value)
    return value


def key() -> str:
    return f"VAR_{secrets.token_hex(4).upper()}"


async def create(env: Env, account: Account, **body: Any) -> Any:
    return await env.client.post("/djinn/variables", json=body, headers=account.auth)


async def created(env: Env, account: Account, **body: Any) -> dict[str, Any]:
    response = await create(env, account, **body)
    assert response.status_code == 201, response.text
    entity: dict[str, Any] = response.json()
    return entity


async def stored(env: Env, variable_id: int) -> Variable:
    async with env.runtime.sessions() as session:
        row = await session.scalar(select(Variable).where(Variable.id == variable_id))
    assert row is not None
    return row


# Create


async def test_create_unmasked(env: Env) -> None:
    alice = await env.account()
    name = key()
    variable = await created(env, alice, key=name, value="hello world")
    assert variable["key"] == name
    assert variable["value"] == "hello world"
    assert variable["masked"] is False
    assert variable["author_id"] == variable["user_id"] == alice.user.id
    assert variable["namespace_id"] is None and variable["namespace"] is None
    assert variable["url"] == f"http://testserver/djinn/variables/{variable['id']}"
    assert variable["user"] == variable["author"]
    assert variable["user"]["username"] == alice.user.username
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$", variable["created_at"])
    row = await stored(env, variable["id"])
    assert row.value == "hello world" and row.encrypted_value is None


async def test_masked_value_is_encrypted_and_never_returned(env: Env) -> None:
    alice = await env.account()
    value = masked_secret()
    variable = await created(env, alice, key=key(), value=value, mask=True)
    assert variable["value"] == "xxxxxx"
    assert variable["masked"] is True

    row = await stored(env, variable["id"])
    assert row.value is None
    assert row.encrypted_value is not None
    assert value.encode() not in row.encrypted_value
    assert env.runtime.crypto.decrypt(row.encrypted_value, purpose=VALUE_PURPOSE) == value.encode()

    before = WATCH.responses_scanned
    shown = await env.client.get(variable["url"], headers=alice.auth)
    assert shown.json()["value"] == "xxxxxx"
    listed = await env.client.get("/djinn/variables", headers=alice.auth)
    assert [v["value"] for v in listed.json() if v["id"] == variable["id"]] == ["xxxxxx"]
    assert WATCH.responses_scanned == before + 2  # and neither carried the value


@pytest.mark.parametrize("value", ["", "12345"])
async def test_masked_value_needs_six_characters(env: Env, value: str) -> None:
    alice = await env.account()
    response = await create(env, alice, key=key(), value=value, mask=True)
    assert response.status_code == 400
    expected = (
        "Value field required"
        if value == ""
        else ("Value cannot be shorter than 6 characters in length")
    )
    assert response.json() == {"value": [expected]}
    listed = await env.client.get("/djinn/variables", headers=alice.auth)
    assert listed.json() == []


async def test_six_characters_is_enough_and_unmasked_values_may_be_short(env: Env) -> None:
    alice = await env.account()
    assert (await create(env, alice, key=key(), value="123456", mask=True)).status_code == 201
    assert (await create(env, alice, key=key(), value="1", mask=False)).status_code == 201


async def test_missing_fields_are_reported_together(env: Env) -> None:
    alice = await env.account()
    response = await env.client.post("/djinn/variables", json={}, headers=alice.auth)
    assert response.status_code == 400
    assert response.json() == {"key": ["Key field required"], "value": ["Value field required"]}


@pytest.mark.parametrize("bad", ["1ABC", "A-B", "A B", "ÄBC", "A.B", "$HOME", "A=B"])
async def test_key_pattern(env: Env, bad: str) -> None:
    alice = await env.account()
    response = await create(env, alice, key=bad, value="v")
    assert response.status_code == 400
    assert response.json() == {"key": [KEY_PATTERN_ERROR]}


@pytest.mark.parametrize("good", ["A", "_", "_1", "a1_B2", "PATH"])
async def test_key_pattern_accepts(env: Env, good: str) -> None:
    alice = await env.account()
    response = await create(env, alice, key=good, value="v")
    assert response.status_code == 201, response.text
    assert response.json()["key"] == good


async def test_nul_characters_are_refused(env: Env) -> None:
    alice = await env.account()
    response = await create(env, alice, key="NUL", value="a\u0000b", namespace="x\u0000")
    assert response.status_code == 400
    assert response.json() == {
        "namespace": ["Namespace cannot contain NUL characters"],
        "value": ["Value cannot contain NUL characters"],
    }


async def test_wrong_types_are_field_errors(env: Env) -> None:
    alice = await env.account()
    response = await create(env, alice, key=1, value=["x"], mask="yes")
    assert response.status_code == 400
    assert response.json() == {
        "key": ["cannot unmarshal number to string"],
        "mask": ["cannot unmarshal string to boolean"],
        "value": ["cannot unmarshal array to string"],
    }


async def test_key_unique_per_owner_and_per_namespace(env: Env) -> None:
    alice, bob = await env.account(), await env.account()
    name = key()
    await created(env, alice, key=name, value="one")
    taken = await create(env, alice, key=name, value="two")
    assert taken.status_code == 400
    assert taken.json() == {"key": ["Key already exists"]}
    # Another owner, and a namespace of the same owner, have keys of their own.
    await created(env, bob, key=name, value="bob's")
    await created(env, alice, key=name, value="in ns", namespace="varsns")
    again = await create(env, alice, key=name, value="again", namespace="varsns")
    assert again.json() == {"key": ["Key already exists"]}
    # Keys are case-sensitive, as environment variables are.
    await created(env, alice, key=name.lower(), value="lower")


async def test_taken_key_is_reported_with_the_other_errors(env: Env) -> None:
    alice = await env.account()
    name = key()
    await created(env, alice, key=name, value="one")
    response = await create(env, alice, key=name, value="short", mask=True)
    assert response.status_code == 400
    assert response.json() == {
        "value": ["Value cannot be shorter than 6 characters in length"],
        "key": ["Key already exists"],
    }


async def test_uniqueness_is_a_database_constraint(env: Env) -> None:
    """Two inserts that both passed any check: the unique index refuses the second."""
    alice = await env.account()
    name = key()
    from models import variables as model

    async with env.runtime.sessions() as session, session.begin():
        await model.insert(
            session, Variable(author_id=alice.user.id, user_id=alice.user.id, key=name, value="a")
        )
    with pytest.raises(KeyTaken):
        async with env.runtime.sessions() as session, session.begin():
            await model.insert(
                session,
                Variable(author_id=alice.user.id, user_id=alice.user.id, key=name, value="b"),
            )


# Namespaces


async def test_create_in_new_namespace_creates_it(env: Env) -> None:
    alice = await env.account()
    variable = await created(env, alice, key=key(), value="v", namespace="deploy/prod")
    assert variable["namespace"]["path"] == "deploy/prod"
    assert variable["namespace"]["visibility"] == "private"
    assert (
        variable["namespace"]["url"]
        == f"http://testserver/djinn/n/{alice.user.username}/deploy/prod"
    )
    listed = await env.client.get(ns_url(alice, "deploy/prod", "variables"), headers=alice.auth)
    assert [v["id"] for v in listed.json()] == [variable["id"]]


async def test_collaborator_creates_in_owners_namespace(env: Env) -> None:
    owner, helper = await env.account(), await env.account()
    await create_namespace(env, owner, "shared")
    await add_collaborator(env, owner, "shared", helper)
    value = masked_secret()
    variable = await created(
        env, helper, key=key(), value=value, mask=True, namespace=f"shared@{owner.user.username}"
    )
    assert variable["user_id"] == owner.user.id
    assert variable["author_id"] == helper.user.id
    # Both see it, in the list and by id.
    for account in (owner, helper):
        listed = await env.client.get("/djinn/variables", headers=account.auth)
        assert variable["id"] in [v["id"] for v in listed.json()]
        shown = await env.client.get(variable["url"], headers=account.auth)
        assert shown.status_code == 200 and shown.json()["value"] == "xxxxxx"


async def test_stranger_cannot_create_in_namespace(env: Env) -> None:
    owner, stranger = await env.account(), await env.account()
    await create_namespace(env, owner, "closed", visibility="public")
    response = await create(
        env, stranger, key=key(), value="v", namespace=f"closed@{owner.user.username}"
    )
    assert response.status_code == 400
    assert response.json() == {"namespace": ["Namespace permission denied"]}
    listed = await env.client.get(ns_url(owner, "closed", "variables"))
    assert listed.json() == []


async def test_namespace_errors_come_with_field_errors_and_create_nothing(env: Env) -> None:
    alice = await env.account()
    response = await create(env, alice, key=key(), value="short", mask=True, namespace="a_b/c")
    assert response.status_code == 400
    body = response.json()
    assert body["value"] == ["Value cannot be shorter than 6 characters in length"]
    assert body["namespace"][0].startswith("Namespace a_b/c: namespace: name")
    response = await create(env, alice, key=key(), value="short", mask=True, namespace="fresh/ns")
    assert response.status_code == 400
    missing = await env.client.get(ns_url(alice, "fresh"), headers=alice.auth)
    assert missing.status_code == 404  # validation failed: no namespace was made


async def test_namespace_sub_list(env: Env) -> None:
    alice, bob = await env.account(), await env.account()
    await create_namespace(env, alice, "pub", visibility="public")
    names = sorted(key() for _ in range(3))
    for name in reversed(names):
        await created(env, alice, key=name, value=f"value of {name}", namespace="pub")
    await created(env, alice, key=key(), value="personal")
    url = ns_url(alice, "pub", "variables")
    anonymous = await env.client.get(url)
    assert anonymous.status_code == 200
    assert [v["key"] for v in anonymous.json()] == names
    assert all(v["author"]["email"] is None for v in anonymous.json())
    searched = await env.client.get(url, params={"search": names[1].lower()}, headers=bob.auth)
    assert [v["key"] for v in searched.json()] == [names[1]]


async def test_namespace_sub_list_of_a_private_namespace_is_hidden(env: Env) -> None:
    alice, bob = await env.account(), await env.account()
    await create_namespace(env, alice, "priv")
    await created(env, alice, key=key(), value="v", namespace="priv")
    assert (await env.client.get(ns_url(alice, "priv", "variables"))).status_code == 404
    hidden = await env.client.get(ns_url(alice, "priv", "variables"), headers=bob.auth)
    assert hidden.status_code == 404


async def test_deleting_the_namespace_keeps_variables_as_personal(env: Env) -> None:
    alice = await env.account()
    variable = await created(env, alice, key=key(), value="v", namespace="gone")
    deleted = await env.client.delete(ns_url(alice, "gone"), headers=alice.auth)
    assert deleted.status_code == 204
    shown = await env.client.get(variable["url"], headers=alice.auth)
    assert shown.json()["namespace_id"] is None and shown.json()["namespace"] is None


async def test_deleting_a_namespace_refuses_when_a_key_would_clash(env: Env) -> None:
    alice = await env.account()
    name = key()
    await created(env, alice, key=name, value="personal")
    await created(env, alice, key=name, value="namespaced", namespace="clash")
    response = await env.client.delete(ns_url(alice, "clash"), headers=alice.auth)
    assert response.status_code == 400
    assert f"variables {name}" in response.json()["message"]


# Read, list, delete


async def test_list_orders_by_key_searches_and_paginates(env: Env) -> None:
    alice = await env.account()
    prefix = f"P{secrets.token_hex(3).upper()}"
    names = [f"{prefix}_{i:02d}" for i in range(27)]
    for name in reversed(names):
        await created(env, alice, key=name, value="v")
    await created(env, alice, key="OTHER", value="v")
    first = await env.client.get("/djinn/variables", headers=alice.auth)
    assert [v["key"] for v in first.json()] == sorted([*names, "OTHER"])[:25]
    searched = await env.client.get(
        "/djinn/variables", params={"search": prefix.lower()}, headers=alice.auth
    )
    assert [v["key"] for v in searched.json()] == names[:25]
    assert 'page=2>; rel="next"' in searched.headers["link"]
    second = await env.client.get(
        "/djinn/variables", params={"search": prefix, "page": 2}, headers=alice.auth
    )
    assert [v["key"] for v in second.json()] == names[25:]


async def test_search_treats_wildcards_literally(env: Env) -> None:
    alice = await env.account()
    await created(env, alice, key="A_B", value="v")
    await created(env, alice, key="AXB", value="v")
    searched = await env.client.get("/djinn/variables", params={"search": "a_"}, headers=alice.auth)
    assert [v["key"] for v in searched.json()] == ["A_B"]


async def test_other_users_variables_are_invisible(env: Env) -> None:
    alice, bob = await env.account(), await env.account()
    variable = await created(env, alice, key=key(), value="alice's")
    assert (await env.client.get("/djinn/variables", headers=bob.auth)).json() == []
    for method in ("GET", "DELETE"):
        response = await env.client.request(method, variable["url"], headers=bob.auth)
        assert response.status_code == 404
        assert response.json() == {"message": "Not Found"}
    assert (await env.client.get(variable["url"], headers=alice.auth)).status_code == 200


async def test_missing_variable_is_404(env: Env) -> None:
    alice = await env.account()
    for method in ("GET", "DELETE"):
        response = await env.client.request(
            method, "/djinn/variables/2147483647", headers=alice.auth
        )
        assert response.status_code == 404


async def test_delete(env: Env) -> None:
    alice = await env.account()
    variable = await created(env, alice, key=key(), value="v")
    deleted = await env.client.delete(variable["url"], headers=alice.auth)
    assert deleted.status_code == 204 and deleted.content == b""
    assert (await env.client.get(variable["url"], headers=alice.auth)).status_code == 404
    assert (await env.client.delete(variable["url"], headers=alice.auth)).status_code == 404


async def test_no_update_route(env: Env) -> None:
    alice = await env.account()
    variable = await created(env, alice, key=key(), value="v")
    response = await env.client.patch(variable["url"], json={"value": "w"}, headers=alice.auth)
    assert response.status_code == 405
    assert set(response.headers["allow"].replace(" ", "").split(",")) >= {"GET", "DELETE"}


async def test_auth(env: Env) -> None:
    reader = await env.account("variable:read")
    assert (await env.client.get("/djinn/variables")).status_code == 401
    refused = await create(env, reader, key=key(), value="v")
    assert refused.status_code == 403
    assert "variable:write" in refused.json()["message"]
    writer = await env.account("variable:write")
    variable = await created(env, writer, key=key(), value="v")
    assert (await env.client.get(variable["url"], headers=writer.auth)).status_code == 403
    assert (await env.client.delete(variable["url"], headers=writer.auth)).status_code == 403
    assert (await env.client.get(variable["url"], headers=reader.auth)).status_code == 404


# Events


async def test_events_carry_the_masked_value_masked(private_env: Env, receiver: Receiver) -> None:
    env = private_env
    alice = await env.account()
    await create_namespace(env, alice, "hooked")
    hook = await env.client.post(
        ns_url(alice, "hooked", "webhooks"),
        json={"payload_url": receiver.url + "/v", "events": ["variables"]},
        headers=alice.auth,
    )
    assert hook.status_code == 201, hook.text
    value = masked_secret()
    variable = await created(env, alice, key=key(), value=value, mask=True, namespace="hooked")
    await created(env, alice, key=key(), value="personal, no event")
    assert (await env.client.delete(variable["url"], headers=alice.auth)).status_code == 204
    await jobs.run_due(env.runtime, kinds=DELIVERIES)
    deliveries = receiver.for_hook(hook.json()["id"])
    assert [d.json()["action"] for d in deliveries] == ["created", "deleted"]
    for delivery in deliveries:
        assert delivery.headers["x-djinn-ci-event"] == "variables"
        assert delivery.json()["variable"]["id"] == variable["id"]
        assert delivery.json()["variable"]["value"] == "xxxxxx"
        assert value.encode() not in delivery.body
