"""Form bodies (``application/x-www-form-urlencoded`` and ``multipart/form-data``)
read into the same dict a JSON body gives, so that one schema validates all three.

Form values are strings; each is converted by the type its property declares in
the body schema, as DRF's fields do with form input:

* ``integer``/``number``: a decimal numeral becomes a number (``"587"`` → 587);
* ``boolean``: ``true/false``, ``1/0``, ``on/off``, ``yes/no``;
* ``array``/``object``: the value is **JSON text** (``env=[{"name": "A", "value":
  "1"}]``), which the spec declares with an ``encoding`` of ``application/json``.
  An array may also come as one part (or key) per item, each item JSON text
  (``env={"name": "A", "value": "1"}`` twice), as OpenAPI encodes arrays in
  multipart bodies;
* an empty value of a ``nullable`` property is ``null``, and so is ``null`` for a
  nullable property that is not a string (as some clients write ``None``).

A value that does not convert is left as the string it was, so validation then
reports the field in the usual way (``A valid integer is required.``). A key
repeated for a field of any other type is a list of values, which validation
refuses (``Not a valid string.``): unlike Django's ``QueryDict``, which keeps the
last one silently, genie does not guess which value was meant. A multipart part
sent as a file (``curl -F ssl_certificate=@cert.pem``) gives its content as text.
"""

from __future__ import annotations

import contextlib
from typing import Any

import orjson
from starlette.formparsers import MultiPartException
from starlette.requests import Request
from starlette.types import Message, Scope

#: Largest form: as many fields and parts as any DjaoDjin body could need, and more.
MAX_FIELDS = 200
MAX_FILES = 20

_TRUE = {"true", "1", "on", "yes"}
_FALSE = {"false", "0", "off", "no"}


class FormError(ValueError):
    """The body is not a well-formed form."""


async def parse_form(scope: Scope, raw: bytes) -> dict[str, list[Any]]:
    """Every value of each field of a form body, files read as text (bytes when
    they are not UTF-8); :class:`FormError` if the body is malformed."""
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": raw, "more_body": False}

    request = Request(scope, receive)
    try:
        form = await request.form(max_files=MAX_FILES, max_fields=MAX_FIELDS)
    except MultiPartException as exc:
        raise FormError(f"Multipart form parse error - {exc.message}") from None
    fields: dict[str, list[Any]] = {}
    try:
        for key, value in form.multi_items():
            item: str | bytes = value if isinstance(value, str) else await value.read()
            if isinstance(item, bytes):
                # Not UTF-8: kept as bytes, which validation calls "Not a valid string."
                with contextlib.suppress(UnicodeDecodeError):
                    item = item.decode("utf-8")
            fields.setdefault(key, []).append(item)
    finally:
        await form.close()
    return fields


def properties_of(schema: Any) -> dict[str, Any]:
    """An object schema's properties, including those of its ``allOf`` parts."""
    if not isinstance(schema, dict):
        return {}
    found: dict[str, Any] = {}
    for part in schema.get("allOf", []):
        found.update(properties_of(part))
    found.update(schema.get("properties", {}))
    return found


def coerce(fields: dict[str, list[Any]], schema: dict[str, Any]) -> dict[str, Any]:
    """Form values converted by the types of ``schema``'s properties."""
    properties = properties_of(schema)
    body: dict[str, Any] = {}
    for key, values in fields.items():
        prop = properties.get(key)
        if len(values) > 1:
            is_array = isinstance(prop, dict) and prop.get("type") == "array"
            body[key] = [_json_or_text(v) for v in values] if is_array else values
            continue
        value = _coerce(values[-1], prop)
        if isinstance(prop, dict) and prop.get("type") == "array" and isinstance(value, dict):
            value = [value]  # the one item of a list sent a part per item
        body[key] = value
    return body


def _json_or_text(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return orjson.loads(value)
        except orjson.JSONDecodeError:
            return value  # plain text: kept as sent
    return value


def _coerce(value: Any, schema: dict[str, Any] | None) -> Any:
    if not isinstance(value, str) or not isinstance(schema, dict):
        return value
    kind = schema.get("type")
    if schema.get("nullable") and (value == "" or (value == "null" and kind != "string")):
        return None
    text = value.strip()
    if kind == "integer":
        digits = text.lstrip("+-")
        return int(text) if digits.isdigit() and digits.isascii() else value
    if kind == "number":
        try:
            return float(text)
        except ValueError:
            return value
    if kind == "boolean":
        lowered = text.lower()
        return True if lowered in _TRUE else False if lowered in _FALSE else value
    if kind in {"array", "object"}:
        try:
            return orjson.loads(value)
        except orjson.JSONDecodeError:
            return value
    return value
