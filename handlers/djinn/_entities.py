"""Wire shapes of Djinn entities, from the flat rows of ``models.rows``.

URLs are absolute and built here, from the API root computed once per request.
Timestamps stay ``datetime`` (aware, UTC): the JSON encoder writes RFC 3339.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from sqlalchemy import Row, RowMapping

from models.rows import NAMESPACE_FIELDS, USER_FIELDS


@lru_cache(maxsize=64)
def _keys(prefix: str, fields: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(f"{prefix}_{f}" for f in fields)


def user_json(m: RowMapping, prefix: str, *, anonymous: bool = False) -> dict[str, Any] | None:
    """The embedded user ``<prefix>_*`` of a row: email, username, created_at (no id)."""
    email, username, created_at = _keys(prefix, USER_FIELDS)
    if m[username] is None:
        return None
    return {
        "email": None if anonymous else m[email],
        "username": m[username],
        "created_at": m[created_at],
    }


def namespace_json(root: str, m: RowMapping, prefix: str = "ns") -> dict[str, Any] | None:
    """The embedded namespace ``<prefix>_*`` of a row, or ``None``."""
    keys = _keys(prefix, (*NAMESPACE_FIELDS, "owner"))
    values = dict(zip(NAMESPACE_FIELDS, (m[k] for k in keys), strict=False))
    if values["id"] is None:
        return None
    values["root_id"] = values["root_id"] or values["id"]
    values["url"] = f"{root}/n/{m[keys[-1]]}/{values['path']}"
    return values


def object_json(root: str, row: Row[Any]) -> dict[str, Any]:
    m = row._mapping
    url = f"{root}/objects/{row.id}"
    return {
        "id": row.id,
        "author_id": row.author_id,
        "user_id": row.user_id,
        "namespace_id": row.namespace_id,
        "name": row.name,
        "type": row.type,
        "size": row.size,
        "md5": row.md5,
        "sha256": row.sha256,
        "created_at": row.created_at,
        "url": url,
        "builds_url": url + "/builds",
        "author": user_json(m, "author"),
        "user": user_json(m, "user"),
        "namespace": namespace_json(root, m),
    }


def build_json(root: str, row: Row[Any]) -> dict[str, Any]:
    """A build row (with ``user_*`` and ``ns_*``).

    Tags and triggers have no tables until the builds API lands, so every build
    has none; the shape is the documented one.
    """
    m = row._mapping
    url = f"{root}/b/{row.user_username}/{row.number}"
    return {
        "id": row.id,
        "user_id": row.user_id,
        "namespace_id": row.namespace_id,
        "number": row.number,
        "manifest": row.manifest,
        "status": row.status,
        "output": row.output,
        "tags": [],
        "pinned": row.pinned,
        "created_at": row.created_at,
        "started_at": row.started_at,
        "finished_at": row.finished_at,
        "url": url,
        "objects_url": url + "/objects",
        "variables_url": url + "/variables",
        "jobs_url": url + "/jobs",
        "artifacts_url": url + "/artifacts",
        "tags_url": url + "/tags",
        "trigger": None,
        "user": user_json(m, "user"),
        "namespace": namespace_json(root, m),
    }
