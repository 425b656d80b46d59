"""Containers: ``/containers/{organization}/apps/`` and ``.../apps/{app}/[logs/]``.

The organization and the caller's role on it were checked in the security step
(``_access``). Deploys are queued in the same transaction as the change that
causes them, and the job worker is woken once it commits.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncConnection
from starlette.responses import Response

from genie import deploy
from handlers._errors import NotFound, ValidationFailed
from handlers._http import json_response, reading, request, runtime
from handlers._pagination import drf_list, drf_paginate
from handlers.djaodjin import _access as access
from handlers.djaodjin._entities import container_json
from models import containers
from models.api_keys import random_text
from models.containers import RESTART_FIELDS, UPDATABLE, SlugTaken

EXTERNAL_ID_LENGTH = 32


def _changes(body: dict[str, Any]) -> dict[str, Any]:
    """The updatable fields the body sets (validated by the spec already)."""
    values = {f: body[f] for f in UPDATABLE if f in body}
    if "env" in values:
        env = [{"name": v["name"], "value": v["value"]} for v in values["env"]]
        seen: set[str] = set()
        for variable in env:
            if variable["name"] in seen:
                raise ValidationFailed({"env": [f"Duplicate variable name: {variable['name']}."]})
            seen.add(variable["name"])
        values["env"] = env
    return values


async def _container(
    conn: AsyncConnection, organization_id: int, slug: str, *, lock: bool = False
) -> Row[Any]:
    row = await containers.get(conn, organization_id, slug, lock=lock)
    if row is None:
        raise NotFound()
    return row


async def index(
    token_info: dict[str, Any],
    organization: str,
    page: str | None = None,
    page_size: str | None = None,
) -> Response:
    org = access.organization(token_info)
    async with reading() as conn:
        result = await drf_paginate(
            conn, containers.of_organization(org.organization_id), page, page_size
        )
    return drf_list(request(), result, [container_json(r) for r in result.items])


async def store(token_info: dict[str, Any], organization: str, body: dict[str, Any]) -> Response:
    rt, org, user = runtime(), access.organization(token_info), access.user(token_info)
    values = {"env": [], "dataset": "testing", **_changes(body)}
    values["slug"] = body["slug"]
    values["external_id"] = values.get("external_id") or random_text(EXTERNAL_ID_LENGTH)
    async with rt.transaction() as conn:
        try:
            row = await containers.insert_container(
                conn, {**values, "organization_id": org.organization_id}
            )
        except SlugTaken:
            raise ValidationFailed({"slug": ["This slug is already taken."]}) from None
        if row.location:
            await deploy.request_deploy(
                conn, row.id, requested_by_id=user.id, location=row.location, reason="create"
            )
    rt.jobs.wake()
    return json_response(container_json(row), 201)


async def show(token_info: dict[str, Any], organization: str, app: str) -> Response:
    org = access.organization(token_info)
    async with reading() as conn:
        row = await _container(conn, org.organization_id, app)
    return json_response(container_json(row))


async def redeploy(
    token_info: dict[str, Any], organization: str, app: str, body: dict[str, Any]
) -> Response:
    """Apply the body's fields, then restart whatever changed."""
    rt, org, user = runtime(), access.organization(token_info), access.user(token_info)
    values = _changes(body)
    async with rt.transaction() as conn:
        row = await _container(conn, org.organization_id, app, lock=True)
        if values:
            row = await containers.update_container(conn, row.id, values)
        await deploy.request_deploy(
            conn, row.id, requested_by_id=user.id, location=row.location, reason="redeploy"
        )
    rt.jobs.wake()
    return json_response(container_json(row), 201)


async def update(
    token_info: dict[str, Any], organization: str, app: str, body: dict[str, Any]
) -> Response:
    rt, org, user = runtime(), access.organization(token_info), access.user(token_info)
    values = _changes(body)
    async with rt.transaction() as conn:
        row = await _container(conn, org.organization_id, app, lock=True)
        restart = any(f in values and values[f] != getattr(row, f) for f in RESTART_FIELDS)
        if values:
            row = await containers.update_container(conn, row.id, values)
        if restart:
            await deploy.request_deploy(
                conn, row.id, requested_by_id=user.id, location=row.location, reason="update"
            )
    if restart:
        rt.jobs.wake()
    return json_response(container_json(row))


async def destroy(token_info: dict[str, Any], organization: str, app: str) -> Response:
    rt, org = runtime(), access.organization(token_info)
    async with rt.transaction() as conn:
        row = await _container(conn, org.organization_id, app, lock=True)
        await containers.delete_container(conn, row.id)
        await deploy.request_stop(conn, row.slug)
    rt.jobs.wake()
    return Response(status_code=204)


async def logs(token_info: dict[str, Any], organization: str, app: str) -> Response:
    rt, org = runtime(), access.organization(token_info)
    async with reading() as conn:
        row = await _container(conn, org.organization_id, app)
        content = await deploy.read_logs(rt, conn, row.id, row.slug)
    return json_response({"content": content})
