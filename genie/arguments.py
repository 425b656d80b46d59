"""A handler's arguments, as Connexion's parameter decorator builds them, minus its
per-request waste: names sanitized once, the body and the query taken from what the
request validation already parsed, no form parsing for a body that is not a form, and
no look at the body at all for an operation that takes none.
:class:`genie.app.DecoratedOnceOperation` decorates each handler with
:class:`HandlerDecorator` once, at start-up.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from functools import lru_cache, wraps
from typing import Any, NamedTuple

from connexion.context import context, operation
from connexion.decorators.main import StarletteDecorator
from connexion.decorators.parameter import (
    CONTEXT_NAME,
    AsyncParameterDecorator,
    get_arguments,
    unwrap_decorators,
)
from connexion.http_facts import FORM_CONTENT_TYPES
from connexion.lifecycle import ConnexionRequest
from connexion.operations import AbstractOperation
from connexion.utils import inspect_function_arguments

from handlers._validation import PARSED_BODY_KEY, PARSED_QUERY_KEY

#: No body parsed by the request validation: Connexion reads it, as it would.
_UNREAD = object()


class _Body(NamedTuple):
    """What a handler's body and file arguments come from."""

    value: Any
    files: dict[str, Any]
    content_type: str


#: An operation without a request body in its spec.
_NO_BODY = _Body(None, {}, "")


class _CachedNamesParameterDecorator(AsyncParameterDecorator):
    """Connexion's parameter decorator, with each parameter's Python name worked out
    once (it sanitizes every name, three regular expressions, on every request),
    and no form parsing for a body that is not a form (Starlette's ``form()`` finds
    nothing in one, after parsing its content type again)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        sanitize: Callable[[str], str] = self.sanitize_fn  # type: ignore[has-type]
        self.sanitize_fn = lru_cache(maxsize=256)(sanitize)

    def __call__(self, function: Callable[..., Any]) -> Callable[..., Any]:
        arguments, has_kwargs = inspect_function_arguments(unwrap_decorators(function))

        @wraps(function)
        async def wrapper(request: ConnexionRequest) -> Any:
            scope = request.scope
            spec = operation._get_current_object()
            query = scope.get(PARSED_QUERY_KEY)  # resolved by the validation
            if query is not None:
                request._query_params = query
            body = _NO_BODY
            # Without a request body in the spec, Connexion passes no body or file
            # argument (``get_arguments``): there is nothing to read or parse.
            if spec.is_request_body_defined:
                body = await self._body(request, arguments, has_kwargs)
            kwargs = _prep_kwargs(request, spec, body, arguments, has_kwargs, self.sanitize_fn)
            return await function(**kwargs)

        return wrapper

    async def _body(
        self, request: ConnexionRequest, arguments: list[str], has_kwargs: bool
    ) -> _Body:
        """The body the validation parsed, else Connexion's reading of it; a form's files."""
        body = request.scope.get(PARSED_BODY_KEY, _UNREAD)
        if body is _UNREAD:
            body = self._maybe_get_body(request, arguments=arguments, has_kwargs=has_kwargs)
        while asyncio.iscoroutine(body):
            body = await body
        form = request.mimetype in FORM_CONTENT_TYPES
        files = await request.files() if form else {}
        return _Body(body, files, request.mimetype)


def _prep_kwargs(
    request: ConnexionRequest,
    spec: AbstractOperation,
    body: _Body,
    arguments: list[str],
    has_kwargs: bool,
    sanitize: Callable[[str], str],
) -> dict[str, Any]:
    """Connexion's ``prep_kwargs``, with its operation (``spec``) and request context
    each looked up once: both are werkzeug proxies, and ``get_arguments`` reads the
    operation about ten times per request."""
    kwargs = get_arguments(
        spec,
        path_params=request.path_params,
        query_params=request.query_params,
        body=body.value,
        files=body.files,
        arguments=arguments,
        has_kwargs=has_kwargs,
        sanitize=sanitize,
        content_type=body.content_type,
    )
    kwargs = {sanitize(k): v for k, v in kwargs.items()}
    found: dict[str, Any] = context._get_current_object()
    for key, value in found.items():  # what the security layer found: token_info, user
        if has_kwargs or key in arguments:
            kwargs[key] = value
    if CONTEXT_NAME in arguments:
        kwargs[CONTEXT_NAME] = found
    return kwargs


class HandlerDecorator(StarletteDecorator):
    """Connexion's decorator chain for a handler, with genie's parameter decorator."""

    @property
    def _parameter_decorator_cls(self) -> type[AsyncParameterDecorator]:
        return _CachedNamesParameterDecorator
