"""The reference for the benchmark: a minimal hand-written Starlette app.

It does what genie's ``GET /djinn/objects`` does, with the same token lookup, the
same query on the same database and the same serializer, but with no spec layer:
a hand-written check stands in for request validation. The ratio genie/reference
is then the cost of Connexion and genie's HTTP glue alone.

Run: ``GENIE_DATABASE_URL=postgresql://... uvicorn bench.reference:app``
"""

from __future__ import annotations

from urllib.parse import urlencode

import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from genie.runtime import Runtime
from genie.scopes import parse
from genie.settings import Settings
from handlers._pagination import paginate
from handlers.djinn._entities import object_json
from models import objects
from models.users import find_caller

runtime = Runtime.build(Settings.from_env())


def _json(body: object, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(
        orjson.dumps(body, option=orjson.OPT_UTC_Z),
        status_code=status,
        headers=headers,
        media_type="application/json",
    )


def _page_url(request: Request, page: int) -> str:
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "page"]
    params.append(("page", str(page)))
    return f"{request.url.scheme}://{request.url.netloc}{request.url.path}?{urlencode(params)}"


async def list_objects(request: Request) -> Response:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        return _json({"message": "Unauthorized"}, 401, {"WWW-Authenticate": "Bearer"})
    async with runtime.reader.connect() as conn:
        caller = await find_caller(conn, token)
    if caller is None:
        return _json({"message": "Unauthorized"}, 401, {"WWW-Authenticate": "Bearer"})
    if "object:read" not in parse(caller.scope):
        return _json({"message": "Forbidden: the token lacks the scope object:read"}, 403)

    errors: dict[str, list[str]] = {}
    raw_page = request.query_params.get("page", "1")
    page = int(raw_page) if raw_page.isdigit() else 0
    if not raw_page.isdigit():
        errors["page"] = ["Page must be an integer"]
    elif page < 1:
        errors["page"] = ["Page must be at least 1"]
    search = request.query_params.get("search")
    if search is not None and len(search) > 255:
        errors["search"] = ["Search cannot be longer than 255 characters in length"]
    if errors:
        return _json(errors, 400)

    async with runtime.reader.connect() as conn:
        result = await paginate(conn, objects.visible_objects(caller.id, search), page)
    root = f"{request.url.scheme}://{request.url.netloc}/djinn"
    link = (
        f'<{_page_url(request, result.prev)}>; rel="prev", '
        f'<{_page_url(request, result.next)}>; rel="next"'
    )
    return _json([object_json(root, o) for o in result.items], 200, {"Link": link})


app = Starlette(routes=[Route("/djinn/objects", list_objects, methods=["GET"])])
