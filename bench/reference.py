"""The reference for the benchmark: a minimal hand-written Starlette app.

It does what genie's ``GET /djinn/objects`` and ``POST /djinn/namespaces`` do, with
the same token lookup, the same queries on the same database and the same
serializers, but with no spec layer: hand-written checks stand in for request
validation. The ratio genie/reference is then the cost of Connexion and genie's
HTTP glue alone.

Run: ``GENIE_DATABASE_URL=postgresql://... uvicorn bench.reference:app``
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode

import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from genie import webhooks
from genie.runtime import Runtime
from genie.scopes import parse
from genie.settings import Settings
from handlers._pagination import paginate
from handlers.djinn._entities import namespace_detail_json, object_json
from models import namespaces as tree
from models import objects
from models.namespaces import MAX_DEPTH, VISIBILITIES, NameTaken
from models.users import Caller, find_caller

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


async def _caller(request: Request, scope: str) -> Caller | Response:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        return _json({"message": "Unauthorized"}, 401, {"WWW-Authenticate": "Bearer"})
    async with runtime.reader.connect() as conn:
        caller = await find_caller(conn, token)
    if caller is None:
        return _json({"message": "Unauthorized"}, 401, {"WWW-Authenticate": "Bearer"})
    if scope not in parse(caller.scope):
        return _json({"message": f"Forbidden: the token lacks the scope {scope}"}, 403)
    return caller


async def list_objects(request: Request) -> Response:
    caller = await _caller(request, "object:read")
    if isinstance(caller, Response):
        return caller

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


NAME = re.compile(r"^[a-zA-Z0-9]+$")


def _namespace_errors(body: Any) -> dict[str, list[str]]:
    if not isinstance(body, dict):
        return {"body": ["Body must be a JSON object"]}
    errors: dict[str, list[str]] = {}
    name = body.get("name")
    if not isinstance(name, str) or not name:
        errors["name"] = ["Name field required"]
    elif not 3 <= len(name) <= 32:
        errors["name"] = ["Name must be between 3 and 32 characters in length"]
    elif not NAME.match(name):
        errors["name"] = ["Name can only have letters, and numbers"]
    description = body.get("description", "")
    if not isinstance(description, str) or len(description) > 255 or "\x00" in description:
        errors["description"] = ["Description cannot be longer than 255 characters in length"]
    if body.get("visibility", "private") not in VISIBILITIES:
        errors["visibility"] = ["Visibility must be one of private, internal, public"]
    parent = body.get("parent")
    if parent is not None and (not isinstance(parent, str) or len(parent) > 1024):
        errors["parent"] = ["Parent cannot be longer than 1024 characters in length"]
    return errors


async def create_namespace(request: Request) -> Response:
    caller = await _caller(request, "namespace:write")
    if isinstance(caller, Response):
        return caller
    try:
        body = orjson.loads(await request.body())
    except orjson.JSONDecodeError:
        return _json({"body": ["Body is not valid JSON"]}, 400)
    errors = _namespace_errors(body)
    if errors:
        return _json(errors, 400)
    root = f"{request.url.scheme}://{request.url.netloc}/djinn"
    async with runtime.sessions() as session, session.begin():
        parent = None
        if body.get("parent"):
            parent = (await tree.by_paths(session, caller.id, [body["parent"]])).get(body["parent"])
            if parent is None:
                return _json({"parent": ["Parent does not exist"]}, 400)
            if parent.level + 1 >= MAX_DEPTH:
                return _json({"parent": [f"Parent cannot exceed depth of {MAX_DEPTH}"]}, 400)
        try:
            new_id = await tree.create(
                session,
                user_id=caller.id,
                parent=parent,
                name=body["name"],
                description=body.get("description") or "",
                visibility=body.get("visibility") or "private",
            )
        except NameTaken:
            return _json({"name": ["Name already exists"]}, 400)
        entity = namespace_detail_json(root, await tree.detail(session, new_id))
        await webhooks.fire(session, new_id, "namespaces", "created", {"namespace": entity})
    return _json(entity, 201)


app = Starlette(
    routes=[
        Route("/djinn/objects", list_objects, methods=["GET"]),
        Route("/djinn/namespaces", create_namespace, methods=["POST"]),
    ]
)
