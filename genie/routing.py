r"""Route matching indexed by the first path segment, for Connexion's routers.

Connexion routes every request through Starlette ``Router``s built from the
specs: the Swagger UI middleware's and the routing middleware's. A Starlette
router tries its routes one by one, so a request to an operation near the end
of a 50-operation spec runs some 50 regular expressions (and as many scope
look-ups) before it finds its route. A profile of ``GET /djinn/objects`` under
load put that scan at a tenth of genie's own cost per request.

:class:`IndexedRouter` gives every router the same routes in the same order,
but only tries those that can match: a route whose path starts with the
literal segment ``/objects`` is tried only for paths whose first segment is
``objects``; a route whose first segment holds a parameter (or a mount at the
root) is tried for every path. Which route wins, its scope and every fallback
(405 partial matches, slash redirects, the default app) are Starlette's own:
only the list walked changes. The slash variant of a path (Starlette's
redirect) has the same first segment, so it is looked for among the same routes.

The routes are still the specs': :func:`index_routers` converts the routers
Connexion has already built from them, and adds none.

It also makes every route match the whole path and nothing but (:func:`_strict`).
Starlette compiles ``^...$`` and matches with ``re.match``: ``$`` also matches
before a final newline, and a mount's ``.*`` stops at one. So ``/api/domains/0%0A/``
matched no route, its slashless form matched the ``/api`` mount, and the slash
redirects of Starlette and of ``TrailingSlashRedirect`` sent the client back and
forth for ever. With ``\Z`` and ``.`` matching newlines, a path either matches a
route or it does not, the same way for every layer.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from starlette._utils import get_route_path
from starlette.datastructures import URL
from starlette.responses import RedirectResponse
from starlette.routing import BaseRoute, Match, Mount, Route, Router
from starlette.types import Receive, Scope, Send

#: The key of routes tried for every path.
_ANY = None


def _first_segment(path: str) -> str:
    """``/objects/{id}`` → ``objects``; ``/`` → ``""``."""
    return path[1:].partition("/")[0] if path.startswith("/") else path.partition("/")[0]


def _route_key(route: BaseRoute) -> str | None:
    """The literal first segment a route's paths must start with, or ``_ANY``."""
    if isinstance(route, Mount):
        if not route.path:  # a mount at the root takes every path
            return _ANY
        segment = _first_segment(route.path)
    elif isinstance(route, Route):
        segment = _first_segment(route.path)
    else:  # hosts, websocket routes: no promise about the path
        return _ANY
    return _ANY if "{" in segment else segment


class IndexedRouter(Router):
    """A Starlette router that tries only the routes that can match the path."""

    _index_for: int = -1
    _index: dict[str, list[BaseRoute]]
    _any: list[BaseRoute]

    def _build_index(self) -> None:
        keys = [_route_key(route) for route in self.routes]
        self._any = [route for route, key in zip(self.routes, keys, strict=True) if key is _ANY]
        self._index = {
            segment: [
                route
                for route, key in zip(self.routes, keys, strict=True)
                if key is _ANY or key == segment
            ]
            for segment in {key for key in keys if key is not _ANY}
        }
        self._index_for = len(self.routes)

    def candidates(self, route_path: str) -> list[BaseRoute]:
        """The routes, in order, whose path can match ``route_path``."""
        if self._index_for != len(self.routes):  # routes are only ever appended
            self._build_index()
        return self._index.get(_first_segment(route_path), self._any)

    async def app(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().app(scope, receive, send)
            return
        if "router" not in scope:
            scope["router"] = self

        partial: BaseRoute | None = None
        partial_scope: Scope = {}
        candidates = self.candidates(get_route_path(scope))
        for route in candidates:
            match, child_scope = route.matches(scope)
            if match is Match.FULL:
                scope["route"] = route
                scope.update(child_scope)
                await route.handle(scope, receive, send)
                return
            if match is Match.PARTIAL and partial is None:
                partial, partial_scope = route, child_scope
        if partial is not None:
            scope["route"] = partial
            scope.update(partial_scope)
            await partial.handle(scope, receive, send)
            return
        # Starlette's slash redirect: the path with its trailing slash added or
        # removed has the same first segment, so the same candidates.
        route_path = get_route_path(scope)
        if self.redirect_slashes and route_path != "/":
            redirect_scope = dict(scope)
            if route_path.endswith("/"):
                redirect_scope["path"] = redirect_scope["path"].rstrip("/")
            else:
                redirect_scope["path"] = redirect_scope["path"] + "/"
            for route in candidates:
                match, _ = route.matches(redirect_scope)
                if match is not Match.NONE:
                    response = RedirectResponse(url=str(URL(scope=redirect_scope)))
                    await response(scope, receive, send)
                    return
        await self.default(scope, receive, send)


#: A ``{name:path}`` parameter as Starlette spells it, which also matches nothing.
_EMPTY_PATH = re.compile(r"\(\?P<(\w+)>\.\*\)")


def _strict(route: BaseRoute) -> None:
    """Make ``route`` match whole paths only, newlines included (see the module
    docstring), and its ``path`` parameters one character at least (an empty one
    names nothing: ``…/tags/`` is no tag, but the list's slash variant). Idempotent."""
    regex: re.Pattern[str] | None = getattr(route, "path_regex", None)
    if regex is None or not regex.pattern.endswith("$") or regex.pattern.endswith("\\$"):
        return
    pattern = regex.pattern[:-1]
    if not isinstance(route, Mount):  # a mount's own rest may be empty: its root
        pattern = _EMPTY_PATH.sub(r"(?P<\1>.+)", pattern)
    route.path_regex = re.compile(pattern + r"\Z", regex.flags | re.DOTALL)  # type: ignore[attr-defined]


def index_routers(apps: Iterable[Any]) -> int:
    """Turn every Starlette router reachable from ``apps`` into an :class:`IndexedRouter`.

    ``apps`` are Connexion's built middleware stack. Returns how many routers
    were converted. Idempotent.
    """
    seen: set[int] = set()
    converted = 0
    stack: list[Any] = [getattr(app, "router", None) for app in apps]
    for app in apps:
        for api in _apis(app):
            stack.append(getattr(api, "router", None))
    while stack:
        router = stack.pop()
        if not isinstance(router, Router) or id(router) in seen:
            continue
        seen.add(id(router))
        if type(router) is Router:
            # A router calls ``self.middleware_stack``, bound to its ``app`` at
            # construction; Connexion's routers have no router-level middleware.
            plain = router.middleware_stack == router.app
            router.__class__ = IndexedRouter
            if plain:
                router.middleware_stack = router.app
            converted += 1
        for route in router.routes:
            _strict(route)
            if isinstance(route, Mount):
                stack.append(route.app)
        stack.append(router.default)
    return converted


def _apis(app: Any) -> list[Any]:
    apis = getattr(app, "apis", None)
    if isinstance(apis, dict):
        return [api for group in apis.values() for api in group]
    return []
