"""Response validation with the compiled check (``handlers._response_validation``):
a bad response is still caught, with Connexion's own message, and a good one
passes the compiled check alone (else it would save nothing)."""

from __future__ import annotations

import copy
from typing import Any

import jsonschema_rs
import orjson
import pytest
from connexion.exceptions import NonConformingResponseBody
from connexion.spec import Specification

from genie import SPEC_DIR
from genie.app import load_spec
from handlers._response_validation import FastResponseBodyValidator
from handlers._validation import ResponseBodyValidator
from handlers._validation._compiled import rust_schema
from tests.conftest import Env

_SPEC = Specification.from_dict(load_spec(SPEC_DIR / "djinn.yaml"))


def _schema(path: str, method: str, status: str) -> dict[str, Any]:
    response = _SPEC["paths"][path][method]["responses"][status]
    schema: dict[str, Any] = response["content"]["application/json"]["schema"]
    return schema


OBJECTS = _schema("/objects", "get", "200")
NAMESPACE = _schema("/namespaces", "post", "201")


async def _send(validator_class: type[ResponseBodyValidator], schema: Any, body: Any) -> str:
    """What validating ``body`` raises (its detail), or ``""`` when it passes."""
    validator = validator_class({}, schema=schema, nullable=False, encoding="utf-8")
    sent: list[dict[str, Any]] = []

    async def send(message: Any) -> None:
        sent.append(message)

    send_ = validator.wrap_send(send)
    await send_({"type": "http.response.start", "status": 200, "headers": []})
    try:
        await send_({"type": "http.response.body", "body": orjson.dumps(body)})
    except NonConformingResponseBody as exc:
        return str(exc.detail)
    assert len(sent) == 2
    return ""


def _object(**changes: Any) -> dict[str, Any]:
    item = {
        "id": 1,
        "author_id": 2,
        "user_id": 2,
        "namespace_id": None,
        "name": "a",
        "type": "text/plain",
        "size": 5,
        "md5": "0" * 32,
        "sha256": "0" * 64,
        "created_at": "2026-12-05T06:00:00Z",
        "url": "http://h/djinn/objects/1",
        "builds_url": "http://h/djinn/objects/1/builds",
        "author": {"email": "a@b.c", "username": "abc", "created_at": "2026-12-05T06:00:00Z"},
        "user": {"email": "a@b.c", "username": "abc", "created_at": "2026-12-05T06:00:00Z"},
        "namespace": None,
    }
    item.update(changes)
    return item


def _without(name: str) -> dict[str, Any]:
    item = _object()
    del item[name]
    return item


BAD_LISTS = {
    "a wrong type": [_object(size="five")],
    "a missing property": [_without("md5")],
    "null where it may not be": [_object(name=None)],
    "not a list": _object(),
    "a bad date-time": [_object(created_at="yesterday")],
}


@pytest.mark.parametrize("body", BAD_LISTS.values(), ids=list(BAD_LISTS))
async def test_a_bad_response_is_caught_with_connexions_message(body: Any) -> None:
    fast = await _send(FastResponseBodyValidator, OBJECTS, body)
    assert fast.startswith("Response body does not conform to specification.")
    assert fast == await _send(ResponseBodyValidator, OBJECTS, body)


async def test_a_write_only_property_may_not_be_sent() -> None:
    """Connexion refuses a ``writeOnly`` property in a response; so does the check."""
    schema = {"type": "object", "properties": {"secret": {"type": "string", "writeOnly": True}}}
    assert await _send(FastResponseBodyValidator, schema, {}) == ""
    fast = await _send(FastResponseBodyValidator, schema, {"secret": "s"})
    assert fast and fast == await _send(ResponseBodyValidator, schema, {"secret": "s"})
    assert not jsonschema_rs.Draft4Validator(rust_schema(schema)).is_valid({"secret": "s"})


async def test_good_responses_pass_the_compiled_check(env: Env) -> None:
    """Real responses (nullable embedded objects, null namespaces) need no fallback."""
    account = await env.account()
    made = await env.client.post("/djinn/namespaces", json={"name": "rvalid"}, headers=account.auth)
    assert made.status_code == 201, made.text
    stored = await env.client.post(
        "/djinn/objects", params={"name": "o1"}, content=b"hello", headers=account.auth
    )
    assert stored.status_code == 201, stored.text
    listed = await env.client.get("/djinn/objects", headers=account.auth)
    assert listed.status_code == 200 and listed.json()
    for schema, body in ((NAMESPACE, made.json()), (OBJECTS, listed.json())):
        assert jsonschema_rs.Draft4Validator(rust_schema(schema)).is_valid(body)
        assert await _send(FastResponseBodyValidator, schema, body) == ""


def test_the_translation_leaves_the_spec_alone() -> None:
    before = copy.deepcopy(OBJECTS)
    rust_schema(OBJECTS)
    assert before == OBJECTS


async def test_a_recursive_schema_is_left_to_the_python_validator() -> None:
    """A recursive ``$ref`` comes out of Connexion as a cycle of dicts: no compiled
    check for it, and the Python validator still catches what it must."""
    node: dict[str, Any] = {"type": "object", "properties": {"name": {"type": "string"}}}
    node["properties"]["child"] = node
    assert await _send(FastResponseBodyValidator, node, {"child": {"name": "a"}}) == ""
    bad = {"child": {"name": 5}}
    fast = await _send(FastResponseBodyValidator, node, bad)
    assert fast and fast == await _send(ResponseBodyValidator, node, bad)
