"""Invites: ``/invites``, ``/invites/{id}`` and ``/n/{username}/{path}/-/invites``.

Only a tree's owner invites; the invitee accepts (becoming a collaborator of the
root) or rejects, and the inviter may withdraw. Anyone else gets a 404.
"""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from genie import webhooks
from handlers._errors import BadRequest, NotFound
from handlers._http import api_root, caller, json_response, reading, request, runtime
from handlers.djinn._entities import invite_json, namespace_detail_json, user_json
from models import access
from models import invites as pending
from models import namespaces as tree
from models.invites import AlreadyInvited


async def index(token_info: dict[str, Any]) -> Response:
    req, user = request(), caller(token_info)
    async with reading() as conn:
        rows = await pending.for_invitee(conn, user.id)
    root = api_root(req)
    return json_response([invite_json(root, row) for row in rows])


async def namespace_index(username: str, path: str, token_info: dict[str, Any]) -> Response:
    req, user = request(), caller(token_info)
    async with reading() as conn:
        ns = await access.namespace(conn, user, username, path, access.OWNER)
        rows = await pending.for_namespace(conn, ns.id)
    root = api_root(req)
    return json_response([invite_json(root, row) for row in rows])


async def store(
    username: str, path: str, token_info: dict[str, Any], body: dict[str, Any]
) -> Response:
    req, rt, user = request(), runtime(), caller(token_info)
    root = api_root(req)
    async with rt.sessions() as session, session.begin():
        ns = await access.namespace(session, user, username, path, access.OWNER, lock="share")
        invitee = await pending.user_by_handle(session, body["handle"])
        if invitee is None:
            raise BadRequest("No such user")
        if invitee.id == user.id:
            raise BadRequest("Cannot invite self")
        if await tree.collaborates(session, ns.root_id, invitee.id):
            raise BadRequest("Already a collaborator")
        try:
            invite_id = await pending.create(
                session, namespace=ns, invitee_id=invitee.id, inviter_id=user.id
            )
        except AlreadyInvited:
            raise BadRequest("Invite already sent") from None
        row = await pending.get(session, invite_id)
        assert row is not None
        entity = invite_json(root, row)
        await webhooks.fire(session, ns.id, "invite.sent", "sent", {"invite": entity})
    rt.jobs.wake()
    return json_response(entity, 201)


async def update(id: int, token_info: dict[str, Any]) -> Response:
    """Accept: the invitee joins the tree's root as a collaborator."""
    req, rt, user = request(), runtime(), caller(token_info)
    root = api_root(req)
    async with rt.sessions() as session, session.begin():
        row = await pending.get(session, id)
        if row is None or row.invitee_id != user.id or not await pending.remove(session, id):
            raise NotFound()
        await tree.add_collaborator(session, row.root_id, user.id)
        namespace = namespace_detail_json(root, await tree.detail(session, row.root_id))
        for nested in ("user", "parent", "build"):
            namespace.pop(nested)
        m = row._mapping
        accepted = {
            "namespace": namespace,
            "invitee": user_json(m, "invitee"),
            "inviter": user_json(m, "inviter"),
        }
        await webhooks.fire(
            session,
            row.namespace_id,
            "invite.accepted",
            "accepted",
            {"invite": invite_json(root, row)},
        )
    rt.jobs.wake()
    return json_response(accepted)


async def destroy(id: int, token_info: dict[str, Any]) -> Response:
    """Reject (the invitee) or withdraw (the inviter)."""
    req, rt, user = request(), runtime(), caller(token_info)
    async with rt.sessions() as session, session.begin():
        row = await pending.get(session, id)
        if row is None or user.id not in (row.invitee_id, row.inviter_id):
            raise NotFound()
        if not await pending.remove(session, id):
            raise NotFound()
        await webhooks.fire(
            session,
            row.namespace_id,
            "invite.rejected",
            "rejected",
            {"invite": invite_json(api_root(req), row)},
        )
    rt.jobs.wake()
    return Response(status_code=204)
