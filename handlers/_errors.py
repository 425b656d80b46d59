"""Errors, in one place.

Exception tree (handlers raise these; nothing else builds error bodies)::

    ApiError                  status_code, headers
    ├── ValidationFailed      400, a field map {field: [message, ...]}
    ├── BadRequest            400, a message (business rules)
    ├── Unauthorized          401
    ├── Forbidden             403, a message naming what is missing
    ├── NotFound              404
    ├── MethodNotAllowed      405, with Allow
    ├── UnsupportedMediaType  415, naming the media type
    ├── RequestTimeout        408, a body that did not arrive in time
    ├── PayloadTooLarge       413, a JSON or form body past GENIE_JSON_MAX_SIZE
    ├── RangeNotSatisfiable   416
    ├── TooManyRequests       429, with Retry-After (failed authentication)
    ├── HeadersTooLarge       431
    ├── ServiceUnavailable    503, with Retry-After (the database is unreachable)
    └── InsufficientStorage   507, the disk is full

Connexion's own exceptions (security problems, routing 404/405), the access
refusals of :mod:`models.access` (``NotVisible`` is a 404, ``ScopeMissing`` a 403
naming the scopes) and anything unexpected are mapped onto this tree, then
rendered in the wire shape of the API the request was for: Djinn (``{"message"}``
and field maps) or DjaoDjin (DRF's ``{"detail"}``). Stack traces go to the log,
and to the body only in debug mode.

DjaoDjin's 400 is DRF's: ``{"detail": "<field>: <first message>", "<field>":
[...], ...}``. A list field whose items are invalid maps to one dict per item
(``{"env": [{}, {"name": ["This field is required."]}]}``), and errors about the
body as a whole (:data:`NON_FIELD_ERRORS`) appear only in ``detail``.
"""

from __future__ import annotations

import errno
import logging
import traceback
from collections.abc import Iterable
from typing import Any

import orjson
from connexion.exceptions import ProblemException
from connexion.lifecycle import ConnexionResponse
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect
from starlette.responses import Response

from genie.outage import OUTAGE, OUTAGE_RETRY, is_outage
from handlers._allowed import AllowedMethods
from models.access import NamespaceGone, NotVisible, ScopeMissing

logger = logging.getLogger("genie.errors")

#: Where the DjaoDjin API is mounted by default (``GENIE_DJAODJIN_PREFIX``); its
#: errors are DRF-shaped.
DJAODJIN_PREFIX = "/api"
#: The FieldErrors key of errors about the whole body rather than one field.
NON_FIELD_ERRORS = "non_field_errors"
#: A namespace deleted between planning a resource's placement and writing it.
NAMESPACE_GONE = "Namespace no longer exists"

_FRAMING = {"content-length", "content-type"}
#: Server-side statuses whose message is the client's to read (not a fault).
_CLEAN = frozenset({503, 507})


def is_djaodjin(path: str, prefix: str = DJAODJIN_PREFIX) -> bool:
    """Whether ``path`` is under the DjaoDjin API mounted at ``prefix``."""
    return path == prefix or path.startswith(prefix + "/")


class FieldErrors(dict[str, list[Any]]):
    """Field name to messages, in the order found.

    A list field may instead hold one dict of errors per item (:meth:`add_item`).
    """

    def add(self, field: str, message: str) -> None:
        messages = self.setdefault(field, [])
        if messages and isinstance(messages[0], dict):
            messages.clear()  # an error about the list itself replaces its items' errors
        if message not in messages:
            messages.append(message)

    def add_item(self, field: str, size: int, index: int, key: str, message: str) -> None:
        """An error of item ``index`` (of ``size``) of the list ``field``, under ``key``."""
        items = self.setdefault(field, [{} for _ in range(size)])
        if not items or not isinstance(items[0], dict) or index >= len(items):
            return  # the list itself is already wrong: that says more
        messages = items[index].setdefault(key, [])
        if message not in messages:
            messages.append(message)


class ApiError(Exception):
    status_code = 500
    message = "Something went wrong"

    def __init__(self, message: str | None = None, *, headers: dict[str, str] | None = None):
        super().__init__(message or self.message)
        if message:
            self.message = message
        self.headers = headers or {}


class ValidationFailed(ApiError):
    status_code = 400
    message = "Validation failed"

    def __init__(self, fields: dict[str, list[Any]]) -> None:
        super().__init__()
        self.fields = fields


class BadRequest(ApiError):
    status_code = 400
    message = "Bad Request"


class Unauthorized(ApiError):
    status_code = 401
    message = "Unauthorized"


class Forbidden(ApiError):
    status_code = 403
    message = "Forbidden"


class NotFound(ApiError):
    status_code = 404
    message = "Not Found"


class MethodNotAllowed(ApiError):
    status_code = 405
    message = "Method Not Allowed"


class UnsupportedMediaType(ApiError):
    status_code = 415
    message = "Unsupported Media Type"

    def __init__(self, message: str | None = None, *, media_type: str) -> None:
        super().__init__(message)
        self.media_type = media_type


class RangeNotSatisfiable(ApiError):
    status_code = 416
    message = "Range Not Satisfiable"


class RequestTimeout(ApiError):
    status_code = 408
    message = "The request body did not arrive in time."


class PayloadTooLarge(ApiError):
    status_code = 413
    message = "The request body is too large."


class TooManyRequests(ApiError):
    status_code = 429
    message = "Too many failed authentication attempts; retry later."

    def __init__(self, retry_after: int) -> None:
        super().__init__(headers={"Retry-After": str(retry_after)})


class HeadersTooLarge(ApiError):
    status_code = 431
    message = "Request header fields too large."


class ServiceUnavailable(ApiError):
    status_code = 503
    message = "Service Unavailable"


class InsufficientStorage(ApiError):
    status_code = 507
    message = "Insufficient storage: the server's disk is full; retry later."


def json_response(
    body: Any, status_code: int = 200, headers: dict[str, str] | None = None
) -> Response:
    return Response(
        orjson.dumps(body, option=orjson.OPT_UTC_Z),
        status_code=status_code,
        headers=headers,
        media_type="application/json",
    )


def missing_scopes_message(missing: Iterable[str]) -> str:
    names = list(missing)
    plural = "scopes" if len(names) > 1 else "scope"
    return f"Forbidden: the token lacks the {plural} {', '.join(names)}"


def _from_ours(exc: Exception) -> ApiError | None:
    """The error of the tree that an exception of the models, the database or the
    server stands for (``None`` for any other)."""
    if isinstance(exc, NotVisible):
        return NotFound()
    if isinstance(exc, NamespaceGone):
        return ValidationFailed({"namespace": [NAMESPACE_GONE]})
    if isinstance(exc, ScopeMissing):
        return Forbidden(missing_scopes_message(exc.scopes))
    if is_outage(exc):
        return ServiceUnavailable(OUTAGE, headers={"Retry-After": str(OUTAGE_RETRY)})
    if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
        return InsufficientStorage()
    if isinstance(exc, ClientDisconnect):
        # Nobody is left to answer; not a server fault, so not logged as one.
        return BadRequest("Client disconnected")
    return None


class ErrorRenderer:
    """Turns any exception into the documented wire shape of the request's API."""

    def __init__(
        self, *, debug: bool, allowed: AllowedMethods, djaodjin_prefix: str = DJAODJIN_PREFIX
    ) -> None:
        self.debug = debug
        self.allowed = allowed
        self.djaodjin_prefix = djaodjin_prefix

    # Mapping foreign exceptions onto the tree.

    def normalise(self, exc: Exception, path: str, method: str) -> ApiError:
        """``exc`` as an error of the tree; anything unknown is a plain 500."""
        if isinstance(exc, MethodNotAllowed) and "Allow" not in exc.headers:
            return self._misrouted(exc, path, method)
        if isinstance(exc, ApiError):
            return exc
        known = _from_ours(exc)
        if known is not None:
            return known
        status = getattr(exc, "status_code", None) or getattr(exc, "status", None)
        if isinstance(exc, ProblemException | HTTPException) and isinstance(status, int):
            return self._from_status(exc, status, path)
        return ApiError()

    def _misrouted(self, exc: MethodNotAllowed, path: str, method: str) -> ApiError:
        """A 405 raised by a handler whose route matched a path meant for a more
        specific one (a ``format: path`` parameter swallowed ``/-/...``): 404 when
        the path takes the method after all, else 405 with the path's own Allow."""
        allow = self.allowed.for_path(path)
        if not allow or method.upper() in allow:
            return NotFound()
        exc.headers["Allow"] = ", ".join(allow)
        return exc

    def _from_status(
        self, exc: ProblemException | HTTPException, status: int, path: str
    ) -> ApiError:
        """A Connexion or Starlette HTTP error by its status: a client error keeps
        its status, detail and headers in our shape, a server error is a plain 500."""
        headers = dict(getattr(exc, "headers", None) or {})
        detail = getattr(exc, "detail", None)
        if status == 401:
            return Unauthorized(headers=headers)
        if status == 403:
            return Forbidden(str(detail) if detail else None, headers=headers)
        if status == 404:
            return NotFound(headers=headers)
        if status == 405:
            allow = self.allowed.for_path(path)
            if allow:
                headers["Allow"] = ", ".join(allow)
            return MethodNotAllowed(headers=headers)
        if status == 416:
            return RangeNotSatisfiable(headers=headers)
        if 400 <= status < 500:
            error = ApiError(str(detail) if detail else None, headers=headers)
            error.status_code = status
            return error
        return ApiError()

    # Rendering.

    def render(self, exc: Exception, path: str, method: str) -> Response:
        error = self.normalise(exc, path, method)
        if isinstance(error, ServiceUnavailable | InsufficientStorage):
            logger.warning("%s %s: %s (%s)", method, path, error.message, type(exc).__name__)
        elif error.status_code >= 500:
            logger.error(
                "unhandled error on %s %s",
                method,
                path,
                exc_info=(type(exc), exc, exc.__traceback__),
            )
        if is_djaodjin(path, self.djaodjin_prefix):
            body, headers = self._djaodjin(error, method)
        else:
            body, headers = self._djinn(error)
        if error.status_code >= 500 and self.debug and error.status_code not in _CLEAN:
            body["stack"] = "".join(traceback.format_exception(exc))
        return json_response(body, error.status_code, {**error.headers, **headers})

    def _djinn(self, error: ApiError) -> tuple[dict[str, Any], dict[str, str]]:
        if isinstance(error, ValidationFailed):
            return dict(error.fields), {}
        if isinstance(error, Unauthorized):
            return {"message": "Unauthorized"}, {"WWW-Authenticate": "Bearer"}
        return {"message": error.message}, {}

    def _djaodjin(self, error: ApiError, method: str) -> tuple[dict[str, Any], dict[str, str]]:
        if isinstance(error, ValidationFailed):
            return drf_validation_body(error.fields), {}
        if isinstance(error, Unauthorized):
            detail = _own(error, "Authentication credentials were not provided.")
            return {"detail": detail}, {"WWW-Authenticate": 'Basic realm="api"'}
        if isinstance(error, Forbidden):
            return {"detail": _own(error, "Permission denied")}, {}
        if isinstance(error, NotFound):
            return {"detail": _own(error, "Not found.")}, {}
        if isinstance(error, MethodNotAllowed):
            return {"detail": f'Method "{method}" not allowed.'}, {}
        if isinstance(error, UnsupportedMediaType):
            return {"detail": f'Unsupported media type "{error.media_type}" in request.'}, {}
        if error.status_code >= 500 and error.status_code not in _CLEAN:
            return {"detail": "A server error occurred."}, {}
        return {"detail": error.message}, {}


def _own(error: ApiError, default: str) -> str:
    """The error's own message, or the API's wording when it has only its class's."""
    return error.message if error.message != type(error).message else default


def _first_message(value: Any) -> tuple[str, str] | None:
    """``(path suffix, message)`` of the first message in a field's errors."""
    for index, item in enumerate(value):
        if isinstance(item, str):
            return "", item
        if isinstance(item, dict):
            for key, messages in item.items():
                if messages:
                    return f"[{index}].{key}", str(messages[0])
    return None


def drf_validation_body(fields: dict[str, list[Any]]) -> dict[str, Any]:
    """DRF's 400: a string ``detail`` (the first error), then the field lists."""
    body: dict[str, Any] = {}
    non_field = fields.get(NON_FIELD_ERRORS)
    if non_field:
        body["detail"] = str(non_field[0])
    for field, value in fields.items():
        if field == NON_FIELD_ERRORS:
            continue
        first = _first_message(value)
        if first and "detail" not in body:
            body["detail"] = f"{field}{first[0]}: {first[1]}"
        body[field] = value
    body.setdefault("detail", "Invalid input.")
    return {"detail": body.pop("detail"), **body}


def error_handlers(renderer: ErrorRenderer) -> Iterable[tuple[type[Exception], Any]]:
    """(exception class, handler) pairs for ``app.add_error_handler``."""

    async def handle(request: Any, exc: Exception) -> ConnexionResponse:
        response = renderer.render(exc, request.url.path, request.method)
        headers = {k: v for k, v in response.headers.items() if k not in _FRAMING}
        return ConnexionResponse(
            status_code=response.status_code,
            mimetype="application/json",
            body=response.body,
            headers=headers,
        )

    for cls in (ApiError, ProblemException, HTTPException, Exception):
        yield cls, handle
