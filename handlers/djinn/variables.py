"""Variables: ``/variables``, ``/variables/{id}``.

A masked value is encrypted before it reaches the database and never comes back:
responses (and webhook payloads) read ``xxxxxx``.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response

from handlers._errors import FieldErrors, NotFound, ValidationFailed
from handlers._http import api_root, caller, json_response, reading, request, runtime
from handlers._pagination import djinn_list, paginate
from handlers.djinn import _resources
from handlers.djinn._entities import variable_json
from models import Variable, access
from models import variables as stored
from models.variables import VALUE_PURPOSE

#: Masked values shorter than this would be too easy to find in build output.
MASKED_MIN = 6
KEY_TAKEN = "Key already exists"
KIND = _resources.Kind(
    stored.VARIABLES,
    event="variables",
    payload="variable",
    render=variable_json,
    field="key",
    taken=KEY_TAKEN,
)


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
        placement = await _resources.plan(conn, user, body.get("namespace"), errors)
        if errors:
            # A key in use, reported with the other errors; the unique index decides.
            await _resources.check_name(conn, KIND, placement, key, errors)
    if errors or placement is None:
        raise ValidationFailed(errors)

    async def insert(session: AsyncSession, placed: access.Placed) -> Row[Any]:
        return await stored.insert(
            session,
            Variable(
                author_id=user.id,
                user_id=placed.user_id,
                namespace_id=placed.namespace_id,
                key=key,
                value=None if masked else value,
                encrypted_value=rt.crypto.encrypt(value, purpose=VALUE_PURPOSE) if masked else None,
                masked=masked,
            ),
        )

    entity = await _resources.create(KIND, api_root(req), placement, insert)
    return json_response(entity, 201)


async def show(token_info: dict[str, Any], id: int) -> Response:
    req, user = request(), caller(token_info)
    async with reading() as conn:
        row = await stored.get_visible(conn, id, user.id)
    if row is None:
        raise NotFound()
    return json_response(variable_json(api_root(req), row))


async def destroy(token_info: dict[str, Any], id: int) -> Response:
    return await _resources.destroy(KIND, caller(token_info), id)
