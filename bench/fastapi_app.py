"""The code-first peer of the benchmark: genie's list and JSON create in FastAPI.

Written as FastAPI's own tutorial teaches it (not tuned against it): pydantic
models for the body and the response (``response_model``), the database
connection and the current user as dependencies (``Depends``, ``HTTPBearer``),
``HTTPException`` for errors, FastAPI's default JSON response. It makes the same
model calls as genie (``find_caller``, ``paginate``, ``namespaces.create``,
``detail``, ``webhooks.fire``) with genie's entity builders. Validation errors
are FastAPI's own 422 (that is what a FastAPI user ships).

Run: ``GENIE_DATABASE_URL=postgresql://... uvicorn bench.fastapi_app:app``
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import Depends, FastAPI, HTTPException, Query, Request, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, Field
from sqlalchemy.ext.asyncio import AsyncConnection

from genie import webhooks
from genie.runtime import Runtime
from genie.scopes import parse
from genie.settings import Settings
from handlers._pagination import paginate
from handlers.djinn._entities import namespace_detail_json, object_json
from models import namespaces as tree
from models import objects
from models.namespaces import NameTaken
from models.users import Caller, find_caller

runtime = Runtime.build(Settings.from_env())
app = FastAPI()
bearer = HTTPBearer(auto_error=False)


class User(BaseModel):
    email: str | None
    username: str
    created_at: datetime


class Namespace(BaseModel):
    id: int
    user_id: int
    root_id: int
    parent_id: int | None
    name: str
    path: str
    description: str
    visibility: str
    level: int
    created_at: datetime
    url: str
    builds_url: str
    namespaces_url: str
    images_url: str
    objects_url: str
    variables_url: str
    keys_url: str
    invites_url: str
    collaborators_url: str
    webhooks_url: str


class NamespaceDetail(Namespace):
    user: User | None
    parent: Namespace | None
    build: dict[str, Any] | None


class Object(BaseModel):
    id: int
    author_id: int
    user_id: int
    namespace_id: int | None
    name: str
    type: str
    size: int
    md5: str
    sha256: str
    created_at: datetime
    url: str
    builds_url: str
    author: User | None
    user: User | None
    namespace: Namespace | None


class NamespaceCreate(BaseModel):
    name: str = Field(min_length=3, max_length=32, pattern=r"^[a-zA-Z0-9]+$")
    description: str = Field("", max_length=255)
    visibility: Literal["private", "internal", "public"] = "private"
    parent: str | None = Field(None, max_length=1024)


async def get_db() -> AsyncIterator[AsyncConnection]:
    async with runtime.reader.connect() as conn:
        yield conn


Db = Annotated[AsyncConnection, Depends(get_db)]


def current_user(scope: str) -> Any:
    """A dependency: the caller, who must hold ``scope``."""

    async def dependency(
        db: Db, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
    ) -> Caller:
        unauthorized = HTTPException(401, "Unauthorized", {"WWW-Authenticate": "Bearer"})
        if credentials is None:
            raise unauthorized
        user = await find_caller(db, credentials.credentials)
        if user is None:
            raise unauthorized
        if scope not in parse(user.scope):
            raise HTTPException(403, f"Forbidden: the token lacks the scope {scope}")
        return user

    return dependency


def page_url(request: Request, page: int) -> str:
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "page"]
    params.append(("page", str(page)))
    return f"{request.url.scheme}://{request.url.netloc}{request.url.path}?{urlencode(params)}"


def api_root(request: Request) -> str:
    return f"{request.url.scheme}://{request.url.netloc}/djinn"


@app.get("/djinn/objects", response_model=list[Object])
async def list_objects(
    request: Request,
    response: Response,
    db: Db,
    user: Annotated[Caller, Depends(current_user("object:read"))],
    page: Annotated[int, Query(ge=1)] = 1,
    search: Annotated[str | None, Query(max_length=255)] = None,
) -> Any:
    result = await paginate(db, objects.visible_objects(user.id, search), page)
    response.headers["Link"] = (
        f'<{page_url(request, result.prev)}>; rel="prev", '
        f'<{page_url(request, result.next)}>; rel="next"'
    )
    root = api_root(request)
    return [object_json(root, o) for o in result.items]


@app.post("/djinn/namespaces", response_model=NamespaceDetail, status_code=201)
async def create_namespace(
    request: Request,
    body: NamespaceCreate,
    user: Annotated[Caller, Depends(current_user("namespace:write"))],
) -> Any:
    async with runtime.sessions() as session, session.begin():
        parent = None
        if body.parent:
            parent = (await tree.by_paths(session, user.id, [body.parent])).get(body.parent)
            if parent is None:
                raise HTTPException(400, "Parent does not exist")
        try:
            new_id = await tree.create(
                session,
                user_id=user.id,
                parent=parent,
                name=body.name,
                description=body.description,
                visibility=body.visibility,
            )
        except NameTaken:
            raise HTTPException(400, "Name already exists") from None
        entity = namespace_detail_json(api_root(request), await tree.detail(session, new_id))
        await webhooks.fire(session, new_id, "namespaces", "created", {"namespace": entity})
    return entity
