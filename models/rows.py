"""Flat, labelled columns for reading entities with their embedded relations.

Reads select Core rows (``row.author_username``) instead of ORM instances;
these helpers keep the labels the serializers expect in one place.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    FromClause,
    Label,
    Select,
    Subquery,
    bindparam,
    func,
    select,
    union_all,
)
from sqlalchemy.sql.base import ColumnCollection
from sqlalchemy.sql.selectable import NamedFromClause

from models.namespaces import NAMESPACE_COLUMNS, Namespace
from models.reads import Read
from models.users import User

USER_FIELDS = ("email", "username", "created_at")
NAMESPACE_FIELDS = NAMESPACE_COLUMNS


def user_columns(users: NamedFromClause, prefix: str) -> list[Label[Any]]:
    """``<prefix>_email``, ``<prefix>_username``, ``<prefix>_created_at``."""
    return [users.c[f].label(f"{prefix}_{f}") for f in USER_FIELDS]


class NamespaceJoin:
    """An optional namespace (with its owner's username) joined onto a table.

    Build one per statement shape at import time: aliases and labels are costly
    to construct, and a statement built once is compiled once.
    """

    def __init__(self, prefix: str = "ns") -> None:
        self.prefix = prefix
        self.namespaces = Namespace.__table__.alias(f"{prefix}_ns")
        self.owners = User.__table__.alias(f"{prefix}_owner_user")
        ns = self.namespaces
        self.columns: list[Label[Any]] = [
            *(ns.c[f].label(f"{prefix}_{f}") for f in NAMESPACE_FIELDS),
            self.owners.c.username.label(f"{prefix}_owner"),
        ]

    def join(self, left: FromClause, namespace_id: ColumnElement[Any]) -> FromClause:
        ns, owners = self.namespaces, self.owners
        return left.outerjoin(ns, ns.c.id == namespace_id).outerjoin(
            owners, owners.c.id == ns.c.user_id
        )


@dataclass(frozen=True)
class Listing:
    """A paginated list, as statements built once at import time.

    ``page`` selects the full rows of one page (bind parameters ``limit`` and
    ``offset``), ``count`` counts every row, and ``params`` holds this list's
    other bind values. A statement built once is compiled once and its cache key
    is memoized, so a request only binds values. ``prepared``, when set, runs
    ``page`` as a prepared statement (:mod:`models.reads`): its rows are then
    mappings, read by label.
    """

    page: Select[Any]
    count: Select[Any]
    params: dict[str, Any]
    prepared: Read | None = None


# BIGINT: the largest page (2**31 - 1) times 25 overflows a 32-bit OFFSET.
LIMIT = bindparam("limit", type_=BigInteger)
OFFSET = bindparam("offset", type_=BigInteger)


def listing_statements(
    keys: Select[Any],
    rows: Callable[[Subquery], Select[Any]],
    *,
    count_keys: Select[Any] | None = None,
) -> tuple[Select[Any], Select[Any]]:
    """``(page, count)`` for a keys statement (one column, filtered and ordered) and
    the function that joins a page of keys to full rows.

    The page's keys come first (an index-only scan, even deep in the list); only
    those rows are then joined with their relations, in the same statement.
    ``count_keys`` counts instead of ``keys`` when ``keys`` itself binds ``limit``
    and ``offset`` inside (``models.access.listing``).
    """
    page = rows(keys.limit(LIMIT).offset(OFFSET).subquery("page"))
    counted = keys if count_keys is None else count_keys
    count = select(func.count()).select_from(counted.order_by(None).subquery())
    return page, count


def ordered_by(columns: ColumnCollection[str, Any], order_by: Sequence[str]) -> list[Any]:
    """The ``ORDER BY`` of ``order_by`` (column names, ``-name`` for descending)."""
    return [columns[o.lstrip("-")].desc() if o.startswith("-") else columns[o] for o in order_by]


def merged_listing(
    sources: Sequence[Select[Any]],
    order_by: Sequence[str],
    rows: Callable[[Subquery], Select[Any]],
) -> tuple[Select[Any], Select[Any]]:
    """``(page, count)``, as :func:`listing_statements`, over the union of
    ``sources``: each selects the columns ``order_by`` names (the id among them),
    of rows no other source has.

    Each source is an index scan cut at ``limit + offset`` rows, and the cuts are
    merged in order (Merge Append): the first page of a user with a million rows
    stays an index-only scan of 26 entries. (A plain ``UNION ALL`` under one
    ``ORDER BY`` makes PostgreSQL sort every row of the owner.)
    """
    names = [o.lstrip("-") for o in order_by]
    reach = LIMIT + OFFSET
    # Each branch in its own subquery: SQLite refuses ORDER BY and LIMIT on the
    # members of a UNION.
    firsts = [
        select(*(branch.c[n] for n in names))
        for branch in (
            source.order_by(*ordered_by(source.selected_columns, order_by)).limit(reach).subquery()
            for source in sources
        )
    ]
    cut = union_all(*firsts).subquery("listed")
    every = union_all(*sources).subquery("listed")
    return listing_statements(
        select(cut.c.id).order_by(*ordered_by(cut.c, order_by)),
        rows,
        count_keys=select(every.c.id),
    )
