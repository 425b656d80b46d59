"""The compiled request-body check (``handlers._validation._compiled``) may skip the
Python validator only for a body the Python validator would pass too: it is never
more lenient. Checked on every JSON and form body schema of every spec, with each
property set, one at a time, to values that break a typical rule; and the valid
bodies that are the point of it pass it alone."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import pytest
from connexion.spec import Specification

from genie import SPEC_DIR
from genie.app import load_spec
from handlers._validation import RequestSchemaValidator
from handlers._validation._compiled import compiled
from handlers._validation._schema import FORMAT_CHECKER

#: Values that break one rule or another: type, nullability, length, pattern,
#: format, integer-ness, nesting.
PROBES: list[Any] = [
    None,
    "",
    " ",
    "a",
    "a\n",
    "A" * 300,
    "é" * 2,
    "not an email",
    "1.5",
    "x" * 70000,
    0,
    -1,
    1,
    1.0,
    1.5,
    2**63,
    True,
    False,
    [],
    [None],
    [""],
    [{}],
    {},
    {"name": None},
    {"name": "", "value": 1},
    "2026-13-45T00:00:00Z",
    "../x",
    "a b",
    "ghcr.io/x:y",
]


def _bodies() -> Iterator[Any]:
    for name in ("djinn", "djaodjin", "oauth", "service"):
        spec = Specification.from_dict(load_spec(SPEC_DIR / f"{name}.yaml"))
        for path, item in spec["paths"].items():
            for method, operation in item.items():
                body = operation.get("requestBody") if isinstance(operation, dict) else None
                for media_type, content in ((body or {}).get("content") or {}).items():
                    schema = content.get("schema")
                    if schema and "binary" not in str(schema):
                        yield pytest.param(schema, id=f"{name} {method} {path} {media_type}")


def _properties(schema: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for part in schema.get("allOf", []):
        found.update(_properties(part))
    found.update(schema.get("properties", {}))
    return found


@pytest.mark.parametrize("schema", list(_bodies()))
def test_the_compiled_check_is_never_more_lenient(schema: dict[str, Any]) -> None:
    python = RequestSchemaValidator(schema, format_checker=FORMAT_CHECKER)
    fast = compiled(schema, response=False)
    assert fast is not None, "every request body schema compiles"
    given = schema.get("example")
    example: dict[str, Any] = given if isinstance(given, dict) else {}
    names = list(_properties(schema)) or ["name"]
    bodies = [example, *PROBES]
    for name, probe in itertools.product(names, PROBES):
        bodies.append({**example, name: probe})
    lenient = [body for body in bodies if fast.is_valid(body) and not python.is_valid(body)]
    assert not lenient, [repr(body)[:200] for body in lenient[:3]]
    if example and python.is_valid(example):
        assert fast.is_valid(example), "a valid body needs no Python walk"
