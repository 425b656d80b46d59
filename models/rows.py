"""Flat, labelled columns for reading entities with their embedded relations.

Reads select Core rows (``row.author_username``) instead of ORM instances;
these helpers keep the labels the serializers expect in one place.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, FromClause, Label, Select, Subquery
from sqlalchemy.sql.selectable import NamedFromClause

from models.namespaces import Namespace
from models.users import User

USER_FIELDS = ("email", "username", "created_at")
NAMESPACE_FIELDS = (
    "id",
    "user_id",
    "root_id",
    "parent_id",
    "name",
    "path",
    "description",
    "visibility",
    "level",
    "created_at",
)


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
    """A paginated list: ``keys`` selects one key column, filtered and ordered;
    ``rows`` turns a page of those keys (a subquery) into full, ordered rows."""

    keys: Select[Any]
    rows: Callable[[Subquery], Select[Any]]
