"""Who may see and change what, for the whole Djinn API. Every resource uses this
module, unchanged; nothing else decides access.

The rules
=========

* A resource has an owner (``user_id``) and, optionally, a namespace
  (``namespace_id``). A resource placed in a namespace belongs to the
  namespace's owner; its ``author_id`` is whoever made it.
* A namespace tree has one owner. Its **collaborators** (rows of
  ``namespace_collaborators`` on the root) reach the whole tree. Every node has
  the root's **visibility**: ``private`` (owner and collaborators),
  ``internal`` (any authenticated user) or ``public`` (anyone, anonymous too).
* **Read** (``readable``): the owner; a collaborator of the resource's tree; anyone
  the tree's visibility lets in. A personal resource (no namespace) is its
  owner's alone.
* **Write** (``writable``): the owner, or a collaborator of the tree. Visibility
  never grants a write, not even on a public namespace.
* **Lists** of a collection (``GET /objects``) show what the caller owns plus what
  sits in trees they collaborate on (``listing``); public rows of strangers
  are reached through the namespace (``GET /n/{user}/{path}/-/objects``).
* What the caller may not see does not exist: every refusal is a 404
  (:class:`NotVisible`), never a 403, so existence does not leak. A 403
  (:class:`ScopeMissing`) only ever names a scope the token lacks, and is raised
  only after the caller was shown to be allowed to see the target.

The SQL pieces all bind one parameter, ``caller_id`` (``None`` for an anonymous
caller), so statements are built once at import time and executed with
``{"caller_id": caller.id, ...}``. Every clause is a correlated ``EXISTS`` or a
``UNION ALL`` of index scans: no per-row queries, in lists or anywhere else.

Guide for a new namespaced resource (variables, keys, images, cron, builds)
===========================================================================

Your table has ``user_id``, ``author_id`` and ``namespace_id`` (FK to
``namespaces.id`` with ``ondelete="SET NULL"``).

With a unique name column, :class:`models.resources.NamespacedResource` builds
the statements of steps 2 to 4 and does step 5; ``handlers/djinn/_resources.py``
has the create flow of step 1, with its event (step 6), and the delete. What
follows is what they do.

1. **Create** with a ``namespace`` parameter (``path[@owner]``)::

       placement = await access.plan(conn, caller, namespace)   # reads only
       if isinstance(placement, access.Refused):
           errors.add("namespace", placement.message)
       ...                                 # every other check, into the same errors
       if errors:
           raise ValidationFailed(errors)  # nothing was created
       async with rt.sessions() as session, session.begin():
           placed = await access.place(session, placement)   # creates missing segments
           row = Thing(user_id=placed.user_id, author_id=caller.id,
                       namespace_id=placed.namespace_id, ...)
           await webhooks.fire(session, placed.namespace_id, "variables", "created", {...})
       rt.jobs.wake()

   ``plan`` refuses (``Namespace permission denied``) a namespace of another
   user the caller does not collaborate on, and never creates anything in
   another user's account; ``place`` creates the caller's missing segments, in
   your transaction, only once the request has passed validation. Builds and
   cron put the message under ``manifest`` and word it ``Manifest cannot submit
   to namespace`` (``placement.message`` is then replaced, not reused).

2. **Items** (``GET/PATCH/DELETE /things/{id}``): add ``access.readable(table)`` or
   ``access.writable(table)`` to the ``WHERE`` of the statement that loads or
   deletes the row, bind ``caller_id``, and raise ``NotFound`` (or
   ``access.NotVisible``) when no row comes back.

3. **The collection** (``GET /things``): ``access.listing(table, page_rows, "name",
   where=[...])`` gives the ``(page, count)`` statements of what the caller owns
   or shares, for a ``models.rows.Listing`` bound with ``caller_id``.

4. **The namespace's sub-list** (``GET /n/{u}/{p}/-/things``; images, variables
   and keys are empty pages in ``handlers/djinn/namespaces.py`` until they land).
   Its spec says ``security: [{djinn: []}, {}]`` (anonymous callers allowed, a bad
   token still a 401); the handler takes ``caller = optional_caller(token_info)``::

       ns = await access.namespace(conn, caller, username, path, access.READ,
                                   scopes=("namespace:read",))
       # then list rows WHERE namespace_id = ns.id

   A route that changes something through the namespace's URL uses
   ``access.MEMBER`` (owner or collaborator) or ``access.OWNER``.

5. **Unique names**: if personal names are unique per owner, call
   ``access.register_resource("things", Thing.__table__, "name")`` at import, so
   that deleting a namespace refuses (400) rather than collides when its
   resources become the owner's personal ones.

6. **Events**: ``genie.webhooks.fire`` inside the transaction, one call per change,
   with an event name of ``models.webhooks.EVENTS``.

7. **Tests**: add the resource's rows to ``OPERATIONS`` in
   ``tests/handlers/djinn/test_access_matrix.py``.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Row,
    Select,
    Subquery,
    Table,
    and_,
    bindparam,
    exists,
    or_,
    select,
)
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from genie.scopes import parse as parse_scopes
from models import namespaces
from models.namespaces import Collaborator, NamedResource, Namespace
from models.placement import PERMISSION_DENIED as PERMISSION_DENIED
from models.placement import NamespaceGone as NamespaceGone
from models.placement import Placed, Placement, Refused, place, plan
from models.rows import merged_listing
from models.users import Caller, User

__all__ = [
    "CALLER",
    "MEMBER",
    "OWNER",
    "READ",
    "Need",
    "NotVisible",
    "Placed",
    "Placement",
    "Refused",
    "ScopeMissing",
    "listing",
    "namespace",
    "place",
    "plan",
    "readable",
    "register_resource",
    "shared_namespace_ids",
    "writable",
]

_ns: Table = Namespace.__table__  # type: ignore[assignment]
_collaborators: Table = Collaborator.__table__  # type: ignore[assignment]
_users: Table = User.__table__  # type: ignore[assignment]

#: The caller's user id; ``None`` when anonymous. Every clause below binds it.
CALLER = bindparam("caller_id", type_=_users.c.id.type)


class NotVisible(LookupError):
    """The caller may not see (or may not do this to) the target: answer 404."""


class ScopeMissing(PermissionError):
    """The caller may see the target, but the token lacks these scopes: answer 403."""

    def __init__(self, scopes: Sequence[str]) -> None:
        super().__init__(" ".join(scopes))
        self.scopes = tuple(scopes)


# SQL clauses.


def shared_namespace_ids() -> Select[Any]:
    """Ids of every namespace in a tree the caller collaborates on."""
    n, c = _ns.alias("shared_ns"), _collaborators
    return select(n.c.id).join(c, c.c.namespace_id == n.c.root_id).where(c.c.user_id == CALLER)


def _collaborating(n: Any) -> Any:
    c = _collaborators
    return exists().where(c.c.namespace_id == n.c.root_id, c.c.user_id == CALLER)


def _visible_by_visibility(n: Any) -> Any:
    return or_(
        n.c.visibility == "public",
        and_(n.c.visibility == "internal", CALLER.is_not(None)),
    )


def readable(table: Table, namespace_column: str = "namespace_id") -> ColumnElement[bool]:
    """Rows of ``table`` the caller may read (owner, collaborator, or visibility)."""
    n = _ns.alias("access_ns")
    return or_(
        table.c.user_id == CALLER,
        exists().where(
            n.c.id == table.c[namespace_column],
            or_(_visible_by_visibility(n), _collaborating(n)),
        ),
    )


def writable(table: Table, namespace_column: str = "namespace_id") -> ColumnElement[bool]:
    """Rows of ``table`` the caller may change: the owner, or a collaborator of the tree."""
    n = _ns.alias("access_ns")
    return or_(
        table.c.user_id == CALLER,
        exists().where(n.c.id == table.c[namespace_column], _collaborating(n)),
    )


def listing(
    table: Table,
    rows: Callable[[Subquery], Select[Any]],
    *order_by: str,
    where: Sequence[ColumnElement[bool]] = (),
    namespace_column: str = "namespace_id",
) -> tuple[Select[Any], Select[Any]]:
    """``(page, count)`` statements (as :func:`models.rows.listing_statements`) for
    the rows a collection lists: the caller's own, plus those in trees the caller
    collaborates on. ``order_by`` names columns, ``-name`` for descending; the id
    breaks ties in the direction of the last one. ``rows`` joins a page of keys to
    full rows, in the same order.

    Each of the two sources is an index scan cut at ``limit + offset`` rows, and
    the two are merged in order (:func:`models.rows.merged_listing`).
    """
    order_by = _with_id(order_by)
    columns = [table.c[o.lstrip("-")] for o in order_by]
    own = select(*columns).where(table.c.user_id == CALLER, *where)
    shared = select(*columns).where(
        table.c.user_id != CALLER,
        table.c[namespace_column].in_(shared_namespace_ids()),
        *where,
    )
    return merged_listing((own, shared), order_by, rows)


def _with_id(order_by: tuple[str, ...]) -> tuple[str, ...]:
    """``order_by`` with the id last, when absent, in the direction of the last
    column: ties need an order for pages not to overlap."""
    if any(o.lstrip("-") == "id" for o in order_by):
        return order_by
    return (*order_by, "-id" if order_by and order_by[-1].startswith("-") else "id")


def register_resource(label: str, table: Table, name_column: str = "name") -> None:
    """Declare a namespaced table whose personal names are unique per owner, so that
    deleting a namespace refuses instead of colliding (see :mod:`models.namespaces`)."""
    if not any(r.table is table for r in namespaces.NAMED_RESOURCES):
        namespaces.NAMED_RESOURCES.append(NamedResource(label, table, name_column))


# Namespace checks, for the /n/{username}/{path} routes.


class Need(enum.Enum):
    #: See it: owner, collaborator, or its visibility lets the caller in.
    READ = "read"
    #: Change what is in it (webhooks): owner or collaborator.
    MEMBER = "member"
    #: Change the namespace itself, its collaborators and invites: the owner.
    OWNER = "owner"


READ, MEMBER, OWNER = Need.READ, Need.MEMBER, Need.OWNER


def role(row: Any, caller: Caller | None) -> str | None:
    """``owner``, ``collaborator``, ``viewer`` (by visibility) or None."""
    if caller is not None and row.user_id == caller.id:
        return "owner"
    if caller is not None and row.collaborating:
        return "collaborator"
    if row.visibility == "public" or (row.visibility == "internal" and caller is not None):
        return "viewer"
    return None


async def namespace(
    conn: AsyncConnection | AsyncSession,
    caller: Caller | None,
    username: str,
    path: str,
    need: Need,
    *,
    scopes: Sequence[str] = (),
    lock: namespaces.Lock | None = None,
) -> Row[Any]:
    """The namespace ``username/path`` (a detail row) if ``caller`` meets ``need``.

    Raise :class:`NotVisible` when it does not exist or the caller falls short,
    and :class:`ScopeMissing` when the namespace is not public and the token lacks
    one of ``scopes`` (public namespaces grant reads to anyone, as the original).
    With ``lock`` (in a write transaction), the namespace row is locked until the
    transaction ends (:func:`models.namespaces.lock`): a concurrent delete waits
    for the change to commit, or has committed already and the namespace is not
    found.
    """
    assert lock is None or isinstance(conn, AsyncSession), "lock needs a write transaction"
    row = await namespaces.find(conn, username, path, caller.id if caller else None, lock)
    if row is None:
        raise NotVisible()
    who = role(row, caller)
    allowed = {
        READ: who is not None,
        MEMBER: who in ("owner", "collaborator"),
        OWNER: who == "owner",
    }[need]
    if not allowed:
        raise NotVisible()
    if scopes and row.visibility != "public":
        held = parse_scopes(caller.scope) if caller else frozenset()
        missing = [s for s in scopes if s not in held]
        if missing:
            raise ScopeMissing(missing)
    return row
