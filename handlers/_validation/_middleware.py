"""The request-validation middleware, Connexion's replaced.

Connexion's stock validation stops at the first error and reports it as a
formatted string, and rebuilds its validators on each request. Here each
operation's checks are compiled once, at start-up (:mod:`._parameters`,
:mod:`._bodies`), and a request's every parameter and body error is collected
before one :class:`ValidationFailed` is raised.
"""

from __future__ import annotations

from typing import Any

from connexion.middleware.request_validation import (
    RequestValidationAPI,
    RequestValidationMiddleware,
    RequestValidationOperation,
)
from connexion.operations import AbstractOperation
from starlette.datastructures import Headers
from starlette.types import Receive, Scope, Send

from handlers._errors import FieldErrors, ValidationFailed
from handlers._validation._bodies import RequestBody
from handlers._validation._parameters import ParameterChecks
from handlers._validation._streams import hide_content_type, mime_type_of


class FieldRequestValidationOperation(RequestValidationOperation):
    """Per-operation validation, compiled once."""

    def __init__(
        self, next_app: Any, *, operation: AbstractOperation, drf: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(next_app, operation=operation, **kwargs)
        #: DjaoDjin: DRF wording, and JSON, form and multipart bodies alike.
        self._drf = drf
        self._check_parameters = ParameterChecks(operation, drf=drf)
        self._body = RequestBody(operation)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        errors = FieldErrors()
        self._check_parameters(scope, errors)
        if self._drf and self._body.validators:
            scope, receive = await self._body.drf_body(scope, receive, errors)
        else:
            scope, receive = await self._djinn_body(scope, receive, errors)
        if errors:
            raise ValidationFailed(errors)
        await self.next_app(scope, receive, send)

    async def _djinn_body(
        self, scope: Scope, receive: Receive, errors: FieldErrors
    ) -> tuple[Scope, Receive]:
        """A Djinn body: a streamed one goes on unread, others are validated; an
        undeclared type is 415 only where the operation takes a body to validate."""
        body = self._body
        content_type = Headers(scope=scope).get("content-type")
        mime_type = mime_type_of(content_type)
        declared, scope = body.djinn_type(scope, mime_type)
        if declared is not None and body.raw.get(declared):
            scope = hide_content_type(scope, content_type)
            return scope, await body.check_streamed(receive, errors)
        if not body.validators:
            return scope, receive
        if mime_type and declared is None:
            self.validate_mime_type(mime_type)  # raises 415
        return await body.djinn_body(scope, receive, errors, declared)


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
