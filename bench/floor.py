"""The raw floor of the benchmark: the fastest honest code for genie's list and
JSON create, with no framework.

A bare ASGI app. It sends the same SQL as genie, with the same parameters,
compiled once from ``models/`` (so a change to a model's statement moves the
floor too), as **raw asyncpg prepared statements** on an asyncpg pool, and
renders the same JSON with orjson. It checks the bearer token and its scope as
genie does and answers a bad token with the same status codes (401 with
``WWW-Authenticate: Bearer``, 403 for a missing scope), a bad body with 400.

Run: ``GENIE_DATABASE_URL=postgresql://... uvicorn bench.floor:app``
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qsl, urlencode

import asyncpg
import orjson
from sqlalchemy.dialects.postgresql.asyncpg import dialect as asyncpg_dialect
from sqlalchemy.engine.interfaces import Dialect
from sqlalchemy.sql import ClauseElement

from genie.scopes import parse
from genie.settings import Settings
from handlers.djinn._entities import NAMESPACE_LINKS
from models import namespaces as tree
from models import objects
from models.rows import NAMESPACE_FIELDS
from models.users import _CALLER, hash_token
from models.webhooks import _SUBSCRIBERS, EVENTS

Message = dict[str, Any]
Send = Callable[[Message], Awaitable[None]]
Receive = Callable[[], Awaitable[Message]]
_DIALECT: Dialect = asyncpg_dialect()


class Statement:
    """One SQLAlchemy statement compiled to asyncpg's ``$n`` SQL, and its order of
    parameter names. asyncpg prepares each SQL text once per connection (its
    statement cache) and then only binds and executes it."""

    def __init__(self, statement: ClauseElement) -> None:
        compiled = statement.compile(dialect=_DIALECT)
        self.sql = str(compiled)
        self.names = tuple(compiled.positiontup or ())
        #: Values bound in the statement itself (``literal`` parameters).
        self.fixed = {k: v for k, v in compiled.params.items() if v is not None}

    def args(self, params: dict[str, Any]) -> list[Any]:
        values = {**self.fixed, **params}
        return [values[name] for name in self.names]


CALLER = Statement(_CALLER)
PAGE = Statement(objects.visible_objects(0).page)
PAGE_SEARCH = Statement(objects.visible_objects(0, "x").page)
DETAIL = Statement(tree._BY_ID)
SUBSCRIBERS = Statement(_SUBSCRIBERS)
INSERT = (
    "INSERT INTO namespaces (user_id, root_id, parent_id, name, path, description,"
    " visibility, level, created_at) VALUES ($1, NULL, NULL, $2, $2, $3, $4, 0, now())"
    " RETURNING id"
)
SET_ROOT = "UPDATE namespaces SET root_id = $1 WHERE id = $1"
NAME = re.compile(r"^[a-zA-Z0-9]+$")
UNAUTHORIZED = (401, {"message": "Unauthorized"}, [(b"www-authenticate", b"Bearer")])


class Floor:
    def __init__(self) -> None:
        self.pool: asyncpg.Pool | None = None
        url = Settings.from_env().database_url
        self.dsn = re.sub(r"^postgresql\+\w+://", "postgresql://", url)

    async def __call__(self, scope: dict[str, Any], receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self.lifespan(receive, send)
            return
        route = (scope["method"], scope["path"])
        if route == ("GET", "/djinn/objects"):
            status, body, headers = await self.list_objects(scope)
        elif route == ("POST", "/djinn/namespaces"):
            status, body, headers = await self.create_namespace(scope, receive)
        else:
            status, body, headers = 404, {"message": "Not found"}, []
        payload = orjson.dumps(body, option=orjson.OPT_UTC_Z)
        headers = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(payload)).encode()),
            *headers,
        ]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": payload})

    async def lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                self.pool = await asyncpg.create_pool(self.dsn, min_size=1, max_size=10)
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                if self.pool is not None:
                    await self.pool.close()
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def caller(self, conn: Any, scope: dict[str, Any], needed: str) -> Any:
        """The caller's row (id, username, email, created_at, scope), or an error."""
        header = dict(scope["headers"]).get(b"authorization", b"").decode("latin-1")
        kind, _, token = header.partition(" ")
        if kind.lower() != "bearer" or not token:
            return UNAUTHORIZED
        row = await conn.fetchrow(CALLER.sql, hash_token(token))
        if row is None:
            return UNAUTHORIZED
        if needed not in parse(row["scope"]):
            return 403, {"message": f"Forbidden: the token lacks the scope {needed}"}, []
        return row

    async def list_objects(self, scope: dict[str, Any]) -> tuple[int, Any, list[Any]]:
        query = dict(parse_qsl(scope["query_string"].decode("latin-1")))
        raw_page = query.get("page", "1")
        if not raw_page.isdigit() or int(raw_page) < 1:
            return 400, {"page": ["Page must be at least 1"]}, []
        page = int(raw_page)
        assert self.pool is not None
        async with self.pool.acquire() as conn:
            user = await self.caller(conn, scope, "object:read")
            if isinstance(user, tuple):
                return user
            params = {"caller_id": user["id"], "limit": 26, "offset": (page - 1) * 25}
            statement = PAGE
            if query.get("search"):
                statement = PAGE_SEARCH
                params["pattern"] = "%" + re.sub(r"([\\%_])", r"\\\1", query["search"]) + "%"
            rows = await conn.fetch(statement.sql, *statement.args(params))
        root = _root(scope)
        link = (
            f'<{_page_url(scope, root, query, max(page - 1, 1))}>; rel="prev", '
            f'<{_page_url(scope, root, query, page + 1 if len(rows) > 25 else page)}>; rel="next"'
        )
        return 200, [_object(root, r) for r in rows[:25]], [(b"link", link.encode())]

    async def create_namespace(
        self, scope: dict[str, Any], receive: Receive
    ) -> tuple[int, Any, list[Any]]:
        body = await _body(receive)
        assert self.pool is not None
        async with self.pool.acquire() as conn:
            user = await self.caller(conn, scope, "namespace:write")
            if isinstance(user, tuple):
                return user
            try:
                fields = orjson.loads(body)
            except orjson.JSONDecodeError:
                return 400, {"body": ["Body is not valid JSON"]}, []
            errors = _namespace_errors(fields)
            if errors:
                return 400, errors, []
            try:
                async with conn.transaction():
                    entity = await self.insert(conn, user["id"], fields, _root(scope))
            except asyncpg.UniqueViolationError:
                return 400, {"name": ["Name already exists"]}, []
        return 201, entity, []

    async def insert(self, conn: Any, user_id: int, fields: dict[str, Any], root: str) -> Any:
        """The root namespace's insert, its detail row and its webhook look-up."""
        name = fields["name"]
        description, visibility = fields.get("description", ""), fields.get("visibility")
        new_id = await conn.fetchval(INSERT, user_id, name, description, visibility or "private")
        await conn.execute(SET_ROOT, new_id)
        row = await conn.fetchrow(DETAIL.sql, *DETAIL.args({"id": new_id}))
        entity = _namespace(root, row)
        params = {"namespace_id": new_id, "bit": EVENTS["namespaces"]}
        hooks = await conn.fetch(SUBSCRIBERS.sql, *SUBSCRIBERS.args(params))
        assert not hooks, "the floor fires no webhooks: the benchmark registers none"
        return entity


async def _body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            return b"".join(chunks)


def _root(scope: dict[str, Any]) -> str:
    host = dict(scope["headers"]).get(b"host", b"").decode("latin-1")
    return f"{scope['scheme']}://{host}/djinn"


def _page_url(scope: dict[str, Any], root: str, query: dict[str, str], page: int) -> str:
    params = [(k, v) for k, v in query.items() if k != "page"] + [("page", str(page))]
    return f"{root}/objects?{urlencode(params)}"


def _user(r: Any, p: str) -> dict[str, Any] | None:
    if r[p + "_username"] is None:
        return None
    return {
        "email": r[p + "_email"],
        "username": r[p + "_username"],
        "created_at": r[p + "_created_at"],
    }


NS_LINKS = tuple((f"{name}_url", name) for name in NAMESPACE_LINKS)


def _links(values: dict[str, Any], url: str) -> dict[str, Any]:
    values["root_id"] = values["root_id"] or values["id"]
    values["url"] = url
    for key, name in NS_LINKS:
        values[key] = f"{url}/-/{name}"
    return values


def _object(root: str, r: Any) -> dict[str, Any]:
    url = f"{root}/objects/{r['id']}"
    namespace = None
    if r["ns_id"] is not None:
        values = {f: r["ns_" + f] for f in NAMESPACE_FIELDS}
        namespace = _links(values, f"{root}/n/{r['ns_owner']}/{values['path']}")
    return {
        "id": r["id"],
        "author_id": r["author_id"],
        "user_id": r["user_id"],
        "namespace_id": r["namespace_id"],
        "name": r["name"],
        "type": r["type"],
        "size": r["size"],
        "md5": r["md5"],
        "sha256": r["sha256"],
        "created_at": r["created_at"],
        "url": url,
        "builds_url": url + "/builds",
        "author": _user(r, "author"),
        "user": _user(r, "user"),
        "namespace": namespace,
    }


def _namespace(root: str, r: Any) -> dict[str, Any]:
    """A new root namespace's detail: no parent, no build yet."""
    url = f"{root}/n/{r['user_username']}/{r['path']}"
    values = _links({f: r[f] for f in NAMESPACE_FIELDS}, url)
    values["user"] = _user(r, "user")
    values["parent"] = None
    values["build"] = None
    return values


def _namespace_errors(body: Any) -> dict[str, list[str]]:
    if not isinstance(body, dict):
        return {"body": ["Body must be a JSON object"]}
    errors: dict[str, list[str]] = {}
    name = body.get("name")
    if not isinstance(name, str) or not 3 <= len(name) <= 32 or not NAME.match(name):
        errors["name"] = ["Name must be 3 to 32 letters and numbers"]
    description = body.get("description", "")
    if not isinstance(description, str) or len(description) > 255 or "\x00" in description:
        errors["description"] = ["Description cannot be longer than 255 characters in length"]
    if body.get("visibility", "private") not in tree.VISIBILITIES:
        errors["visibility"] = ["Visibility must be one of private, internal, public"]
    if body.get("parent") is not None:
        errors["parent"] = ["The floor creates root namespaces only"]
    return errors


app = Floor()
