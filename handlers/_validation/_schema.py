"""The JSON Schema dialect the specs are checked in, and reading its errors.

Connexion's Draft 4 validators, for requests and for responses alike, with the two
corrections the specs rely on: ``nullable`` beside a composition, and ECMA-262's
``$``. jsonschema names the properties of a ``required`` or
``additionalProperties`` error only in its message, so :func:`property_names` reads
them back from there for both wordings (:mod:`._djinn`, :mod:`._drf`).
"""

from __future__ import annotations

import ast
import functools
import re
from collections.abc import Iterator
from typing import Any

from connexion.datastructures import MediaTypeDict
from connexion.json_schema import (
    Draft4RequestValidator,
    Draft4ResponseValidator,
    allow_nullable,
)
from connexion.validators import JSONResponseBodyValidator, TextResponseBodyValidator
from jsonschema import Draft4Validator, ValidationError
from jsonschema.validators import extend

FORMAT_CHECKER = Draft4Validator.FORMAT_CHECKER

# OpenAPI 3.0 puts ``nullable`` beside ``allOf`` for a nullable reference
# (``allOf: [$ref: User], nullable: true``); Connexion honours it only beside
# ``type`` and ``enum``.
_NULLABLE_COMPOSITIONS = {
    keyword: allow_nullable(Draft4Validator.VALIDATORS[keyword])
    for keyword in ("allOf", "anyOf", "oneOf")
}


@functools.lru_cache(maxsize=512)
def ecma_regex(pattern: str) -> re.Pattern[str]:
    """``pattern`` with ECMA-262's ``$``, as JSON Schema means it: the end of the
    string. Python's ``$`` also matches before a final newline, so ``^[a-z]+$``
    let ``"abc\\n"`` through as a name. Every unescaped ``$`` outside a character
    class becomes ``\\Z``."""
    out: list[str] = []
    escaped = in_class = False
    for char in pattern:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "[":
            in_class = True
        elif char == "]":
            in_class = False
        elif char == "$" and not in_class:
            char = r"\Z"
        out.append(char)
    return re.compile("".join(out))


def _ecma_pattern(
    validator: Draft4Validator, pattern: str, instance: Any, _schema: dict[str, Any]
) -> Iterator[ValidationError]:
    if validator.is_type(instance, "string") and not ecma_regex(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


_KEYWORDS = {**_NULLABLE_COMPOSITIONS, "pattern": _ecma_pattern}
RequestSchemaValidator = extend(Draft4RequestValidator, _KEYWORDS)
ResponseSchemaValidator = extend(Draft4ResponseValidator, _KEYWORDS)
#: The message of a ``required`` error, naming the missing property.
REQUIRED = re.compile(r"^(.*) is a required property$")
#: The message of an ``additionalProperties`` error, naming the unknown ones.
UNEXPECTED = re.compile(r"\((.*) (?:was|were) unexpected\)")


def property_names(error: ValidationError, pattern: re.Pattern[str]) -> list[str]:
    """The property names ``pattern`` finds in ``error``'s message (none when it
    does not match)."""
    match = pattern.search(error.message)
    if not match:
        return []
    text = match.group(1)
    try:
        names = ast.literal_eval(f"[{text}]")
    except (ValueError, SyntaxError):
        return [text.strip("'\"")]
    return [str(n) for n in names]


class ResponseBodyValidator(JSONResponseBodyValidator):
    """Response validation (tests only) with nullable compositions, compiled once per schema."""

    _compiled: dict[int, Draft4Validator] = {}

    @property
    def validator(self) -> Draft4Validator:
        key = id(self._schema)
        compiled = self._compiled.get(key)
        if compiled is None or compiled.schema is not self._schema:
            compiled = ResponseSchemaValidator(self._schema, format_checker=FORMAT_CHECKER)
            self._compiled[key] = compiled
        return compiled


VALIDATOR_MAP = {
    "response": MediaTypeDict(
        {"*/*json": ResponseBodyValidator, "text/plain": TextResponseBodyValidator}
    )
}
