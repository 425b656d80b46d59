"""Every field the specs say may be null is ``None``-able in the generated clients.

OpenAPI 3.0.3's ``nullable`` only applies beside a ``type``: written next to
``allOf: [{$ref: X}]`` it left ``user``, ``parent``, ``build``, ``namespace`` and the
rest typed as never null, while the server sends null. References that may be
null are now ``anyOf: [{$ref: X}, {$ref: NullValue}]``.
"""

from __future__ import annotations

import importlib
import re
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
NULL_REF = "#/components/schemas/NullValue"


def nullable(schema: dict[str, Any]) -> bool:
    if schema.get("nullable") is True:
        return True
    return any(branch.get("$ref") == NULL_REF for branch in schema.get("anyOf", []))


def nullable_properties(spec: dict[str, Any]) -> list[tuple[str, str]]:
    """(schema, property) of every nullable property, those of ``allOf`` parts too."""
    found = []
    for name, schema in spec["components"]["schemas"].items():
        for part in [schema, *schema.get("allOf", [])]:
            for prop, sub in (part.get("properties") or {}).items():
                if nullable(sub):
                    found.append((name, prop))
    return found


def model_module(package: str, schema_name: str) -> Any:
    snake = re.sub(r"(?<!^)(?=[A-Z])", "_", schema_name).lower()
    for candidate in (snake, snake + "_"):
        try:
            return importlib.import_module(f"{package}.models.{candidate}")
        except ModuleNotFoundError:
            continue
    raise AssertionError(f"no generated model for {schema_name}")


@pytest.mark.parametrize(
    ("api", "package"), [("djinn", "djinn_client"), ("djaodjin", "djaodjin_client")]
)
def test_nullable_fields_are_none_able(api: str, package: str) -> None:
    sys.path.insert(0, str(ROOT / "generated_client" / f"{api}-client"))
    spec = yaml.safe_load((ROOT / "openapi" / f"{api}.yaml").read_text())
    found = nullable_properties(spec)
    if api == "djinn":
        assert ("NamespaceDetail", "parent") in found and ("Build", "namespace") in found
    assert found
    for schema_name, prop in found:
        module = model_module(package, schema_name)
        cls = getattr(module, schema_name)
        # Python keywords and builtins get a trailing underscore (``next_``).
        annotations = cls.__annotations__
        annotation = str(annotations.get(prop, annotations.get(prop + "_")))
        assert "None" in annotation, f"{schema_name}.{prop}: {annotation}"


def test_no_nullable_beside_a_bare_composition() -> None:
    """The old form, which strict tools read as never null, does not come back."""

    def walk(node: Any, where: str) -> None:
        if isinstance(node, dict):
            if node.get("nullable") is True:
                assert "type" in node, f"nullable without type at {where}"
            for key, value in node.items():
                walk(value, f"{where}/{key}")
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(value, f"{where}/{i}")

    for api in ("djinn", "djaodjin", "service"):
        walk(yaml.safe_load((ROOT / "openapi" / f"{api}.yaml").read_text()), f"{api}.yaml#")
