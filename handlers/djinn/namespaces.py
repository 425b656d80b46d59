"""Namespaces: ``/namespaces``, ``/n/{username}/{path}`` and its ``/-/`` lists.

Access is :mod:`models.access`'s: what the caller may not see is a 404.
"""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from genie import webhooks
from handlers._errors import BadRequest, MethodNotAllowed, ValidationFailed
from handlers._http import (
    api_root,
    caller,
    json_response,
    optional_caller,
    reading,
    request,
    runtime,
)
from handlers._pagination import djinn_list, paginate
from handlers.djinn import _builds
from handlers.djinn._entities import (
    image_json,
    key_json,
    namespace_detail_json,
    object_json,
    variable_json,
)
from models import access
from models import images as stored_images
from models import keys as stored_keys
from models import namespaces as tree
from models import objects as stored_objects
from models import variables as stored_variables
from models.namespaces import MAX_DEPTH, NamesClash, NameTaken

#: Reading a namespace that is not public needs these scopes (public ones: none).
READ_SCOPES = ("namespace:read",)
BUILD_READ_SCOPES = ("namespace:read", "build:read")


def _not_a_sub_resource(path: str) -> None:
    """A ``{path}`` holding ``/-/`` addresses a sub-resource, never a namespace (names
    have no ``-``): its route exists, for other methods (405), or nothing does (404)."""
    if "/-/" in f"/{path}/":
        raise MethodNotAllowed()


async def index(token_info: dict[str, Any], search: str | None = None, page: int = 1) -> Response:
    req, user = request(), caller(token_info)
    async with reading() as conn:
        result = await paginate(conn, tree.listed(user.id, search), page)
    root = api_root(req)
    return djinn_list(req, result, [namespace_detail_json(root, row) for row in result.items])


async def store(token_info: dict[str, Any], body: dict[str, Any]) -> Response:
    req, rt, user = request(), runtime(), caller(token_info)
    parent_path = body.get("parent") or None
    root = api_root(req)
    # A Core connection, not an ORM session: every statement below is Core, and
    # on it they run as prepared statements (models.reads; bench/README.md).
    async with rt.transaction() as conn:
        parent = None
        if parent_path:
            parent = (await tree.by_paths(conn, user.id, [parent_path])).get(parent_path)
            if parent is None:
                raise ValidationFailed({"parent": ["Parent does not exist"]})
            if parent.level + 1 >= MAX_DEPTH:
                raise ValidationFailed({"parent": [f"Parent cannot exceed depth of {MAX_DEPTH}"]})
        try:
            new_id = await tree.create(
                conn,
                user_id=user.id,
                parent=parent,
                name=body["name"],
                description=body.get("description") or "",
                visibility=body.get("visibility") or "private",
            )
        except NameTaken:
            raise ValidationFailed({"name": ["Name already exists"]}) from None
        entity = namespace_detail_json(root, await tree.detail(conn, new_id))
        await webhooks.fire(conn, new_id, "namespaces", "created", {"namespace": entity})
    rt.jobs.wake()
    return json_response(entity, 201)


async def show(username: str, path: str, token_info: dict[str, Any] | None = None) -> Response:
    _not_a_sub_resource(path)
    req, user = request(), optional_caller(token_info)
    async with reading() as conn:
        row = await access.namespace(conn, user, username, path, access.READ, scopes=READ_SCOPES)
    return json_response(namespace_detail_json(api_root(req), row, anonymous=user is None))


async def update(
    username: str,
    path: str,
    token_info: dict[str, Any],
    body: dict[str, Any] | None = None,
) -> Response:
    _not_a_sub_resource(path)
    req, rt, user = request(), runtime(), caller(token_info)
    body = body or {}
    async with rt.sessions() as session, session.begin():
        row = await access.namespace(session, user, username, path, access.OWNER, lock="update")
        await tree.change(
            session, row, description=body.get("description"), visibility=body.get("visibility")
        )
        entity = namespace_detail_json(api_root(req), await tree.detail(session, row.id))
        await webhooks.fire(session, row.id, "namespaces", "updated", {"namespace": entity})
    rt.jobs.wake()
    return json_response(entity)


async def destroy(username: str, path: str, token_info: dict[str, Any]) -> Response:
    _not_a_sub_resource(path)
    req, rt, user = request(), runtime(), caller(token_info)
    async with rt.sessions() as session, session.begin():
        row = await access.namespace(session, user, username, path, access.OWNER, lock="update")
        entity = namespace_detail_json(api_root(req), row)
        try:
            await tree.remove_subtree(session, row)
        except NamesClash as exc:
            raise BadRequest(
                "Namespace cannot be deleted: its resources would become the owner's "
                "personal ones, and these names are already taken there or used twice: "
                + "; ".join(exc.clashes)
            ) from None
        await webhooks.fire(session, row.parent_id, "namespaces", "deleted", {"namespace": entity})
    rt.jobs.wake()
    return Response(status_code=204)


# Sub-lists: whoever may see the namespace may list them.


async def children(
    username: str,
    path: str,
    token_info: dict[str, Any] | None = None,
    search: str | None = None,
    page: int = 1,
) -> Response:
    req, user = request(), optional_caller(token_info)
    async with reading() as conn:
        ns = await access.namespace(conn, user, username, path, access.READ, scopes=READ_SCOPES)
        result = await paginate(conn, tree.children(ns.id, search), page)
    root, anonymous = api_root(req), user is None
    items = [namespace_detail_json(root, row, anonymous=anonymous) for row in result.items]
    return djinn_list(req, result, items)


async def objects(
    username: str,
    path: str,
    token_info: dict[str, Any] | None = None,
    search: str | None = None,
    page: int = 1,
) -> Response:
    req, user = request(), optional_caller(token_info)
    async with reading() as conn:
        ns = await access.namespace(conn, user, username, path, access.READ, scopes=READ_SCOPES)
        result = await paginate(conn, stored_objects.in_namespace(ns.id, search), page)
    root, anonymous = api_root(req), user is None
    return djinn_list(
        req, result, [object_json(root, row, anonymous=anonymous) for row in result.items]
    )


async def builds(
    username: str,
    path: str,
    token_info: dict[str, Any] | None = None,
    tag: str | None = None,
    search: str | None = None,
    status: str | None = None,
    pinned: bool | None = None,
    page: int = 1,
) -> Response:
    req, user = request(), optional_caller(token_info)
    filters = stored_objects.BuildFilters(tag, search, status, pinned)
    async with reading() as conn:
        ns = await access.namespace(
            conn, user, username, path, access.READ, scopes=BUILD_READ_SCOPES
        )
        result = await paginate(conn, tree.builds(ns.id, filters), page)
        items = await _builds.page_json(conn, api_root(req), result.items, anonymous=user is None)
    return djinn_list(req, result, items)


async def images(
    username: str,
    path: str,
    token_info: dict[str, Any] | None = None,
    search: str | None = None,
    page: int = 1,
) -> Response:
    req, user = request(), optional_caller(token_info)
    async with reading() as conn:
        ns = await access.namespace(conn, user, username, path, access.READ, scopes=READ_SCOPES)
        result = await paginate(conn, stored_images.in_namespace(ns.id, search), page)
    root, anonymous = api_root(req), user is None
    return djinn_list(
        req, result, [image_json(root, row, anonymous=anonymous) for row in result.items]
    )


async def variables(
    username: str,
    path: str,
    token_info: dict[str, Any] | None = None,
    search: str | None = None,
    page: int = 1,
) -> Response:
    req, user = request(), optional_caller(token_info)
    async with reading() as conn:
        ns = await access.namespace(conn, user, username, path, access.READ, scopes=READ_SCOPES)
        result = await paginate(conn, stored_variables.in_namespace(ns.id, search), page)
    root, anonymous = api_root(req), user is None
    return djinn_list(
        req, result, [variable_json(root, row, anonymous=anonymous) for row in result.items]
    )


async def keys(
    username: str,
    path: str,
    token_info: dict[str, Any] | None = None,
    search: str | None = None,
    page: int = 1,
) -> Response:
    req, user = request(), optional_caller(token_info)
    async with reading() as conn:
        ns = await access.namespace(conn, user, username, path, access.READ, scopes=READ_SCOPES)
        result = await paginate(conn, stored_keys.in_namespace(ns.id, search), page)
    root, anonymous = api_root(req), user is None
    return djinn_list(
        req, result, [key_json(root, row, anonymous=anonymous) for row in result.items]
    )


# The badge.

BADGE_COLOURS = {
    "queued": "#007ec6",
    "running": "#007ec6",
    "passed": "#4c1",
    "passed with failures": "#dfb317",
    "failed": "#e05d44",
    "killed": "#9f9f9f",
    "timed out": "#fe7d37",
    "unknown": "#9f9f9f",
}


def badge_svg(status: str) -> str:
    """A flat two-part badge, ``build | <status>``; widths from a 7 px average glyph."""
    label, colour = "build", BADGE_COLOURS[status]
    left, right = 10 + 7 * len(label), 10 + 7 * len(status)
    width = left + right
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="20" role="img" '
        f'aria-label="{label}: {status}"><title>{label}: {status}</title>'
        f'<rect width="{left}" height="20" fill="#555"/>'
        f'<rect x="{left}" width="{right}" height="20" fill="{colour}"/>'
        '<g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,sans-serif" '
        'font-size="11">'
        f'<text x="{left / 2}" y="14">{label}</text>'
        f'<text x="{left + right / 2}" y="14">{status}</text></g></svg>'
    )


async def badge(username: str, path: str) -> Response:
    async with reading() as conn:
        row = await tree.find(conn, username, path, None)
    status = "unknown"
    if row is not None and row.visibility == "public" and row.build_status is not None:
        status = row.build_status.replace("_", " ")
    return Response(
        badge_svg(status), media_type="image/svg+xml", headers={"Cache-Control": "no-cache"}
    )
