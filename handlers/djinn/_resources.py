"""What the handlers of namespaced resources (variables, keys, cron, images,
objects) share: placing a new one in a namespace, checking its name there,
creating it with its webhook, and deleting it.

The flow of a create (see :mod:`models.access`)::

    errors = FieldErrors()
    ...                                            # the resource's own checks
    async with reading() as conn:
        placement = await plan(conn, user, reference, errors)
        if errors:                                 # else the unique index decides
            await check_name(conn, KIND, placement, name, errors)
    if errors or placement is None:
        raise ValidationFailed(errors)             # nothing was created
    entity = await create(KIND, root, placement, insert)
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from starlette.responses import Response

from genie import webhooks
from genie.storage import Upload
from handlers._errors import FieldErrors, NotFound, ValidationFailed
from handlers._http import api_root, request, runtime
from models import access
from models.resources import NamespacedResource
from models.users import Caller

NAME_TAKEN = "Name already exists"


@dataclass(frozen=True)
class Kind:
    """One resource as its handlers show it."""

    resource: NamespacedResource
    #: Its webhook events' resource (``ssh_keys``), and its payload's key (``key``).
    event: str
    payload: str
    #: Its wire shape: ``(api_root, row) -> dict``.
    render: Callable[[str, Row[Any]], dict[str, Any]]
    #: The field, and the message, of a name in use.
    field: str = "name"
    taken: str = NAME_TAKEN


async def plan(
    conn: AsyncConnection | AsyncSession, user: Caller, reference: str | None, errors: FieldErrors
) -> access.Placement | None:
    """Where ``reference`` (``path[@owner]``) puts the caller's new resource;
    ``None``, with the refusal under ``namespace``, when it cannot go there."""
    placement = await access.plan(conn, user, reference)
    if isinstance(placement, access.Refused):
        errors.add("namespace", placement.message)
        return None
    return placement


async def check_name(
    conn: AsyncConnection | AsyncSession,
    kind: Kind,
    placement: access.Placement | None,
    name: str,
    errors: FieldErrors,
    *,
    other_than: int | None = None,
) -> None:
    """Report ``name`` in ``errors`` if it is used where ``placement`` puts the
    resource (not counting the row ``other_than``). Nothing is known of a
    namespace still to create, or of no placement."""
    if placement is None or placement.missing:
        return
    if await kind.resource.name_taken(
        conn, placement.user_id, placement.namespace_id, name, other_than=other_than
    ):
        errors.add(kind.field, kind.taken)


async def create(
    kind: Kind,
    root: str,
    placement: access.Placement,
    insert: Callable[[AsyncSession, access.Placed], Awaitable[Row[Any]]],
    *,
    then: Callable[[], Awaitable[None]] | None = None,
) -> dict[str, Any]:
    """In one transaction: create the placement's missing namespaces, ``insert``
    the row there, fire ``created`` and run ``then``; return the new entity.

    A name the unique index refuses is a :class:`ValidationFailed`, and nothing
    is created.
    """
    rt = runtime()
    try:
        async with rt.sessions() as session, session.begin():
            placed = await access.place(session, placement)
            row = await insert(session, placed)
            entity = kind.render(root, row)
            await webhooks.fire(
                session, placed.namespace_id, kind.event, "created", {kind.payload: entity}
            )
            if then is not None:
                await then()
    except kind.resource.taken:
        raise ValidationFailed({kind.field: [kind.taken]}) from None
    rt.jobs.wake()
    return entity


async def create_with_file(
    kind: Kind,
    root: str,
    placement: access.Placement,
    insert: Callable[[AsyncSession, access.Placed], Awaitable[Row[Any]]],
    upload: Upload,
) -> dict[str, Any]:
    """:func:`create`, keeping the upload in storage (under its key) in the same
    transaction; when anything fails the file is dropped, kept or not yet."""
    kept = False

    async def keep() -> None:
        nonlocal kept
        await upload.commit()
        kept = True

    try:
        return await create(kind, root, placement, insert, then=keep)
    except BaseException:
        if kept:
            await runtime().storage.delete(upload.key)
        else:
            await upload.abort()
        raise


async def destroy(
    kind: Kind,
    user: Caller,
    id: int,
    *,
    then: Callable[[Row[Any]], Awaitable[None]] | None = None,
) -> Response:
    """Delete the row if the caller may change it (else :class:`NotFound`), fire
    ``deleted``, then run ``then`` with the deleted row."""
    rt = runtime()
    async with rt.sessions() as session, session.begin():
        row = await kind.resource.get_writable(session, id, user.id, lock=True)
        if row is None or not await kind.resource.remove(session, id):
            raise NotFound()
        await webhooks.fire(
            session,
            row.namespace_id,
            kind.event,
            "deleted",
            {kind.payload: kind.render(api_root(request()), row)},
        )
    if then is not None:
        await then(row)
    rt.jobs.wake()
    return Response(status_code=204)
