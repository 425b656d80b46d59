"""Connexion's routing and Swagger UI middlewares, with mount points shared.

Several specs may share a mount point (the root: the service spec, and Djinn when
``GENIE_DJINN_PREFIX`` is ``/``); a path none of them has falls through to the
next (:class:`_SharedMountPoints`).

:class:`ChainedSwaggerUIMiddleware` also lets every request that cannot be for the
Swagger UI or a spec document go straight on: Connexion's middleware copies the
scope, sets a context variable and walks its router down to its default for every
request (about 3% of a list request's CPU, bench/README.md). Which paths it
serves is read off the routes Connexion built, not written here.
"""

from __future__ import annotations

from typing import Any

from connexion.middleware.routing import RoutingAPI, RoutingMiddleware
from connexion.middleware.swagger_ui import SwaggerUIAPI, SwaggerUIMiddleware
from starlette.routing import BaseRoute, Mount, Route, Router
from starlette.types import Receive, Scope, Send


class _SharedMountPoints:
    """Any number of specs may share a mount point (the root: the service spec,
    and Djinn when ``GENIE_DJINN_PREFIX`` is ``/``): each API's router falls
    through to the next one's at the same base path. Connexion's routing chains
    only two (a third replaces the second), its Swagger UI middleware none."""

    router: Router

    def _mount(self, api: Any) -> None:
        last_at: dict[str, Any] = self.__dict__.setdefault("_last_at", {})
        last = last_at.get(api.base_path)
        if last is None:
            self.router.mount(api.base_path, app=api.router)
        else:
            last.router.default = api.router
        last_at[api.base_path] = api


class ChainedRoutingMiddleware(_SharedMountPoints, RoutingMiddleware):
    def add_api(self, specification: Any, base_path: str | None = None, **kwargs: Any) -> None:
        self._mount(RoutingAPI(specification, base_path=base_path, next_app=self.app, **kwargs))


class RootedSwaggerUIAPI(SwaggerUIAPI):
    """Serves the spec with ``servers: [{url: /}]`` for an API at the root, where
    Connexion writes ``""``: a relative reference that resolves to the spec's own
    URL, not to the root."""

    def _spec_for_prefix(self, request: Any) -> dict[str, Any]:
        spec: dict[str, Any] = super()._spec_for_prefix(request)
        if [server.get("url") for server in spec.get("servers", [])] == [""]:
            spec = {**spec, "servers": [{"url": "/"}]}
        return spec


class ChainedSwaggerUIMiddleware(_SharedMountPoints, SwaggerUIMiddleware):
    _prefixes: tuple[str, ...] | None = None

    def add_api(self, specification: Any, base_path: str | None = None, **kwargs: Any) -> None:
        self._mount(
            RootedSwaggerUIAPI(
                specification, base_path=base_path, default=self.default_fn, **kwargs
            )
        )
        self._prefixes = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            if self._prefixes is None:
                self._prefixes = tuple(served_prefixes(self.router.routes))
            if not scope["path"].startswith(self._prefixes):
                await self.app(scope, receive, send)  # what its router's default does
                return
        await super().__call__(scope, receive, send)


def _literal_prefix(path: str) -> str:
    """The part of a route's path before its first parameter, without a final
    slash: every path the route serves, or redirects to it, starts with it."""
    return path.partition("{")[0].rstrip("/")


def served_prefixes(routes: list[BaseRoute], base: str = "") -> set[str]:
    """Prefixes that every path served by ``routes`` (mounted at ``base``) starts
    with, a default router chained after them included (:class:`_SharedMountPoints`)."""
    prefixes: set[str] = set()
    for route in routes:
        if isinstance(route, Mount):
            inner = base + route.path
            if not isinstance(route.app, Router):  # static files: all below it
                prefixes.add(_literal_prefix(inner))
                continue
            router: Any = route.app
            while isinstance(router, Router):
                prefixes |= served_prefixes(router.routes, inner)
                router = router.default
        elif isinstance(route, Route):
            prefixes.add(_literal_prefix(base + route.path))
        else:  # no promise about what it serves
            prefixes.add("")
    return prefixes
