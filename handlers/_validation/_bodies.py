"""Body checks: what an operation's request body is declared as, and reading,
parsing and validating it into the JSON object the handler receives.

A Djinn body is JSON (a form for the OAuth forms); a DjaoDjin body may be JSON,
form-urlencoded or multipart (:mod:`handlers._forms`), all three validated by the
same schema and handed on as the same JSON object. For DjaoDjin an empty body (no
bytes), of any type, is an empty object; one of only whitespace is not empty (as
JSON it is malformed); a non-empty body of an undeclared type is 415. Streamed
bodies are only checked for presence (:mod:`._streams`).
"""

from __future__ import annotations

from typing import Any

import orjson
from connexion.datastructures import MediaTypeDict
from connexion.operations import AbstractOperation
from jsonschema import Draft4Validator
from starlette.datastructures import Headers
from starlette.types import Receive, Scope

from handlers._errors import NON_FIELD_ERRORS, FieldErrors, UnsupportedMediaType
from handlers._forms import FormError, coerce, parse_form
from handlers._validation._compiled import compiled
from handlers._validation._djinn import collect_body_errors, label_for
from handlers._validation._drf import collect_drf_errors
from handlers._validation._schema import FORMAT_CHECKER, RequestSchemaValidator
from handlers._validation._streams import (
    is_streamed,
    mime_type_of,
    peek_empty,
    read_body,
    replay,
    set_content_type,
    show_content_type,
)

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
#: A body that did not parse (its error is already recorded).
_UNPARSED = object()
#: Where the scope handed on keeps the body as parsed here, so that the handler's
#: arguments are built from it and Connexion does not parse the bytes again
#: (:mod:`genie.app`); the bytes are replayed all the same.
PARSED_BODY_KEY = "genie.body"


class RequestBody:
    """One operation's request body: its media types, which of them stream, and
    their validators, compiled once."""

    def __init__(self, operation: AbstractOperation) -> None:
        request_body = operation.request_body or {}
        self.required = bool(request_body.get("required"))
        self.name = str(request_body.get("x-body-name") or "body")
        self.label = label_for(self.name)
        self._consumes = MediaTypeDict([(c.lower(), c) for c in operation.consumes])
        #: Whether each declared media type streams to the handler.
        self.raw: dict[str, bool] = {}
        self.validators: dict[str, Draft4Validator | None] = {}
        #: The compiled check of each validator's schema, by the validator's id.
        self._compiled: dict[int, Any] = {}
        for media_type in request_body.get("content", {}):
            schema = operation.body_schema(media_type)
            self.raw[media_type] = is_streamed(media_type, schema)
            self.validators[media_type] = (
                RequestSchemaValidator(schema, format_checker=FORMAT_CHECKER)
                if schema and not self.raw[media_type]
                else None
            )
            if (validator := self.validators[media_type]) is not None:
                self._compiled[id(validator)] = compiled(schema, response=False)

    def valid(self, validator: Draft4Validator, body: Any) -> bool:
        """Whether the compiled check finds ``body`` valid, so that no error needs
        collecting; False also where there is no compiled check (:mod:`._compiled`)."""
        check = self._compiled.get(id(validator))
        return check is not None and bool(check.is_valid(body))

    def declared_type(self, mime_type: str) -> str | None:
        """The declared media type ``mime_type`` falls under, if any."""
        try:
            return str(self._consumes[mime_type.lower()])
        except KeyError:
            return None

    def _default_type(self) -> str | None:
        """The type of a body sent without ``Content-Type``: JSON when declared."""
        if "application/json" in self.raw:
            return "application/json"
        return next(iter(self.raw), None)

    def djinn_type(self, scope: Scope, mime_type: str) -> tuple[str | None, Scope]:
        """The declared type a Djinn body is read as, and the scope to hand on."""
        if mime_type:
            declared = self.declared_type(mime_type)
            if declared is None and "*/*" in self.raw:
                declared = "*/*"  # the operation takes anything, even a malformed type
            return declared, scope
        # Without a Content-Type, the body is the first media type declared;
        # Connexion downstream must read it as that type too.
        declared = next(iter(self.raw), None)
        if declared is not None and not self.raw[declared]:
            scope = set_content_type(scope, declared)
        return declared, scope

    async def check_streamed(self, receive: Receive, errors: FieldErrors) -> Receive:
        """A streamed body is not read: a required one is only checked for being
        there, by its first bytes."""
        if self.required:
            empty, receive = await peek_empty(receive)
            if empty:
                errors.add(self.name, f"{self.label} field required")
        return receive

    async def djinn_body(
        self, scope: Scope, receive: Receive, errors: FieldErrors, declared: str | None
    ) -> tuple[Scope, Receive]:
        """Read and validate a Djinn body of the ``declared`` type."""
        validator = self.validators.get(declared or "")
        if validator is not None and declared in FORM_TYPES:
            return await self._form_body(scope, receive, errors, validator)
        if validator is not None:
            body, raw, parsed = await self._read_json(receive, errors)
            if parsed and not self.valid(validator, body):
                collect_body_errors(validator, body, errors, root=self.name)
            if parsed and raw:
                scope = {**scope, PARSED_BODY_KEY: body}
            receive = replay(raw, receive)
        return scope, receive

    async def _read_json(self, receive: Receive, errors: FieldErrors) -> tuple[Any, bytes, bool]:
        raw = await read_body(receive)
        if raw is None:
            errors.add(self.name, f"{self.label} is too large")
            return None, b"", False
        if not raw:
            return {}, raw, True
        try:
            return orjson.loads(raw), raw, True
        except orjson.JSONDecodeError as exc:
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError:
                errors.add(self.name, f"{self.label} is not valid UTF-8")
            else:
                errors.add(self.name, f"{self.label} is not valid JSON: {exc}")
            return None, raw, False

    async def drf_body(
        self, scope: Scope, receive: Receive, errors: FieldErrors
    ) -> tuple[Scope, Receive]:
        """Read, parse and validate a DjaoDjin body; the handler then always sees the
        result as ``application/json``."""
        content_type = Headers(scope=scope).get("content-type")
        mime_type = mime_type_of(content_type)
        raw = await read_body(receive)
        if raw is None:
            errors.add(NON_FIELD_ERRORS, "Request body is too large.")
            return scope, receive
        body: Any = {}
        declared = self.declared_type(mime_type) if mime_type else self._default_type()
        # One schema decides for every encoding: the JSON one (form schemas describe
        # the same fields as they travel in a form).
        validator = self.validators.get("application/json") or next(
            (v for v in self.validators.values() if v is not None), None
        )
        if raw:
            if declared is None:
                raise UnsupportedMediaType(
                    f"Unsupported media type {mime_type!r}", media_type=mime_type
                )
            body = await self._parse(scope, raw, declared, errors, validator)
        if validator is not None and body is not _UNPARSED and not self.valid(validator, body):
            collect_drf_errors(validator, body, errors)
        if errors:
            return scope, receive
        return _as_json(scope, receive, content_type, body)

    async def _form_body(
        self, scope: Scope, receive: Receive, errors: FieldErrors, validator: Draft4Validator
    ) -> tuple[Scope, Receive]:
        """A Djinn-style form body (the OAuth forms): parsed, validated like JSON, and
        handed on as JSON, as :meth:`drf_body` does."""
        content_type = Headers(scope=scope).get("content-type")
        raw = await read_body(receive)
        if raw is None:
            errors.add(self.name, f"{self.label} is too large")
            return scope, receive
        body: Any = {}
        if raw.strip():
            body = await self._parse(scope, raw, FORM_TYPES[0], errors, validator)
        if body is not _UNPARSED and not self.valid(validator, body):
            collect_body_errors(validator, body, errors, root=self.name)
        return _as_json(scope, receive, content_type, body)

    @staticmethod
    async def _parse(
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


def _as_json(
    scope: Scope, receive: Receive, content_type: str | None, body: Any
) -> tuple[Scope, Receive]:
    """The scope and body a handler is given for a parsed body: JSON, whatever it
    was sent as (its own Content-Type kept aside)."""
    handed = body if isinstance(body, dict) else {}
    scope = show_content_type(scope, "application/json", content_type)
    scope[PARSED_BODY_KEY] = handed
    return scope, replay(orjson.dumps(handed), receive)
