"""Response validation cheap enough to leave on (``GENIE_VALIDATE_RESPONSES=1``).

Connexion validates each JSON response with ``jsonschema`` in Python: a 25-object
list took longer to validate than to build (scenario 1b, bench/README.md). Here
each response schema is also compiled once with ``jsonschema-rs`` (Rust), which
answers "valid?" for the usual, valid response. Only a response it finds invalid
goes through the Python validator (:class:`handlers._validation.ResponseBodyValidator`),
which decides and reports exactly as before: the same 500, the same message, the
same log line. So the fast check may be stricter than the Python one (that costs
time only), never more lenient; the schema it compiles is translated for that:

* OpenAPI 3.0's ``nullable: true`` admits ``null`` (beside ``type`` and ``enum``,
  and beside ``allOf``/``anyOf``/``oneOf``, as genie's Python validator allows);
* a ``writeOnly`` property may not appear in a response (Connexion's rule), so its
  schema becomes one that nothing matches.

``format`` is checked by ``jsonschema-rs`` for draft 4 at least as strictly as by
``jsonschema``'s draft-4 checker (``date-time``, ``email``, ``ipv4``, ``ipv6``,
``regex``); patterns are ECMA regular expressions in both (genie's Python
validator emulates ECMA's ``$``).
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import jsonschema_rs
import orjson
from connexion.datastructures import MediaTypeDict

from handlers._validation import VALIDATOR_MAP, ResponseBodyValidator

_COMPOSITIONS = ("allOf", "anyOf", "oneOf")
#: Matches nothing (draft 4 has no ``false`` schema).
_NOTHING: dict[str, Any] = {"not": {}}


class Cyclic(ValueError):
    """The schema contains itself (a recursive ``$ref``, which Connexion resolves
    into a cycle of dicts): it has no compiled check, only the Python one."""


def rust_schema(schema: Any, _open: frozenset[int] = frozenset()) -> Any:
    """``schema`` with OpenAPI 3.0's ``nullable`` and ``writeOnly`` in draft-4 terms."""
    if isinstance(schema, list):
        return [rust_schema(s, _open) for s in schema]
    if not isinstance(schema, dict):
        return schema
    if id(schema) in _open:
        raise Cyclic()
    if schema.get("writeOnly") is True:
        return _NOTHING
    inner = _open | {id(schema)}
    out = {k: rust_schema(v, inner) for k, v in schema.items() if k != "nullable"}
    if "properties" in schema:  # property names are not schemas' keywords
        out["properties"] = {k: rust_schema(v, inner) for k, v in schema["properties"].items()}
    if schema.get("nullable") is not True:
        return out
    if "enum" in out:
        out["enum"] = [*out["enum"], None]
    if isinstance(out.get("type"), str):
        out["type"] = [out["type"], "null"]
    elif any(keyword in out for keyword in _COMPOSITIONS):
        return {"anyOf": [{"type": "null"}, out]}
    return out


class FastResponseBodyValidator(ResponseBodyValidator):
    """A compiled check first; the Python validator only for what it refuses."""

    _fast: dict[int, tuple[Any, Any]] = {}

    def _fast_validator(self) -> Any:
        """The compiled check of this schema; None where there is none (a recursive
        schema, or one ``jsonschema-rs`` cannot compile): the Python one decides."""
        key = id(self._schema)
        found = self._fast.get(key)
        if found is None or found[0] is not self._schema:
            try:
                fast = jsonschema_rs.Draft4Validator(rust_schema(self._schema))
            except (
                Cyclic,
                ValueError,
                jsonschema_rs.ValidationError,
                jsonschema_rs.ReferencingError,
            ):
                fast = None
            found = (self._schema, fast)
            self._fast[key] = found
        return found[1]

    def _parse(self, stream: Generator[bytes, None, None]) -> Any:
        body = b"".join(stream)
        if self._encoding.lower().replace("-", "") != "utf8":
            return super()._parse(iter((body,)))
        try:
            return orjson.loads(body) if body else None
        except orjson.JSONDecodeError:  # Connexion's parser reports it
            return super()._parse(iter((body,)))

    def _validate(self, body: Any) -> dict[str, Any] | None:
        fast = self._fast_validator()
        if fast is not None and fast.is_valid(body):
            return None
        return super()._validate(body)


RESPONSE_VALIDATOR_MAP = {
    **VALIDATOR_MAP,
    "response": MediaTypeDict({**VALIDATOR_MAP["response"], "*/*json": FastResponseBodyValidator}),
}
