"""Collaborators of a namespace tree: ``/n/{username}/{path}/-/collaborators``.

They belong to the tree's root; the tree's owner alone lists and removes them.
"""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from handlers._errors import BadRequest
from handlers._http import api_root, caller, json_response, reading, request, runtime
from handlers.djinn._entities import collaborator_json
from models import access
from models import namespaces as tree


async def index(username: str, path: str, token_info: dict[str, Any]) -> Response:
    req, user = request(), caller(token_info)
    async with reading() as conn:
        ns = await access.namespace(conn, user, username, path, access.OWNER)
        rows = await tree.collaborators(conn, ns.root_id)
    root = api_root(req)
    url = f"{root}/n/{ns.user_username}/{ns.path}"
    return json_response([collaborator_json(root, row, url) for row in rows])


async def destroy(
    username: str, path: str, collaborator: str, token_info: dict[str, Any]
) -> Response:
    rt, user = runtime(), caller(token_info)
    async with rt.sessions() as session, session.begin():
        ns = await access.namespace(session, user, username, path, access.OWNER, lock="share")
        removed = await tree.remove_collaborator(session, ns.root_id, collaborator)
    if not removed:
        raise BadRequest("No such collaborator")
    return Response(status_code=204)
