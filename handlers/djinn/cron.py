"""Cron jobs: ``/cron``, ``/cron/{id}``, ``/cron/{id}/builds``.

A cron job's namespace is its manifest's ``namespace:``; a namespace the caller
may not use is ``Manifest cannot submit to namespace``. The manifest is stored
normalised (:mod:`genie.manifest`), and ``next_run`` is the start of the next
UTC period of its schedule (:mod:`genie.schedule`).
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any

from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from starlette.responses import Response

from genie import manifest, schedule, webhooks
from genie.crypto import Crypto
from genie.sealed_manifest import sealed_for
from handlers._errors import FieldErrors, NotFound, ValidationFailed
from handlers._http import api_root, caller, json_response, reading, request, runtime
from handlers._pagination import djinn_list, paginate
from handlers.djinn import _builds, _resources
from handlers.djinn._entities import cron_json
from models import Cron, access
from models import cron as crons
from models.access import PERMISSION_DENIED
from models.base import utcnow
from models.cron import NameTaken
from models.objects import BuildFilters
from models.users import Caller

CANNOT_SUBMIT = "Manifest cannot submit to namespace"
NAME_TAKEN = _resources.NAME_TAKEN
KIND = _resources.Kind(crons.CRON, event="cron", payload="cron", render=cron_json)


def now() -> datetime:
    """The clock ``next_run`` is computed from (tests set it)."""
    return utcnow()


async def index(token_info: dict[str, Any], search: str | None = None, page: int = 1) -> Response:
    req, user = request(), caller(token_info)
    async with reading() as conn:
        result = await paginate(conn, crons.visible_cron(user.id, search), page)
    root = api_root(req)
    return djinn_list(req, result, [cron_json(root, row) for row in result.items])


async def _check_manifest(
    conn: AsyncConnection | AsyncSession,
    user: Caller,
    text: str,
    errors: FieldErrors,
    *,
    drivers: Collection[str] = manifest.DRIVER_TYPES,
) -> tuple[manifest.Manifest | None, access.Placement | None]:
    """Parse the manifest and plan its namespace for ``user``, adding every problem
    to ``errors``; the namespace is checked even when the manifest has others.
    Builds pass the ``drivers`` this server runs (cron keeps every type)."""
    parsed: manifest.Manifest | None = None
    try:
        parsed = manifest.parse(text, drivers=drivers)
        reference = parsed.namespace
    except manifest.InvalidManifest as exc:
        for problem in exc.problems:
            errors.add("manifest", problem)
        reference = exc.namespace
    placement = await access.plan(conn, user, reference)
    if isinstance(placement, access.Refused):
        errors.add("manifest", CANNOT_SUBMIT)
        if placement.message != PERMISSION_DENIED:
            # A namespace path that cannot be read: say why, under namespace.
            errors.add("namespace", placement.message)
        return parsed, None
    return parsed, placement


async def store(token_info: dict[str, Any], body: dict[str, Any]) -> Response:
    req, rt, user = request(), runtime(), caller(token_info)
    name, every = body["name"], body.get("schedule") or schedule.DEFAULT_SCHEDULE
    errors = FieldErrors()
    async with reading() as conn:
        parsed, placement = await _check_manifest(conn, user, body["manifest"], errors)
        if errors:
            await _resources.check_name(conn, KIND, placement, name, errors)
    if errors or parsed is None or placement is None:
        raise ValidationFailed(errors)

    async def insert(session: AsyncSession, placed: access.Placed) -> Row[Any]:
        kept = await sealed_for(session, rt.crypto, parsed.to_yaml(), user.id, placed.namespace_id)
        return await crons.insert(
            session,
            Cron(
                author_id=user.id,
                user_id=placed.user_id,
                namespace_id=placed.namespace_id,
                name=name,
                schedule=every,
                manifest=kept.shown,
                sealed_manifest=kept.sealed,
                next_run=schedule.next_run(every, now()),
            ),
        )

    entity = await _resources.create(KIND, api_root(req), placement, insert)
    return json_response(entity, 201)


async def show(token_info: dict[str, Any], id: int) -> Response:
    req, user = request(), caller(token_info)
    async with reading() as conn:
        row = await crons.get_visible(conn, id, user.id)
    if row is None:
        raise NotFound()
    return json_response(cron_json(api_root(req), row))


async def update(
    token_info: dict[str, Any], id: int, body: dict[str, Any] | None = None
) -> Response:
    req, rt, user = request(), runtime(), caller(token_info)
    body = body or {}
    try:
        async with rt.sessions() as session, session.begin():
            row = await crons.get_writable(session, id, user.id, lock=True)
            if row is None:
                raise NotFound()
            values = await _changes(session, user, row, body, rt.crypto)
            changed = await crons.change(session, id, values)
            entity = cron_json(api_root(req), changed)
            # A cron job moved to another namespace is news to both.
            for namespace_id in dict.fromkeys((changed.namespace_id, row.namespace_id)):
                await webhooks.fire(session, namespace_id, "cron", "updated", {"cron": entity})
    except NameTaken:
        raise ValidationFailed({"name": [NAME_TAKEN]}) from None
    rt.jobs.wake()
    return json_response(entity)


async def _changes(
    session: AsyncSession, user: Caller, row: Row[Any], body: dict[str, Any], crypto: Crypto
) -> dict[str, Any]:
    """The columns an update of cron job ``row`` sets, every problem refused at
    once; a new manifest places the job in its namespace, its masked values sealed."""
    errors = FieldErrors()
    values: dict[str, Any] = {}
    # An empty name or manifest keeps the current one, as in the original,
    # whose client always sends all three fields.
    name = body.get("name") or row.name
    if name != row.name:
        values["name"] = name
    every = body.get("schedule")
    if every is not None and every != row.schedule:
        values["schedule"] = every
        values["next_run"] = schedule.next_run(every, now())
    placement: access.Placement | None = None
    if not manifest.is_empty(body.get("manifest")):
        parsed, placement = await _check_manifest(session, user, body["manifest"], errors)
        if parsed is not None and placement is not None:
            # Whoever writes the manifest is its author: builds run as them.
            values.update(manifest=parsed.to_yaml(), author_id=user.id)
    if errors:
        where = placement or access.Placement(row.user_id, row.namespace_id)
        await _resources.check_name(session, KIND, where, name, errors, other_than=row.id)
        raise ValidationFailed(errors)
    if placement is not None:
        placed = await access.place(session, placement)
        values.update(user_id=placed.user_id, namespace_id=placed.namespace_id)
        kept = await sealed_for(session, crypto, values["manifest"], user.id, placed.namespace_id)
        values.update(manifest=kept.shown, sealed_manifest=kept.sealed)
    return values


async def destroy(token_info: dict[str, Any], id: int) -> Response:
    return await _resources.destroy(KIND, caller(token_info), id)


async def builds(
    token_info: dict[str, Any],
    id: int,
    tag: str | None = None,
    search: str | None = None,
    status: str | None = None,
    pinned: bool | None = None,
    page: int = 1,
) -> Response:
    filters = BuildFilters(tag, search, status, pinned)
    return await _builds.of_resource(
        caller(token_info), crons.exists_visible, crons.builds_of, id, filters, page
    )
