"""An empty form value of a nullable field is ``null`` (``handlers/_forms.py``, and the
DjaoDjin spec's own description of request bodies). Each form and multipart body
schema must say so: a client or a fuzzer that reads the spec sends ``""`` for such a
field only if the spec allows it, and the server takes it (schemathesis found
``external_id=`` accepted while the form schema asked for two characters)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from openapi_schema_validator import OAS30WriteValidator

from genie import SPEC_DIR
from genie.app import load_spec

SPEC = load_spec(SPEC_DIR / "djaodjin.yaml")
FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")


def resolved(schema: dict[str, Any]) -> dict[str, Any]:
    """``schema``, or what its local ``$ref`` (``#/components/…``) points to."""
    while "$ref" in schema:
        target: Any = SPEC
        for step in schema["$ref"].removeprefix("#/").split("/"):
            target = target[step]
        schema = target
    return schema


def fields(schema: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """A body schema's properties, those of its ``allOf`` parts included, resolved."""
    schema = resolved(schema)
    found: dict[str, dict[str, Any]] = {}
    for part in schema.get("allOf", []):
        found.update(fields(part))
    found.update({name: resolved(prop) for name, prop in schema.get("properties", {}).items()})
    return found


def form_bodies() -> Iterator[Any]:
    for path, item in SPEC["paths"].items():
        for method, operation in item.items():
            body = operation.get("requestBody") if isinstance(operation, dict) else None
            if body is None:
                continue
            content = resolved(body)["content"]
            for media_type in FORMS:
                if media_type in content:
                    json_schema = content["application/json"]["schema"]
                    yield pytest.param(
                        json_schema,
                        content[media_type]["schema"],
                        id=f"{method} {path} {media_type}",
                    )


BODIES = list(form_bodies())


def accepts(schema: dict[str, Any], body: dict[str, Any]) -> bool:
    """Whether ``body``'s fields are valid in ``schema`` (fields it lacks aside)."""
    root = {"components": SPEC["components"], **schema}
    errors = OAS30WriteValidator(root).iter_errors(body)
    return all(error.validator == "required" for error in errors)


def nullable_strings(schema: dict[str, Any]) -> list[str]:
    """The string fields a JSON body may set to ``null``: in a form, ``""``. (A form
    has no other way to send ``null`` for a number either, but ``""`` is no number,
    so no client takes it for one.)"""
    return [n for n, p in fields(schema).items() if p.get("nullable") and p.get("type") == "string"]


def test_the_forms_have_nullable_strings_to_check() -> None:
    assert sum(bool(nullable_strings(json)) for json, _ in (b.values for b in BODIES)) >= 10


@pytest.mark.parametrize(("json_schema", "form_schema"), BODIES)
def test_an_empty_value_of_a_nullable_string_is_allowed(
    json_schema: dict[str, Any], form_schema: dict[str, Any]
) -> None:
    refused = [
        name for name in nullable_strings(json_schema) if not accepts(form_schema, {name: ""})
    ]
    assert refused == []
    # The form schemas still check a value that is not empty, as the JSON one does.
    for name, prop in fields(json_schema).items():
        if "pattern" in prop:
            assert not accepts(form_schema, {name: "not valid!"}), name
