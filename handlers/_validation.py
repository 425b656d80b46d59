"""Request validation: every error at once, as a field map.

Connexion's stock validation stops at the first error and reports it as a
formatted string. This module replaces its request-validation middleware with one
whose per-operation object is built once (validators compiled at start-up, no
per-request spec traversal) and which:

* validates every parameter and the JSON body, collecting all errors with their
  field names, then raises one :class:`ValidationFailed`;
* never buffers a raw (``format: binary``) or multipart body: it only peeks at
  the first chunk to see whether the body is empty, and hides form content types
  from Connexion so that it does not parse the upload as a form. The original ``Content-Type``
  stays available through :func:`raw_content_type`.

Messages follow each original's style:

* Djinn: the field's label, then the reason (``Name field required``, ``Page must
  be at least 1``). A schema or parameter may set ``x-label`` to override the
  label (``Payload URL``), and ``x-pattern-message`` to word a ``pattern`` failure
  (``can only have letters, and numbers``). An empty string where one is required
  is ``<Label> field required``. ``x-missing-as: other`` on a property reports it
  missing or empty as ``<Other> field required`` under ``other`` (an image's
  ``download_url`` stands for its ``file``: with neither, the file is missing).
* DjaoDjin (an API added with ``drf=True``): Django
  REST Framework's wording (``This field is required.``, ``Ensure this field has
  no more than 25 characters.``), errors of list items as one dict per item, and
  errors about the whole body under :data:`NON_FIELD_ERRORS`. A schema may set
  ``x-pattern-message`` for what a failed ``pattern`` or ``format`` says.
  Bodies may be JSON, form-urlencoded or multipart (:mod:`handlers._forms`); all
  three are validated by the same schema and reach the handler as the same JSON
  object. An empty body (no bytes), of any type, is an empty object; one of only
  whitespace is not empty (as JSON it is malformed); a non-empty body of an
  undeclared type is 415.
"""

from __future__ import annotations

import ast
import functools
import logging
import re
from collections.abc import Iterator, MutableMapping
from typing import Any

import orjson
from connexion.datastructures import MediaTypeDict
from connexion.json_schema import (
    Draft4RequestValidator,
    Draft4ResponseValidator,
    allow_nullable,
)
from connexion.lifecycle import ConnexionRequest
from connexion.middleware.request_validation import (
    RequestValidationAPI,
    RequestValidationMiddleware,
    RequestValidationOperation,
)
from connexion.operations import AbstractOperation
from connexion.validators import JSONResponseBodyValidator, TextResponseBodyValidator
from jsonschema import Draft4Validator, ValidationError
from jsonschema.validators import extend
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import Message, Receive, Scope, Send

from handlers._errors import (
    NON_FIELD_ERRORS,
    FieldErrors,
    UnsupportedMediaType,
    ValidationFailed,
)
from handlers._forms import FormError, coerce, parse_form, properties_of

logger = logging.getLogger(__name__)

#: Where the original Content-Type of a raw upload is kept in the ASGI scope.
RAW_CONTENT_TYPE_KEY = "genie.raw_content_type"
#: JSON bodies larger than this are refused before parsing.
MAX_JSON_BODY = 1024 * 1024

_FORMAT_CHECKER = Draft4Validator.FORMAT_CHECKER

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
_REQUIRED = re.compile(r"^(.*) is a required property$")
_UNEXPECTED = re.compile(r"\((.*) (?:was|were) unexpected\)")
_ARTICLES = {"integer": "an integer", "object": "an object", "array": "an array"}
#: Parameter types an empty value cannot be.
_ARTICLES_BY_TYPE = {"integer": "an integer", "number": "a number", "boolean": "a boolean"}
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
#: A body that did not parse (its error is already recorded).
_UNPARSED = object()
_PY_TYPES = {str: "str", bool: "bool", int: "int", float: "float", list: "list", dict: "dict"}
_JSON_TYPES = {
    str: "string",
    bool: "bool",
    int: "number",
    float: "number",
    list: "array",
    dict: "object",
    type(None): "null",
}


def raw_content_type(scope: MutableMapping[str, Any]) -> str | None:
    """The Content-Type a raw upload arrived with (``None`` when absent)."""
    return scope.get(RAW_CONTENT_TYPE_KEY)


def label_for(name: str, schema: dict[str, Any] | None = None) -> str:
    if schema and isinstance(schema.get("x-label"), str):
        return str(schema["x-label"])
    return name[:1].upper() + name[1:]


def describe(error: ValidationError, label: str, *, in_body: bool) -> str:
    """One error's message, in the originals' wording."""
    kind = error.validator
    value = error.validator_value
    schema = error.schema if isinstance(error.schema, dict) else {}
    if kind == "type":
        wanted = value if isinstance(value, str) else "/".join(value)
        if in_body:
            got = _JSON_TYPES.get(type(error.instance), "value")
            return f"cannot unmarshal {got} to {wanted}"
        return f"{label} must be {_ARTICLES.get(wanted, 'a ' + wanted)}"
    if kind == "minLength":
        low, high = value, schema.get("maxLength")
        if low <= 1 or error.instance == "":
            return f"{label} field required"
        if high is not None:
            return f"{label} must be between {low} and {high} characters in length"
        return f"{label} cannot be shorter than {low} characters in length"
    if kind == "maxLength":
        low = schema.get("minLength")
        if low is not None and low > 1:
            return f"{label} must be between {low} and {value} characters in length"
        return f"{label} cannot be longer than {value} characters in length"
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


def _property_name(error: ValidationError, pattern: re.Pattern[str]) -> list[str]:
    match = pattern.search(error.message)
    if not match:
        return []
    text = match.group(1)
    try:
        names = ast.literal_eval(f"[{text}]")
    except (ValueError, SyntaxError):
        return [text.strip("'\"")]
    return [str(n) for n in names]


def collect_body_errors(
    validator: Draft4Validator, body: Any, errors: FieldErrors, *, root: str = "body"
) -> None:
    """Add every schema error of ``body`` to ``errors``, keyed by top-level field."""
    properties = validator.schema.get("properties", {})
    for error in sorted(validator.iter_errors(body), key=lambda e: list(e.absolute_path)):
        path = [str(p) for p in error.absolute_path]
        if error.validator == "required":
            for name in _property_name(error, _REQUIRED):
                parent = error.schema if isinstance(error.schema, dict) else {}
                sub = parent.get("properties", {}).get(name)
                if not path:
                    errors.add(*_missing(name, sub))
                else:
                    errors.add(path[0], f"{label_for(name, sub)} field required")
            continue
        if error.validator == "additionalProperties" and not path:
            for name in _property_name(error, _UNEXPECTED):
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


def _py_type(value: Any) -> str:
    return _PY_TYPES.get(type(value), type(value).__name__)


def drf_describe(error: ValidationError) -> str:
    """One error in Django REST Framework's words."""
    kind = error.validator
    value = error.validator_value
    schema = error.schema if isinstance(error.schema, dict) else {}
    instance = error.instance
    if kind == "type":
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
    if kind == "minLength":
        if value <= 1 and instance == "":
            return "This field may not be blank."
        return f"Ensure this field has at least {value} characters."
    if kind == "maxLength":
        return f"Ensure this field has no more than {value} characters."
    if kind in {"pattern", "format"}:
        custom = schema.get("x-pattern-message")
        if isinstance(custom, str):
            return custom
        if kind == "format" and value == "email":
            return "Enter a valid email address."
        return "This value does not match the required pattern."
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
        names = _property_name(error, _REQUIRED) if required else []
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


class _Parameter:
    __slots__ = ("label", "location", "name", "required", "schema", "validator")

    def __init__(self, spec: dict[str, Any]) -> None:
        self.name: str = spec["name"]
        self.location: str = spec["in"]
        self.required: bool = bool(spec.get("required"))
        self.schema: dict[str, Any] = spec.get("schema", {})
        self.label = label_for(self.name, {**self.schema, **spec})
        self.validator = RequestSchemaValidator(self.schema, format_checker=_FORMAT_CHECKER)


class FieldRequestValidationOperation(RequestValidationOperation):
    """Per-operation validation, compiled once."""

    def __init__(
        self, next_app: Any, *, operation: AbstractOperation, drf: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(next_app, operation=operation, **kwargs)
        op = operation
        #: DjaoDjin: DRF wording, and JSON, form and multipart bodies alike.
        self._drf = drf
        self._uri_parser = op.uri_parser_class(op.parameters, op.body_definition())
        self._parameters = [_Parameter(p) for p in op.parameters]
        self._has_query = any(p.location == "query" for p in self._parameters)
        request_body = op.request_body or {}
        self._body_required = bool(request_body.get("required"))
        self._body_name = str(request_body.get("x-body-name") or "body")
        self._body_label = label_for(self._body_name)
        self._consumes = MediaTypeDict([(c.lower(), c) for c in op.consumes])
        self._raw: dict[str, bool] = {}
        self._validators: dict[str, Draft4Validator | None] = {}
        for media_type in request_body.get("content", {}):
            schema = op.body_schema(media_type)
            self._raw[media_type] = _is_streamed(media_type, schema)
            self._validators[media_type] = (
                RequestSchemaValidator(schema, format_checker=_FORMAT_CHECKER)
                if schema and not self._raw[media_type]
                else None
            )

    def _declared_type(self, mime_type: str) -> str | None:
        try:
            return str(self._consumes[mime_type.lower()])
        except KeyError:
            return None

    def _check_parameters(self, scope: Scope, errors: FieldErrors) -> None:
        if not self._parameters:
            return
        request = ConnexionRequest(scope, uri_parser=self._uri_parser)
        query = request.query_params if self._has_query else {}
        for param in self._parameters:
            if param.location == "query":
                value = query.get(param.name)
            elif param.location == "path":
                value = request.path_params.get(param.name.replace("-", "_"))
            elif param.location == "header":
                value = request.headers.get(param.name)
            else:
                value = request.cookies.get(param.name)
            if _absent(param, value, errors):
                continue
            for error in param.validator.iter_errors(value):
                if self._drf:
                    errors.add(param.name, drf_describe(error))
                else:
                    errors.add(param.name, describe(error, param.label, in_body=False))

    async def _peek_empty(self, receive: Receive) -> tuple[bool, Receive]:
        """Whether the body is empty, reading only up to its first bytes."""
        seen: list[Message] = []
        while True:
            message = await receive()
            seen.append(message)
            if message.get("type") != "http.request":
                empty = False  # a disconnect: let the handler see it
                break
            if message.get("body"):
                empty = False
                break
            if not message.get("more_body", False):
                empty = True
                break

        async def replay() -> Message:
            if seen:
                return seen.pop(0)
            return await receive()

        return empty, replay

    @staticmethod
    async def _read_body(receive: Receive) -> bytes | None:
        """The whole body; ``None`` when larger than :data:`MAX_JSON_BODY` or the
        client went away."""
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return None
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > MAX_JSON_BODY:
                return None
            chunks.append(chunk)
            more = message.get("more_body", False)
        return b"".join(chunks)

    async def _read_json(self, receive: Receive, errors: FieldErrors) -> tuple[Any, bytes, bool]:
        raw = await self._read_body(receive)
        if raw is None:
            errors.add(self._body_name, f"{self._body_label} is too large")
            return None, b"", False
        if not raw:
            return {}, raw, True
        try:
            return orjson.loads(raw), raw, True
        except orjson.JSONDecodeError as exc:
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError:
                errors.add(self._body_name, f"{self._body_label} is not valid UTF-8")
            else:
                errors.add(self._body_name, f"{self._body_label} is not valid JSON: {exc}")
            return None, raw, False

    async def _drf_body(
        self, scope: Scope, receive: Receive, errors: FieldErrors
    ) -> tuple[Scope, Receive]:
        """Read, parse and validate a DjaoDjin body; the handler then always sees the
        result as ``application/json``."""
        content_type = Headers(scope=scope).get("content-type")
        mime_type = (content_type or "").split(";", 1)[0].strip().lower()
        raw = await self._read_body(receive)
        if raw is None:
            errors.add(NON_FIELD_ERRORS, "Request body is too large.")
            return scope, receive
        body: Any = {}
        declared = self._declared_type(mime_type) if mime_type else self._default_type()
        # One schema decides for every encoding: the JSON one (form schemas describe
        # the same fields as they travel in a form).
        validator = self._validators.get("application/json") or next(
            (v for v in self._validators.values() if v is not None), None
        )
        if raw:
            if declared is None:
                raise UnsupportedMediaType(
                    f"Unsupported media type {mime_type!r}", media_type=mime_type
                )
            body = await self._parse(scope, raw, declared, errors, validator)
        if validator is not None and body is not _UNPARSED:
            collect_drf_errors(validator, body, errors)
        if errors:
            return scope, receive
        scope = _set_content_type(scope, "application/json")
        scope[RAW_CONTENT_TYPE_KEY] = content_type
        return scope, _replay(orjson.dumps(body if isinstance(body, dict) else {}), receive)

    async def _form_body(
        self, scope: Scope, receive: Receive, errors: FieldErrors, validator: Draft4Validator
    ) -> tuple[Scope, Receive]:
        """A Djinn-style form body (the OAuth forms): parsed, validated like JSON, and
        handed on as JSON, as :meth:`_drf_body` does."""
        content_type = Headers(scope=scope).get("content-type")
        raw = await self._read_body(receive)
        if raw is None:
            errors.add(self._body_name, f"{self._body_label} is too large")
            return scope, receive
        body: Any = {}
        if raw.strip():
            body = await self._parse(scope, raw, FORM_TYPES[0], errors, validator)
        if body is not _UNPARSED:
            collect_body_errors(validator, body, errors, root=self._body_name)
        scope = _set_content_type(scope, "application/json")
        scope[RAW_CONTENT_TYPE_KEY] = content_type
        return scope, _replay(orjson.dumps(body if isinstance(body, dict) else {}), receive)

    def _default_type(self) -> str | None:
        """The type of a body sent without ``Content-Type``: JSON when declared."""
        if "application/json" in self._raw:
            return "application/json"
        return next(iter(self._raw), None)

    async def _parse(
        self,
        scope: Scope,
        raw: bytes,
        declared: str,
        errors: FieldErrors,
        validator: Draft4Validator | None,
    ) -> Any:
        """The body as a JSON value; :data:`_UNPARSED` (and an error) when it does not parse."""
        if declared.lower() in FORM_TYPES:
            try:
                fields = await parse_form(scope, raw)
            except FormError as exc:
                errors.add(NON_FIELD_ERRORS, str(exc))
                return _UNPARSED
            return coerce(fields, validator.schema if validator is not None else {})
        try:
            return orjson.loads(raw)
        except orjson.JSONDecodeError as exc:
            errors.add(NON_FIELD_ERRORS, f"JSON parse error - {exc}")
            return _UNPARSED

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        errors = FieldErrors()
        self._check_parameters(scope, errors)
        if self._drf and self._validators:
            scope, receive = await self._drf_body(scope, receive, errors)
            if errors:
                raise ValidationFailed(errors)
            await self.next_app(scope, receive, send)
            return

        headers = Headers(scope=scope)
        content_type = headers.get("content-type")
        mime_type = (content_type or "").split(";", 1)[0].strip().lower()
        if mime_type:
            declared = self._declared_type(mime_type)
            if declared is None and "*/*" in self._raw:
                declared = "*/*"  # the operation takes anything, even a malformed type
        else:
            # Without a Content-Type, the body is the first media type declared;
            # Connexion downstream must read it as that type too.
            declared = next(iter(self._raw), None)
            if declared is not None and not self._raw[declared]:
                scope = _set_content_type(scope, declared)
        if declared is not None and self._raw.get(declared):
            scope = _hide_content_type(scope, content_type)
            if self._body_required:
                empty, receive = await self._peek_empty(receive)
                if empty:
                    errors.add(self._body_name, f"{self._body_label} field required")
        elif self._validators:
            if mime_type and declared is None:
                self.validate_mime_type(mime_type)  # raises 415
            validator = self._validators.get(declared or "")
            if validator is not None and declared in FORM_TYPES:
                scope, receive = await self._form_body(scope, receive, errors, validator)
            elif validator is not None:
                body, raw, parsed = await self._read_json(receive, errors)
                if parsed:
                    collect_body_errors(validator, body, errors, root=self._body_name)
                receive = _replay(raw, receive)
        if errors:
            raise ValidationFailed(errors)
        await self.next_app(scope, receive, send)


def _is_binary(schema: Any) -> bool:
    return isinstance(schema, dict) and schema.get("format") == "binary"


def _is_streamed(media_type: str, schema: dict[str, Any] | None) -> bool:
    """Raw binary bodies and multipart uploads (of a binary field) go to the handler
    as a stream; other multipart bodies are forms."""
    if not schema:
        return media_type.lower().startswith("multipart/")
    if media_type.lower().startswith("multipart/"):
        properties = properties_of(schema)
        return not properties or any(_is_binary(p) for p in properties.values())
    return schema.get("type") == "string" and schema.get("format") == "binary"


def _set_content_type(scope: Scope, content_type: str) -> Scope:
    scope = dict(scope)
    scope["headers"] = list(scope["headers"])
    MutableHeaders(scope=scope)["content-type"] = content_type
    return scope


def _hide_content_type(scope: Scope, content_type: str | None) -> Scope:
    """Keep the upload's Content-Type aside and show Connexion a raw one."""
    scope = _set_content_type(scope, "application/octet-stream")
    scope[RAW_CONTENT_TYPE_KEY] = content_type
    return scope


def _replay(raw: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": raw, "more_body": False}
        return await receive()

    return replay


class ResponseBodyValidator(JSONResponseBodyValidator):
    """Response validation (tests only) with nullable compositions, compiled once per schema."""

    _compiled: dict[int, Draft4Validator] = {}

    @property
    def validator(self) -> Draft4Validator:
        key = id(self._schema)
        compiled = self._compiled.get(key)
        if compiled is None or compiled.schema is not self._schema:
            compiled = ResponseSchemaValidator(self._schema, format_checker=_FORMAT_CHECKER)
            self._compiled[key] = compiled
        return compiled


VALIDATOR_MAP = {
    "response": MediaTypeDict(
        {"*/*json": ResponseBodyValidator, "text/plain": TextResponseBodyValidator}
    )
}


class FieldRequestValidationAPI(RequestValidationAPI):
    """``drf=True`` (passed through ``add_api``) validates in DjaoDjin's style."""

    def __init__(self, *args: Any, drf: bool = False, **kwargs: Any) -> None:
        self.drf = drf  # make_operation runs inside the base __init__
        super().__init__(*args, **kwargs)

    def make_operation(self, operation: AbstractOperation) -> RequestValidationOperation:
        return FieldRequestValidationOperation(
            self.next_app,
            operation=operation,
            drf=self.drf,
            strict_validation=self.strict_validation,
            validator_map=self.validator_map,
        )


class FieldRequestValidationMiddleware(RequestValidationMiddleware):
    """Drop-in replacement for Connexion's request-validation middleware."""

    api_cls = FieldRequestValidationAPI


def _absent(param: Any, value: str | None, errors: FieldErrors) -> bool:
    """Whether a parameter counts as not sent, noting the error when one is owed.

    An empty value (``?search=``) means "no filter" for free text, but it is not
    absent where no empty value is valid: a required parameter, a number
    (``?page=``: Connexion would crash on it) or a choice from an enum
    (``?status=``, which is left for the schema to refuse by its enum).
    """
    if value is not None and value != "":
        return False
    if param.required:
        errors.add(param.name, f"{param.label} field required")
        return True
    if value is None:
        return True
    kind = param.schema.get("type")
    if kind in _ARTICLES_BY_TYPE:
        errors.add(param.name, f"{param.label} must be {_ARTICLES_BY_TYPE[kind]}")
        return True
    return "enum" not in param.schema
