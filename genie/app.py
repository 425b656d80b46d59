"""The ASGI app: one Connexion ``AsyncApp`` serving both APIs from their specs.

* ``/djinn`` (``GENIE_DJINN_PREFIX``) — ``openapi/djinn.yaml``, handlers in
  ``handlers.djinn``;
* ``/api`` (``GENIE_DJAODJIN_PREFIX``) — ``openapi/djaodjin.yaml``, handlers in
  ``handlers.djaodjin``;
* ``/healthz`` — ``openapi/service.yaml``, handlers in ``handlers.service``;
* ``/login``, ``/login/oauth/*``, ``/logout/oauth/revoke`` — ``openapi/oauth.yaml``
  (served at ``/oauth/openapi.json``), handlers in ``handlers.oauth``. Djinn's
  Swagger UI signs in through it (:func:`swagger_ui_options`).

Routing is the specs' alone: each ``operationId`` resolves relative to its
handler package. Nothing registers a route in Python. Several specs may share a
mount point (the root): a path none of them has falls through to the next
(:mod:`genie.mounts`).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager, contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import yaml
from connexion import AsyncApp
from connexion.apps.asynchronous import AsyncApi, AsyncOperation
from connexion.lifecycle import ConnexionRequest
from connexion.middleware import MiddlewarePosition
from connexion.middleware.exceptions import ExceptionMiddleware
from connexion.middleware.main import ConnexionMiddleware
from connexion.middleware.request_validation import RequestValidationMiddleware
from connexion.middleware.routing import RoutingMiddleware
from connexion.middleware.security import SecurityMiddleware
from connexion.middleware.swagger_ui import SwaggerUIMiddleware
from connexion.operations import AbstractOperation
from connexion.options import SwaggerUIOptions
from connexion.resolver import RelativeResolver
from connexion.spec import Specification
from starlette.responses import Response as StarletteResponse
from starlette.types import Receive, Scope, Send

from genie import SPEC_DIR
from genie.arguments import HandlerDecorator
from genie.bodyguard import BodyGuard
from genie.crypto import Crypto
from genie.metrics import Metrics
from genie.mounts import ChainedRoutingMiddleware, ChainedSwaggerUIMiddleware
from genie.oauth.apps import register_swagger_ui, swagger_ui_client_id
from genie.observe import Observe
from genie.pipeline import link_operations
from genie.routing import index_routers
from genie.runtime import STATE_KEY, RequestState, Runtime, RuntimeMiddleware
from genie.settings import Settings
from handlers._allowed import AllowedMethods
from handlers._auth import SECURITY_MAP, StrictSecurityMiddleware
from handlers._errors import ErrorRenderer, error_handlers
from handlers._redirects import TrailingSlashRedirect
from handlers._response_validation import RESPONSE_VALIDATOR_MAP
from handlers._validation import FieldRequestValidationMiddleware


@dataclass(frozen=True)
class Api:
    """One spec, where it is mounted, and who handles it."""

    spec: str
    base_path: str
    package: str
    swagger_ui: bool = True
    #: Validation errors and error bodies in Django REST Framework's shapes.
    drf: bool = False
    #: Where the spec itself is served, under ``base_path``.
    spec_path: str = "/openapi.json"
    #: Its Swagger UI's Authorize runs genie's own OAuth flow (PKCE).
    oauth_ui: bool = False


def apis_for(settings: Settings) -> tuple[Api, ...]:
    """The specs genie serves (Connexion tries the most specific mount points first)."""
    djinn_at_root = settings.djinn_prefix == ""
    apis = (
        Api("djinn.yaml", settings.djinn_prefix, "handlers.djinn", oauth_ui=True),
        Api("djaodjin.yaml", settings.djaodjin_prefix, "handlers.djaodjin", drf=True),
        # With Djinn at the root, /openapi.json is Djinn's, as on the original's host.
        Api(
            "service.yaml",
            "",
            "handlers.service",
            swagger_ui=False,
            spec_path="/service/openapi.json" if djinn_at_root else "/openapi.json",
        ),
        Api("oauth.yaml", "", "handlers.oauth", swagger_ui=False, spec_path="/oauth/openapi.json"),
    )
    return apis


# Connexion warns on every request to an operation with several body media types.
logging.getLogger("connexion.operations.openapi3").setLevel(logging.ERROR)


class DecoratedOnceOperation(AsyncOperation):
    """Connexion's async operation, with its handler decorated once at start-up.

    Connexion builds a new decorator chain (parameter and response decorators,
    signature inspection, URI parser) on every request; none of it depends on the
    request.
    """

    def __init__(self, operation: AbstractOperation, *, pythonic_params: bool, jsonifier: Any):
        super().__init__(
            operation.function,
            jsonifier=jsonifier,
            operation_id=operation.operation_id,
            pythonic_params=pythonic_params,
        )
        decorator = HandlerDecorator(pythonic_params=pythonic_params, jsonifier=jsonifier)
        self._decorated = decorator.decorate(operation.function)
        self._uri_parser = operation.uri_parser_class(
            operation.parameters, operation.body_definition()
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> StarletteResponse:
        state: RequestState | None = scope.get(STATE_KEY)
        request = ConnexionRequest(scope, receive, uri_parser=self._uri_parser)
        response = await self._decorated(request)
        if state is not None:
            # Never hold a pooled connection while the client reads the response.
            await state.release()
        return await response(scope, receive, send)


class DecoratedOnceApi(AsyncApi):
    def make_operation(self, operation: AbstractOperation) -> AsyncOperation:
        return DecoratedOnceOperation(
            operation, pythonic_params=self.pythonic_params, jsonifier=self.jsonifier
        )


class GenieApp(AsyncApp):
    """Connexion's app, with its routers indexed and every request observed
    (:mod:`genie.observe`: request id, access line, metrics) outside all of it."""

    def __init__(self, *args: Any, metrics: Metrics, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._middleware_app.api_cls = DecoratedOnceApi
        self._routers_indexed = False
        self._observed = Observe(self.middleware, metrics)

    def _index_routers(self) -> None:
        """Build Connexion's middleware stack (it would on the first call anyway),
        then index the routers it built from the specs (:mod:`genie.routing`) and
        link each operation's layers (:mod:`genie.pipeline`)."""
        middleware = self.middleware
        if middleware.middleware_stack is None:
            middleware.app, middleware.middleware_stack = middleware._build_middleware_stack()
        index_routers(middleware.middleware_stack)
        link_operations(middleware.middleware_stack)
        self._routers_indexed = True

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self._routers_indexed:
            self._index_routers()
        await self._observed(scope, receive, send)


def load_spec(path: Path) -> dict[str, Any]:
    """Parse a spec once, with libyaml when PyYAML has it (ten times faster)."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    spec: dict[str, Any] = yaml.load(path.read_text(), Loader=loader)  # noqa: S506 - safe loader
    return spec


@contextmanager
def trusted_specs() -> Iterator[None]:
    """Connexion skips its metaschema validation of the specs while this is open.

    Connexion checks each spec against the OpenAPI metaschema on every start:
    0.25-0.3 s of a 2 s start-up budget once the specs had 66 operations. The
    specs ship with genie and are checked before they ship, by ``tox -e spec``
    (openapi-spec-validator) and by ``tests/test_specs.py`` with Connexion's own
    validator, so the server need not repeat it. Start-up is single-threaded;
    the validator is restored on exit.
    """
    original = Specification.__dict__["_validate_spec"]
    Specification._validate_spec = classmethod(lambda _cls, _spec: None)
    try:
        yield
    finally:
        Specification._validate_spec = original


_REPLACED_MIDDLEWARES = {
    RequestValidationMiddleware: FieldRequestValidationMiddleware,
    SecurityMiddleware: StrictSecurityMiddleware,
    RoutingMiddleware: ChainedRoutingMiddleware,
    SwaggerUIMiddleware: ChainedSwaggerUIMiddleware,
}


def swagger_ui_options(api: Api, crypto: Crypto) -> SwaggerUIOptions:
    """Swagger UI's options; Djinn's signs in with the server's own public app and
    PKCE (``ui.initOAuth``), the scopes left for the user to pick."""
    arguments: dict[str, Any] = {}
    if api.oauth_ui:
        arguments["initOAuth"] = {
            "clientId": swagger_ui_client_id(crypto),
            "usePkceWithAuthorizationCodeGrant": True,
        }
    return SwaggerUIOptions(
        swagger_ui=api.swagger_ui,
        spec_path=api.spec_path,
        swagger_ui_template_arguments=arguments,
    )


def _middlewares(settings: Settings) -> list[Any]:
    """Connexion's stack with genie's replacements, and :class:`BodyGuard` just inside
    the exception middleware (its 408, 413 and 431 are rendered as every error is)."""
    guard = partial(
        BodyGuard, json_max_size=settings.json_max_size, body_timeout=settings.body_timeout
    )
    stack: list[Any] = []
    for middleware in ConnexionMiddleware.default_middlewares:
        stack.append(_REPLACED_MIDDLEWARES.get(middleware, middleware))
        if middleware is ExceptionMiddleware:
            stack.append(guard)
    return stack


def create_app(
    settings: Settings | None = None,
    runtime: Runtime | None = None,
    *,
    apis: tuple[Api, ...] | None = None,
    spec_dir: Path = SPEC_DIR,
) -> AsyncApp:
    """Build the app. ``apis`` and ``spec_dir`` let tests mount a fixture spec
    through exactly the same validation, security and error handling."""
    settings = settings or Settings.from_env()
    apis = apis_for(settings) if apis is None else apis
    rt = runtime or Runtime.build(settings)
    app = GenieApp(
        __name__,
        specification_dir=spec_dir,
        middlewares=_middlewares(settings),
        validator_map=RESPONSE_VALIDATOR_MAP,
        security_map=SECURITY_MAP,
        lifespan=_lifespan(settings, rt),
        metrics=rt.metrics,
    )
    allowed = _add_apis(app, apis, spec_dir, settings, rt)
    _add_request_handling(app, settings, rt, allowed)
    app.runtime = rt
    return app


def _lifespan(
    settings: Settings, rt: Runtime
) -> Callable[[Any], AbstractAsyncContextManager[None]]:
    """Startup (the Swagger UI's OAuth client, the job worker) and shutdown."""

    @asynccontextmanager
    async def lifespan(_app: Any) -> AsyncIterator[None]:
        await register_swagger_ui(rt.engine, settings, rt.crypto)  # logs if it cannot
        if settings.jobs_worker:
            rt.jobs.start()
        try:
            yield
        finally:
            await rt.close()

    return lifespan


def _add_apis(
    app: GenieApp, apis: tuple[Api, ...], spec_dir: Path, settings: Settings, rt: Runtime
) -> AllowedMethods:
    """Mount each API from its spec; the methods every path allows, for 405s and
    trailing-slash redirects."""
    allowed = AllowedMethods()
    for api in apis:
        spec = load_spec(spec_dir / api.spec)
        with trusted_specs():
            app.add_api(
                spec,
                base_path=api.base_path,
                name=api.package,
                resolver=RelativeResolver(api.package),
                validate_responses=settings.validate_responses,
                swagger_ui_options=swagger_ui_options(api, rt.crypto),
                drf=api.drf,
            )
        allowed.add_spec(spec, api.base_path)
    return allowed


def _add_request_handling(
    app: GenieApp, settings: Settings, rt: Runtime, allowed: AllowedMethods
) -> None:
    """Error rendering, the runtime on every request, and trailing-slash redirects."""
    djaodjin = settings.djaodjin_prefix
    renderer = ErrorRenderer(debug=settings.debug, allowed=allowed, djaodjin_prefix=djaodjin)
    for exc_class, handler in error_handlers(renderer):
        app.add_error_handler(exc_class, handler)
    app.add_middleware(RuntimeMiddleware, position=MiddlewarePosition.BEFORE_EXCEPTION, runtime=rt)
    app.add_middleware(
        TrailingSlashRedirect,
        position=MiddlewarePosition.BEFORE_EXCEPTION,
        allowed=allowed,
        prefix=djaodjin,
    )
