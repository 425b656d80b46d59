"""genie.routing: the indexed routers choose exactly what Starlette's would, faster."""

from __future__ import annotations

import itertools
import re
from pathlib import Path
from typing import Any

from connexion.middleware.routing import RoutingMiddleware
from starlette.routing import Match, Mount, Route, Router

from genie.app import create_app
from genie.routing import IndexedRouter, index_routers
from genie.settings import Settings

SPEC_PATHS = [
    "/",
    "/user",
    "/namespaces",
    "/n/{username}/{path:path}/-/objects",
    "/n/{username}/{path:path}",
    "/objects",
    "/objects/{id:int}",
    "/objects/{id:int}/builds",
    "/images/{id:int}",
    "/{org}/apps/",
    "/{org}/apps/{app}/",
    "/containers/{organization}/apps/",
    "/static",
]
METHODS = ["GET", "POST", "DELETE", "PATCH"]


class Endpoint:
    """An ASGI endpoint that records which route handled the request."""

    def __init__(self, name: str) -> None:
        self.name = name

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        scope["genie.test.handled"] = (self.name, dict(scope.get("path_params", {})))


def _routes() -> list[Any]:
    routes: list[Any] = []
    for i, path in enumerate(SPEC_PATHS):
        # Two operations on some paths, as Connexion adds one route per operation.
        for method in ("GET", "POST") if i % 2 == 0 else ("DELETE",):
            routes.append(Route(path, Endpoint(f"{method} {path}"), methods=[method]))
    inner = Router([Route("/openapi.json", Endpoint("mounted openapi"), methods=["GET"])])
    routes.append(Mount("/djinn", app=inner))
    routes.append(Mount("", app=Router([Route("/healthz", Endpoint("root healthz"))])))
    return routes


def _samples() -> list[str]:
    filled = {
        "{username}": "alice",
        "{path:path}": "team/sub",
        "{id:int}": "42",
        "{org}": "acme",
        "{app}": "web",
        "{organization}": "acme",
    }
    paths = set()
    for template in SPEC_PATHS:
        path = template
        for key, value in filled.items():
            path = path.replace(key, value)
        paths.update({path, path.rstrip("/") or "/", path + "/", path + "/extra"})
    paths.update(
        {
            "/objects/notanint",
            "/djinn/openapi.json",
            "/djinn/openapi.json/",
            "/healthz",
            "/healthz/",
            "/unknown",
            "/unknown/",
            "",
            "//",
            "/Objects",
        }
    )
    return sorted(paths)


async def _outcome(router: Router, method: str, path: str) -> tuple[Any, ...]:
    scope: dict[str, Any] = {
        "type": "http",
        "method": method,
        "path": path,
        "root_path": "",
        "query_string": b"",
        "headers": [(b"host", b"testserver")],
        "scheme": "http",
        "server": ("testserver", 80),
    }
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await router.app(scope, receive, send)
    start = next((m for m in sent if m["type"] == "http.response.start"), None)
    headers = dict(start["headers"]) if start else {}
    return (
        scope.get("genie.test.handled"),
        start and start["status"],
        headers.get(b"location"),
    )


async def test_indexed_router_chooses_what_starlette_chooses() -> None:
    plain = Router(_routes())
    indexed = IndexedRouter(_routes())
    checked = 0
    for method, path in itertools.product(METHODS, _samples()):
        expected = await _outcome(plain, method, path)
        assert await _outcome(indexed, method, path) == expected, (method, path)
        checked += 1
    assert checked == len(METHODS) * len(_samples())


async def test_only_the_routes_that_can_match_are_tried() -> None:
    router = IndexedRouter(_routes())
    names = [getattr(route, "path", None) for route in router.candidates("/objects/42/builds")]
    # the three /objects routes, then every route whose first segment is a parameter,
    # then the root mount — in the original order
    assert names == [
        "/objects",
        "/objects/{id:int}",  # GET
        "/objects/{id:int}",  # POST
        "/objects/{id:int}/builds",
        "/{org}/apps/",
        "/{org}/apps/{app}/",
        "/{org}/apps/{app}/",
        "",
    ]
    assert [getattr(r, "path", None) for r in router.candidates("/nothing-here")] == [
        "/{org}/apps/",
        "/{org}/apps/{app}/",
        "/{org}/apps/{app}/",
        "",
    ]


async def test_routes_added_later_are_indexed() -> None:
    router = IndexedRouter([Route("/a", Endpoint("a"))])
    assert len(router.candidates("/b")) == 0
    router.routes.append(Route("/b", Endpoint("b")))
    assert [r.path for r in router.candidates("/b")] == ["/b"]  # type: ignore[attr-defined]


async def test_the_app_indexes_every_router_built_from_the_specs(tmp_path: Path) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'x.db'}", data_dir=tmp_path)
    app = create_app(settings)
    app._index_routers()
    stack = app.middleware.middleware_stack
    assert stack is not None
    # Already converted: a second pass finds nothing left to do.
    assert index_routers(stack) == 0
    routers = [m.router for m in stack if isinstance(getattr(m, "router", None), Router)]
    assert routers and all(isinstance(r, IndexedRouter) for r in routers)
    # The routing middleware's per-API routers (under the mounts) are indexed too,
    # and their routers call the indexed ``app``.
    routing = next(m for m in stack if isinstance(m, RoutingMiddleware))
    mounted = [route.app for route in routing.router.routes if isinstance(route, Mount)]
    assert {route.path for route in routing.router.routes} >= {"/djinn", "/api"}
    for router in mounted:
        assert isinstance(router, IndexedRouter)
        assert router.middleware_stack == router.app
    djinn = next(
        r.app for r in routing.router.routes if isinstance(r, Mount) and r.path == "/djinn"
    )
    candidates = djinn.candidates("/objects")
    assert 0 < len(candidates) < len(djinn.routes) / 4
    assert all(
        re.match(r"^/(objects|\{)", route.path) for route in candidates if hasattr(route, "path")
    )
    full = [
        route for route in candidates if route.matches(_scope("GET", "/objects"))[0] is Match.FULL
    ]
    assert len(full) == 1


def _scope(method: str, path: str) -> dict[str, Any]:
    return {"type": "http", "method": method, "path": path, "root_path": ""}
