"""DjaoDjin's wording: Django REST Framework's messages and error shapes.

``This field is required.``, ``Ensure this field has no more than 25
characters.``; errors of list items as one dict per item, errors about the whole
body under :data:`NON_FIELD_ERRORS`, and fields in the schema's order, as DRF lists
them in the serializer's. A schema may set ``x-pattern-message`` for what a failed
``pattern`` or ``format`` says.
"""

from __future__ import annotations

from typing import Any

from jsonschema import Draft4Validator, ValidationError

from handlers._errors import NON_FIELD_ERRORS, FieldErrors
from handlers._forms import properties_of
from handlers._validation._schema import REQUIRED, property_names

_PY_TYPES = {str: "str", bool: "bool", int: "int", float: "float", list: "list", dict: "dict"}


def _py_type(value: Any) -> str:
    return _PY_TYPES.get(type(value), type(value).__name__)


def drf_describe(error: ValidationError) -> str:
    """One error in Django REST Framework's words."""
    kind = error.validator
    value = error.validator_value
    instance = error.instance
    if kind == "type":
        return _wrong_type(value, instance)
    if kind == "minLength":
        if value <= 1 and instance == "":
            return "This field may not be blank."
        return f"Ensure this field has at least {value} characters."
    if kind == "maxLength":
        return f"Ensure this field has no more than {value} characters."
    if kind in {"pattern", "format"}:
        return _mismatch(error)
    if kind == "enum":
        return f'"{instance}" is not a valid choice.'
    if kind == "minimum":
        return f"Ensure this value is greater than or equal to {value}."
    if kind == "maximum":
        return f"Ensure this value is less than or equal to {value}."
    if kind == "maxItems":
        return f"Ensure this field has no more than {value} elements."
    if kind == "minItems":
        return f"Ensure this field has at least {value} elements."
    return "Invalid value."


def _wrong_type(value: Any, instance: Any) -> str:
    """A ``type`` error, in the words of the DRF field that type maps to."""
    wanted = value if isinstance(value, str) else value[0]
    if instance is None:
        return "This field may not be null."
    return {
        "integer": "A valid integer is required.",
        "number": "A valid number is required.",
        "string": "Not a valid string.",
        "boolean": "Must be a valid boolean.",
        "array": f'Expected a list of items but got type "{_py_type(instance)}".',
        "object": f"Invalid data. Expected a dictionary, but got {_py_type(instance)}.",
    }.get(wanted, "Invalid value.")


def _mismatch(error: ValidationError) -> str:
    """A ``pattern`` or ``format`` error: the schema's own words when it has them,
    DRF's ``EmailField`` or ``RegexField`` message otherwise."""
    schema = error.schema if isinstance(error.schema, dict) else {}
    custom = schema.get("x-pattern-message")
    if isinstance(custom, str):
        return custom
    if error.validator == "format" and error.validator_value == "email":
        return "Enter a valid email address."
    return "This value does not match the required pattern."


def collect_drf_errors(validator: Draft4Validator, body: Any, errors: FieldErrors) -> None:
    """Add every schema error of ``body`` to ``errors``, shaped as DRF shapes them."""
    for error in sorted(validator.iter_errors(body), key=lambda e: list(e.absolute_path)):
        path = list(error.absolute_path)
        required = error.validator == "required"
        if required:
            message = "This field is required."
        elif error.instance is None and path:
            message = "This field may not be null."  # whatever else the schema asks
        else:
            message = drf_describe(error)
        names = property_names(error, REQUIRED) if required else []
        if not path:
            if required:
                for name in names:
                    errors.add(name, message)
            else:
                errors.add(NON_FIELD_ERRORS, message)
            continue
        field = str(path[0])
        items = body.get(field) if isinstance(body, dict) else None
        if len(path) >= 2 and isinstance(path[1], int) and isinstance(items, list):
            index = path[1]
            if required:
                for name in names:
                    errors.add_item(field, len(items), index, name, message)
            else:
                key = str(path[2]) if len(path) >= 3 else NON_FIELD_ERRORS
                errors.add_item(field, len(items), index, key, message)
        elif not required:
            errors.add(field, message)
    _null_characters(body, errors)
    _order_like(errors, properties_of(validator.schema))


def _null_characters(body: Any, errors: FieldErrors) -> None:
    """DRF's ``ProhibitNullCharactersValidator``: no string may hold U+0000 (nor
    could PostgreSQL store it)."""
    if not isinstance(body, dict):
        return
    message = "Null characters are not allowed."
    for field, value in body.items():
        if isinstance(value, str) and "\x00" in value:
            errors.add(field, message)
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, dict):
                    for key, text in item.items():
                        if isinstance(text, str) and "\x00" in text:
                            errors.add_item(field, len(value), index, key, message)


def _order_like(errors: FieldErrors, properties: dict[str, Any]) -> None:
    """Fields (and the keys of list items' errors) in the schema's order, as DRF
    lists them in the serializer's field order."""
    order = {name: i for i, name in enumerate(properties)}
    ordered = sorted(errors.items(), key=lambda kv: order.get(kv[0], len(order)))
    errors.clear()
    for field, value in ordered:
        item_schema = properties.get(field, {}).get("items", {})
        item_order = {name: i for i, name in enumerate(properties_of(item_schema))}
        errors[field] = [
            dict(sorted(v.items(), key=lambda kv: item_order.get(kv[0], len(item_order))))
            if isinstance(v, dict)
            else v
            for v in value
        ]
