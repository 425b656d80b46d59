"""Form bodies (``application/x-www-form-urlencoded`` and ``multipart/form-data``)
read into the same dict a JSON body gives, so that one schema validates all three.

Form values are strings; each is converted by the type its property declares in
the body schema, as DRF's fields do with form input:

* ``integer``/``number``: a decimal numeral becomes a number (``"587"`` → 587);
* ``boolean``: ``true/false``, ``1/0``, ``on/off``, ``yes/no``;
* ``array``/``object``: the value is **JSON text** (``env=[{"name": "A", "value":
  "1"}]``), which the spec declares with an ``encoding`` of ``application/json``;
* an empty value of a ``nullable`` property is ``null``, and so is ``null`` for a
  nullable property that is not a string (as some clients write ``None``).

A value that does not convert is left as the string it was, so validation then
reports the field in the usual way (``A valid integer is required.``). When a key
repeats, the last value wins (Django's ``QueryDict``). A multipart part sent as a
file (``curl -F ssl_certificate=@cert.pem``) gives its content as text.
"""

from __future__ import annotations

from typing import Any

import orjson
from starlette.datastructures import UploadFile
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


async def parse_form(scope: Scope, raw: bytes) -> dict[str, Any]:
    """The fields of a form body, files read as text; :class:`FormError` if malformed."""
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
    fields: dict[str, Any] = {}
    try:
        for key, value in form.multi_items():
            if isinstance(value, UploadFile):
                content = await value.read()
                try:
                    fields[key] = content.decode("utf-8")
                except UnicodeDecodeError:
                    fields[key] = content  # not text: validation says "Not a valid string."
            else:
                fields[key] = value
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


def coerce(fields: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    """Form strings converted by the types of ``schema``'s properties."""
    properties = properties_of(schema)
    return {key: _coerce(value, properties.get(key)) for key, value in fields.items()}


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
