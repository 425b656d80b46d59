"""Every JSON-only Djinn operation answers a body of another type with the 415 its
spec documents (the contract check needs every response documented)."""

from __future__ import annotations

from typing import Any

from genie import SPEC_DIR
from genie.app import load_spec
from tests.conftest import Env

SPEC = load_spec(SPEC_DIR / "djinn.yaml")


def _json_only_operations() -> list[tuple[str, str, dict[str, Any]]]:
    found = []
    for path, item in SPEC["paths"].items():
        for method, op in item.items():
            body = op.get("requestBody") if isinstance(op, dict) else None
            if body and list(body["content"]) == ["application/json"]:
                found.append((method.upper(), path, op))
    return found


async def test_every_json_only_operation_documents_and_sends_415(env: Env) -> None:
    alice = await env.account()
    operations = _json_only_operations()
    assert len(operations) >= 10
    for method, path, op in operations:
        assert "415" in op["responses"], f"{op['operationId']} does not document 415"
        url = "/djinn" + path.format(username=alice.user.username, path="proj", id=1, number=1)
        response = await env.client.request(
            method, url, content=b"name: x", headers={**alice.auth, "Content-Type": "text/plain"}
        )
        assert response.status_code == 415, (op["operationId"], response.text)
        assert response.json() == {
            "message": "Invalid Content-type (text/plain), expected ['application/json']"
        }, op["operationId"]
