"""Placing a new resource in a namespace named ``path[@owner]``: decided first
(:func:`plan`, reads only, so a refusal joins the request's other validation
errors), then carried out (:func:`place`, which creates the caller's missing
segments in the request's transaction). :mod:`models.access` re-exports both;
the rule they apply is its own (another user's namespace takes a collaborator).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from models import namespaces
from models.namespaces import MAX_DEPTH, NameTaken
from models.users import Caller

PERMISSION_DENIED = "Namespace permission denied"


class NamespaceGone(LookupError):
    """The namespace a new resource was to go in was deleted while the request ran."""


@dataclass(frozen=True)
class Refused:
    """The namespace reference cannot be used; ``message`` goes under ``namespace``."""

    message: str


@dataclass(frozen=True)
class _Node:
    id: int
    path: str
    level: int
    root_id: int
    visibility: str


@dataclass(frozen=True)
class Placement:
    """Where a resource will go, decided before anything is written."""

    #: The resource's owner: the caller, or the namespace's owner.
    user_id: int
    #: The existing namespace; None for a personal resource or one still to create.
    namespace_id: int | None = None
    #: The deepest existing namespace above the ones to create (None: a new root).
    base: _Node | None = None
    #: Segments to create, in order, for the caller only.
    missing: tuple[str, ...] = ()


@dataclass(frozen=True)
class Placed:
    user_id: int
    namespace_id: int | None


def _node(row: Any) -> _Node:
    """A namespace ``Row``, or detail fields by label."""
    m = getattr(row, "_mapping", row)
    return _Node(m["id"], m["path"], m["level"], m["root_id"] or m["id"], m["visibility"])


async def plan(
    conn: AsyncConnection | AsyncSession, caller: Caller, reference: str | None
) -> Placement | Refused:
    """Decide where ``reference`` (``path[@owner]``; empty or None: personal) puts a
    new resource of ``caller``. Reads only: nothing is created here."""
    if not reference:
        return Placement(user_id=caller.id)
    path, _, owner = reference.partition("@")
    if not path or "@" in owner:
        return Refused(f"Namespace {reference}: invalid namespace path")
    segments = path.split("/")
    for segment in segments:
        problem = namespaces.name_problem(segment)
        if problem:
            return Refused(f"Namespace {reference}: namespace: name {problem}")
    if len(segments) > MAX_DEPTH:
        return Refused(f"Namespace {reference}: namespace cannot exceed depth of {MAX_DEPTH}")
    if owner and owner != caller.username:
        owner_id = await namespaces.user_id_of(conn, owner)
        if owner_id is None:
            return Refused(f"Namespace {reference}: namespace: invalid owner")
        found = (await namespaces.by_paths(conn, owner_id, [path])).get(path)
        if found is None or not await namespaces.collaborates(conn, found.root_id, caller.id):
            return Refused(PERMISSION_DENIED)
        return Placement(user_id=owner_id, namespace_id=found.id)
    prefixes = ["/".join(segments[: i + 1]) for i in range(len(segments))]
    existing = await namespaces.by_paths(conn, caller.id, prefixes)
    if path in existing:
        return Placement(user_id=caller.id, namespace_id=existing[path].id)
    depth = max((i + 1 for i, p in enumerate(prefixes) if p in existing), default=0)
    base = _node(existing[prefixes[depth - 1]]) if depth else None
    return Placement(user_id=caller.id, base=base, missing=tuple(segments[depth:]))


async def place(session: AsyncSession, placement: Placement) -> Placed:
    """Create the caller's missing namespaces of ``placement`` (private, or with the
    root's visibility under an existing root) in the session's transaction.

    The namespace it was planned for (or the one the missing part goes under) is
    share-locked until the transaction ends; :class:`NamespaceGone` when it was
    deleted since :func:`plan` read it.
    """
    existing = placement.base.id if placement.base else placement.namespace_id
    if existing is not None and not await namespaces.lock(session, existing):
        raise NamespaceGone()
    if not placement.missing:
        return Placed(placement.user_id, placement.namespace_id)
    parent = placement.base
    for segment in placement.missing:
        row: Any
        try:
            new_id = await namespaces.create(
                session, user_id=placement.user_id, parent=parent, name=segment
            )
            row = await namespaces.detail(session, new_id)
        except NameTaken:
            # Made meanwhile by a concurrent request: use it.
            wanted = segment if parent is None else f"{parent.path}/{segment}"
            row = (await namespaces.by_paths(session, placement.user_id, [wanted]))[wanted]
        parent = _node(row)
    assert parent is not None
    return Placed(placement.user_id, parent.id)
