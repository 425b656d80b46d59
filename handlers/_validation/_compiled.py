"""Compiled checks: ``jsonschema-rs`` (Rust) answers "valid?" before Python does.

The Python validators (:mod:`._schema`) decide and report every error, in each
API's words. They are slow on a valid body, which is nearly every body: a
namespace create spent more CPU in ``jsonschema`` than in its own handler. So each
schema is also compiled once with ``jsonschema-rs``; what it finds valid needs no
Python walk, and only what it refuses goes through the Python validator, which
then decides exactly as before (the same 400 and messages, the same 500 for a bad
response). The compiled check may be stricter than the Python one (that costs
time only), never more lenient; the schema it compiles is translated for that:

* OpenAPI 3.0's ``nullable: true`` admits ``null`` (beside ``type`` and ``enum``,
  and beside ``allOf``/``anyOf``/``oneOf``, as genie's Python validators allow);
* in a response, a ``writeOnly`` property may not appear (Connexion's rule), so
  its schema becomes one that nothing matches; a request may send it.

``format`` is checked by ``jsonschema-rs`` for draft 4 at least as strictly as by
``jsonschema``'s draft-4 checker (``date-time``, ``email``, ``ipv4``, ``ipv6``,
``regex``); patterns are ECMA regular expressions in both (the Python validators
emulate ECMA's ``$``); ``integer`` excludes ``1.0`` and ``true`` in both.
"""

from __future__ import annotations

from typing import Any

import jsonschema_rs

_COMPOSITIONS = ("allOf", "anyOf", "oneOf")
#: Matches nothing (draft 4 has no ``false`` schema).
_NOTHING: dict[str, Any] = {"not": {}}


class Cyclic(ValueError):
    """The schema contains itself (a recursive ``$ref``, which Connexion resolves
    into a cycle of dicts): it has no compiled check, only the Python one."""


def rust_schema(schema: Any, *, response: bool = True, _open: frozenset[int] = frozenset()) -> Any:
    """``schema`` with OpenAPI 3.0's ``nullable`` and ``writeOnly`` in draft-4 terms."""
    if isinstance(schema, list):
        return [rust_schema(s, response=response, _open=_open) for s in schema]
    if not isinstance(schema, dict):
        return schema
    if id(schema) in _open:
        raise Cyclic()
    if response and schema.get("writeOnly") is True:
        return _NOTHING
    inner = _open | {id(schema)}

    def again(sub: Any) -> Any:
        return rust_schema(sub, response=response, _open=inner)

    out = {k: again(v) for k, v in schema.items() if k != "nullable"}
    if "properties" in schema:  # property names are not schemas' keywords
        out["properties"] = {k: again(v) for k, v in schema["properties"].items()}
    if schema.get("nullable") is not True:
        return out
    if "enum" in out:
        out["enum"] = [*out["enum"], None]
    if isinstance(out.get("type"), str):
        out["type"] = [out["type"], "null"]
    elif any(keyword in out for keyword in _COMPOSITIONS):
        return {"anyOf": [{"type": "null"}, out]}
    return out


def compiled(schema: Any, *, response: bool) -> Any:
    """The compiled check of ``schema`` (for a response, or a request body); None
    where there is none (a recursive schema, or one ``jsonschema-rs`` cannot
    compile): the Python validator alone decides."""
    try:
        return jsonschema_rs.Draft4Validator(rust_schema(schema, response=response))
    except (Cyclic, ValueError, jsonschema_rs.ValidationError, jsonschema_rs.ReferencingError):
        return None
