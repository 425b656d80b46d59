"""Djinn's wording: each error under its field, as the field's label and the reason.

``Name field required``, ``Page must be at least 1``. A schema or parameter may set
``x-label`` to override the label (``Payload URL``), and ``x-pattern-message`` to
word a ``pattern`` failure (``can only have letters, and numbers``). An empty
string where one is required is ``<Label> field required``. ``x-missing-as:
other`` on a property reports it missing or empty as ``<Other> field required``
under ``other`` (an image's ``download_url`` stands for its ``file``: with neither,
the file is missing).
"""

from __future__ import annotations

from typing import Any

from jsonschema import Draft4Validator, ValidationError

from handlers._errors import FieldErrors
from handlers._validation._schema import REQUIRED, UNEXPECTED, property_names

_ARTICLES = {"integer": "an integer", "object": "an object", "array": "an array"}
_JSON_TYPES = {
    str: "string",
    bool: "bool",
    int: "number",
    float: "number",
    list: "array",
    dict: "object",
    type(None): "null",
}


def label_for(name: str, schema: dict[str, Any] | None = None) -> str:
    """How messages name a field: its ``x-label``, else its name capitalised."""
    if schema and isinstance(schema.get("x-label"), str):
        return str(schema["x-label"])
    return name[:1].upper() + name[1:]


def describe(error: ValidationError, label: str, *, in_body: bool) -> str:
    """One error's message, in the originals' wording."""
    kind = error.validator
    value = error.validator_value
    schema = error.schema if isinstance(error.schema, dict) else {}
    if kind == "type":
        return _wrong_type(error, label, in_body=in_body)
    if kind in {"minLength", "maxLength"}:
        return _wrong_length(error, label, schema)
    if kind == "pattern":
        if error.instance == "" and schema.get("minLength"):
            return f"{label} field required"
        if isinstance(schema.get("x-pattern-message"), str):
            return f"{label} {schema['x-pattern-message']}"
        return f"{label} does not match {value}"
    if kind == "enum":
        return f"{label} must be one of {', '.join(str(v) for v in value)}"
    if kind == "minimum":
        return f"{label} must be at least {value}"
    if kind == "maximum":
        return f"{label} must be at most {value}"
    if kind == "format":
        return f"{label} is not a valid {value}"
    if kind in {"minItems", "maxItems"}:
        word = "fewer" if kind == "minItems" else "more"
        return f"{label} cannot have {word} than {value} items"
    return f"{label} is invalid"


def _wrong_type(error: ValidationError, label: str, *, in_body: bool) -> str:
    """A ``type`` error: a body's as the original words a value it cannot decode,
    a parameter's by the type it must be."""
    value = error.validator_value
    wanted = value if isinstance(value, str) else "/".join(value)
    if in_body:
        got = _JSON_TYPES.get(type(error.instance), "value")
        return f"cannot unmarshal {got} to {wanted}"
    return f"{label} must be {_ARTICLES.get(wanted, 'a ' + wanted)}"


def _wrong_length(error: ValidationError, label: str, schema: dict[str, Any]) -> str:
    """A ``minLength`` or ``maxLength`` error: the range when the schema bounds both
    ends, and a minimum of one (or an empty string) as the field missing."""
    value = error.validator_value
    if error.validator == "minLength":
        low, high = value, schema.get("maxLength")
        if low <= 1 or error.instance == "":
            return f"{label} field required"
        if high is not None:
            return f"{label} must be between {low} and {high} characters in length"
        return f"{label} cannot be shorter than {low} characters in length"
    low = schema.get("minLength")
    if low is not None and low > 1:
        return f"{label} must be between {low} and {value} characters in length"
    return f"{label} cannot be longer than {value} characters in length"


def collect_body_errors(
    validator: Draft4Validator, body: Any, errors: FieldErrors, *, root: str = "body"
) -> None:
    """Add every schema error of ``body`` to ``errors``, keyed by top-level field."""
    properties = validator.schema.get("properties", {})
    for error in sorted(validator.iter_errors(body), key=lambda e: list(e.absolute_path)):
        path = [str(p) for p in error.absolute_path]
        if error.validator == "required":
            for name in property_names(error, REQUIRED):
                parent = error.schema if isinstance(error.schema, dict) else {}
                sub = parent.get("properties", {}).get(name)
                if not path:
                    errors.add(*_missing(name, sub))
                else:
                    errors.add(path[0], f"{label_for(name, sub)} field required")
            continue
        if error.validator == "additionalProperties" and not path:
            for name in property_names(error, UNEXPECTED):
                errors.add(name, f"{label_for(name)} is not a known field")
            continue
        if not path:
            if error.validator == "type":
                errors.add(root, f"{label_for(root)} must be a JSON {error.validator_value}")
            else:
                errors.add(root, f"{label_for(root)} is invalid")
            continue
        field = path[0]
        sub = properties.get(field) if len(path) == 1 else error.schema
        if len(path) == 1 and error.instance == "" and sub.get("x-missing-as"):
            errors.add(*_missing(field, sub))
            continue
        errors.add(field, describe(error, label_for(field, sub), in_body=True))


def _missing(name: str, schema: dict[str, Any] | None) -> tuple[str, str]:
    """The field and message for a missing top-level property (see ``x-missing-as``)."""
    if schema and schema.get("x-missing-as"):
        name, schema = str(schema["x-missing-as"]), None
    return name, f"{label_for(name, schema)} field required"
