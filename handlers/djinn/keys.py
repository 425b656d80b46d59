"""SSH keys: ``/keys``, ``/keys/{id}``.

A key must parse as an SSH private key (:mod:`genie.sshkeys`); it is encrypted
before it reaches the database and never comes back: responses and webhook
payloads carry its type and fingerprint only.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response

from genie import sshkeys, webhooks
from handlers._errors import FieldErrors, NotFound, ValidationFailed
from handlers._http import api_root, caller, json_response, reading, request, runtime
from handlers._pagination import djinn_list, paginate
from handlers.djinn import _resources
from handlers.djinn._entities import key_json
from models import SSHKey, access
from models import keys as stored
from models.base import utcnow
from models.keys import KEY_PURPOSE

NAME_TAKEN = _resources.NAME_TAKEN
KIND = _resources.Kind(stored.KEYS, event="ssh_keys", payload="key", render=key_json)
_WHITESPACE = re.compile(r"\s")


def normalise_name(name: str) -> str:
    """Whitespace becomes ``_``: the name is a file name in the build's ``~/.ssh``."""
    return _WHITESPACE.sub("_", name)


async def index(token_info: dict[str, Any], search: str | None = None, page: int = 1) -> Response:
    req, user = request(), caller(token_info)
    async with reading() as conn:
        result = await paginate(conn, stored.visible_keys(user.id, search), page)
    root = api_root(req)
    return djinn_list(req, result, [key_json(root, row) for row in result.items])


def _checked(name: str, key: str, errors: FieldErrors) -> sshkeys.ParsedKey | None:
    """The key parsed, or None; what is wrong with the name or the key goes to ``errors``."""
    if name in (".", ".."):
        errors.add("name", "Name cannot be . or ..")
    try:
        return sshkeys.parse_private_key(key)
    except sshkeys.InvalidKey as exc:
        errors.add("key", exc.message)
        return None


async def store(token_info: dict[str, Any], body: dict[str, Any]) -> Response:
    req, rt, user = request(), runtime(), caller(token_info)
    name = normalise_name(body["name"])
    errors = FieldErrors()
    parsed = _checked(name, body["key"], errors)
    async with reading() as conn:
        placement = await _resources.plan(conn, user, body.get("namespace"), errors)
        if errors:
            # A name in use, reported with the other errors; the unique index decides.
            await _resources.check_name(conn, KIND, placement, name, errors)
    if errors or parsed is None or placement is None:
        raise ValidationFailed(errors)

    now = utcnow()
    sealed = rt.crypto.encrypt(sshkeys.normalise_key(body["key"]), purpose=KEY_PURPOSE)

    async def insert(session: AsyncSession, placed: access.Placed) -> Row[Any]:
        return await stored.insert(
            session,
            SSHKey(
                author_id=user.id,
                user_id=placed.user_id,
                namespace_id=placed.namespace_id,
                name=name,
                encrypted_key=sealed,
                type=parsed.type,
                fingerprint=parsed.fingerprint,
                config=body.get("config") or "",
                created_at=now,
                updated_at=now,
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
    return json_response(key_json(api_root(req), row))


async def update(
    token_info: dict[str, Any], id: int, body: dict[str, Any] | None = None
) -> Response:
    req, rt, user = request(), runtime(), caller(token_info)
    body = body or {}
    root = api_root(req)
    async with rt.sessions() as session, session.begin():
        row = await stored.get_writable(session, id, user.id, lock=True)
        if row is None:
            raise NotFound()
        if "config" not in body:
            return json_response(key_json(root, row))
        row = await stored.change_config(session, id, body["config"])
        if row is None:
            raise NotFound()
        entity = key_json(root, row)
        await webhooks.fire(session, row.namespace_id, "ssh_keys", "updated", {"key": entity})
    rt.jobs.wake()
    return json_response(entity)


async def destroy(token_info: dict[str, Any], id: int) -> Response:
    return await _resources.destroy(KIND, caller(token_info), id)
