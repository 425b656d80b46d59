"""Variables: ``/variables``, ``/variables/{id}``.

A masked value is encrypted before it reaches the database and never comes back:
responses (and webhook payloads) read ``xxxxxx``.
"""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from genie import webhooks
from handlers._errors import FieldErrors, NotFound, ValidationFailed
from handlers._http import api_root, caller, json_response, reading, request, runtime
from handlers._pagination import djinn_list, paginate
from handlers.djinn._entities import variable_json
from models import Variable, access
from models import variables as stored
from models.variables import VALUE_PURPOSE, KeyTaken

#: Masked values shorter than this would be too easy to find in build output.
MASKED_MIN = 6
KEY_TAKEN = "Key already exists"


async def index(token_info: dict[str, Any], search: str | None = None, page: int = 1) -> Response:
    req, user = request(), caller(token_info)
    async with reading() as conn:
        result = await paginate(conn, stored.visible_variables(user.id, search), page)
    root = api_root(req)
    return djinn_list(req, result, [variable_json(root, row) for row in result.items])


async def store(token_info: dict[str, Any], body: dict[str, Any]) -> Response:
    req, rt, user = request(), runtime(), caller(token_info)
    key, value, masked = body["key"], body["value"], bool(body.get("mask", False))
    errors = FieldErrors()
    if masked and len(value) < MASKED_MIN:
        errors.add("value", f"Value cannot be shorter than {MASKED_MIN} characters in length")
    async with reading() as conn:
        placement = await access.plan(conn, user, body.get("namespace"))
        if isinstance(placement, access.Refused):
            errors.add("namespace", placement.message)
        elif (
            errors
            and not placement.missing
            and await stored.key_taken(conn, placement.user_id, placement.namespace_id, key)
        ):
            # A key in use, reported with the other errors; the unique index decides.
            errors.add("key", KEY_TAKEN)
    if errors or isinstance(placement, access.Refused):
        raise ValidationFailed(errors)

    root = api_root(req)
    try:
        async with rt.sessions() as session, session.begin():
            placed = await access.place(session, placement)
            row = await stored.insert(
                session,
                Variable(
                    author_id=user.id,
                    user_id=placed.user_id,
                    namespace_id=placed.namespace_id,
                    key=key,
                    value=None if masked else value,
                    encrypted_value=rt.crypto.encrypt(value, purpose=VALUE_PURPOSE)
                    if masked
                    else None,
                    masked=masked,
                ),
            )
            entity = variable_json(root, row)
            await webhooks.fire(
                session, placed.namespace_id, "variables", "created", {"variable": entity}
            )
    except KeyTaken:
        raise ValidationFailed({"key": [KEY_TAKEN]}) from None
    rt.jobs.wake()
    return json_response(entity, 201)


async def show(token_info: dict[str, Any], id: int) -> Response:
    req, user = request(), caller(token_info)
    async with reading() as conn:
        row = await stored.get_visible(conn, id, user.id)
    if row is None:
        raise NotFound()
    return json_response(variable_json(api_root(req), row))


async def destroy(token_info: dict[str, Any], id: int) -> Response:
    req, rt, user = request(), runtime(), caller(token_info)
    async with rt.sessions() as session, session.begin():
        row = await stored.get_writable(session, id, user.id)
        if row is None or not await stored.remove(session, id):
            raise NotFound()
        await webhooks.fire(
            session,
            row.namespace_id,
            "variables",
            "deleted",
            {"variable": variable_json(api_root(req), row)},
        )
    rt.jobs.wake()
    return Response(status_code=204)
