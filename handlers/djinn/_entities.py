"""Wire shapes of Djinn entities, from the flat rows of ``models.rows``.

URLs are absolute and built here, from the API root computed once per request.
Timestamps stay ``datetime`` (aware, UTC): the JSON encoder writes RFC 3339.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, cast

from sqlalchemy import Row

from models.reads import Fields
from models.rows import NAMESPACE_FIELDS, USER_FIELDS
from models.webhooks import event_names


# The labels of an embedded entity's columns, per prefix: built once, looked up
# by the prefix alone (a list renders them for every row).
@lru_cache(maxsize=64)
def _user_keys(prefix: str) -> tuple[str, ...]:
    return tuple(f"{prefix}_{f}" for f in USER_FIELDS)


@lru_cache(maxsize=64)
def _namespace_keys(prefix: str) -> tuple[str, ...]:
    return tuple(f"{prefix}_{f}" for f in (*NAMESPACE_FIELDS, "owner"))


def user_json(m: Fields, prefix: str, *, anonymous: bool = False) -> dict[str, Any] | None:
    """The embedded user ``<prefix>_*`` of a row: email, username, created_at (no id)."""
    email, username, created_at = _user_keys(prefix)
    if m[username] is None:
        return None
    return {
        "email": None if anonymous else m[email],
        "username": m[username],
        "created_at": m[created_at],
    }


NAMESPACE_LINKS = (
    "builds",
    "namespaces",
    "images",
    "objects",
    "variables",
    "keys",
    "invites",
    "collaborators",
    "webhooks",
)


def _with_links(values: dict[str, Any], url: str) -> dict[str, Any]:
    values["root_id"] = values["root_id"] or values["id"]
    values["url"] = url
    for name in NAMESPACE_LINKS:
        values[f"{name}_url"] = f"{url}/-/{name}"
    return values


def namespace_json(root: str, m: Fields, prefix: str = "ns") -> dict[str, Any] | None:
    """The embedded namespace ``<prefix>_*`` of a row (``<prefix>_owner`` is the
    owner's username), or ``None``."""
    keys = _namespace_keys(prefix)
    if m[keys[0]] is None:  # keys[0] is the id: no namespace (most rows of a list)
        return None
    values = {field: m[key] for field, key in zip(NAMESPACE_FIELDS, keys, strict=False)}
    return _with_links(values, f"{root}/n/{m[keys[-1]]}/{values['path']}")


def namespace_detail_json(
    root: str, row: Row[Any] | Fields, *, anonymous: bool = False
) -> dict[str, Any]:
    """A namespace detail row (``models.namespaces.DETAIL_ROWS``), a ``Row`` or its
    fields by label: the namespace with its owner, its parent and its latest build."""
    m = cast(Fields, getattr(row, "_mapping", row))
    owner = m["user_username"]
    values = _with_links({f: m[f] for f in NAMESPACE_FIELDS}, f"{root}/n/{owner}/{m['path']}")
    parent = None
    if m["par_id"] is not None:
        parent_values = {f: m[f"par_{f}"] for f in NAMESPACE_FIELDS}
        parent = _with_links(parent_values, f"{root}/n/{owner}/{parent_values['path']}")
    values["user"] = user_json(m, "user", anonymous=anonymous)
    values["parent"] = parent
    values["build"] = (
        None
        if m["build_id"] is None
        else _build_fields(root, m, "build_", namespace=None, anonymous=anonymous)
    )
    return values


def collaborator_json(root: str, row: Row[Any], namespace_url: str) -> dict[str, Any]:
    return {
        "id": row.id,
        "email": row.email,
        "username": row.username,
        "created_at": row.created_at,
        "url": f"{namespace_url}/-/collaborators/{row.username}",
    }


def invite_json(root: str, row: Row[Any]) -> dict[str, Any]:
    m = row._mapping
    return {
        "id": row.id,
        "namespace_id": row.namespace_id,
        "invitee_id": row.invitee_id,
        "inviter_id": row.inviter_id,
        "url": f"{root}/invites/{row.id}",
        "invitee": user_json(m, "invitee"),
        "inviter": user_json(m, "inviter"),
        "namespace": namespace_json(root, m),
    }


def webhook_json(root: str, row: Row[Any]) -> dict[str, Any]:
    m = row._mapping
    namespace = namespace_json(root, m)
    assert namespace is not None
    last = None
    if row.last_response_at is not None:
        last = {
            "code": row.last_response_code,
            "error": row.last_response_error,
            "duration": row.last_response_duration,
            "created_at": row.last_response_at,
        }
    return {
        "id": row.id,
        "user_id": row.user_id,
        "author_id": row.author_id,
        "namespace_id": row.namespace_id,
        "payload_url": row.payload_url,
        "ssl": row.ssl,
        "events": event_names(row.events),
        "active": row.active,
        "has_secret": row.has_secret,
        "created_at": row.created_at,
        "url": f"{namespace['url']}/-/webhooks/{row.id}",
        "namespace": namespace,
        "last_response": last,
    }


#: What a masked variable's value reads, everywhere.
MASKED_VALUE = "xxxxxx"


def variable_json(root: str, row: Row[Any], *, anonymous: bool = False) -> dict[str, Any]:
    """A variable row (``models.variables.VARIABLE_ROWS``); a masked value is never
    selected, and reads :data:`MASKED_VALUE`."""
    m = row._mapping
    return {
        "id": row.id,
        "author_id": row.author_id,
        "user_id": row.user_id,
        "namespace_id": row.namespace_id,
        "key": row.key,
        "value": MASKED_VALUE if row.masked else row.value,
        "masked": row.masked,
        "created_at": row.created_at,
        "url": f"{root}/variables/{row.id}",
        "author": user_json(m, "author", anonymous=anonymous),
        "user": user_json(m, "user", anonymous=anonymous),
        "namespace": namespace_json(root, m),
    }


def key_json(root: str, row: Row[Any], *, anonymous: bool = False) -> dict[str, Any]:
    """An SSH key row (``models.keys.KEY_ROWS``, which never selects the key text)."""
    m = row._mapping
    return {
        "id": row.id,
        "author_id": row.author_id,
        "user_id": row.user_id,
        "namespace_id": row.namespace_id,
        "name": row.name,
        "type": row.type,
        "fingerprint": row.fingerprint,
        "config": row.config,
        "created_at": row.created_at,
        "updated_at": row.updated_at,
        "url": f"{root}/keys/{row.id}",
        "author": user_json(m, "author", anonymous=anonymous),
        "user": user_json(m, "user", anonymous=anonymous),
        "namespace": namespace_json(root, m),
    }


def object_json(root: str, row: Row[Any] | Fields, *, anonymous: bool = False) -> dict[str, Any]:
    """An object row, as a ``Row`` or as a mapping by label (``models.reads``)."""
    # A Row's mapping, or the mapping itself (getattr: an ABC isinstance costs more).
    m = cast(Fields, getattr(row, "_mapping", row))
    url = f"{root}/objects/{m['id']}"
    return {
        "id": m["id"],
        "author_id": m["author_id"],
        "user_id": m["user_id"],
        "namespace_id": m["namespace_id"],
        "name": m["name"],
        "type": m["type"],
        "size": m["size"],
        "md5": m["md5"],
        "sha256": m["sha256"],
        "created_at": m["created_at"],
        "url": url,
        "builds_url": url + "/builds",
        "author": user_json(m, "author", anonymous=anonymous),
        "user": user_json(m, "user", anonymous=anonymous),
        "namespace": namespace_json(root, m),
    }


def build_json(
    root: str, row: Row[Any], *, anonymous: bool = False, tags: list[str] | None = None
) -> dict[str, Any]:
    """A build row (with ``user_*`` and ``ns_*``); ``tags`` are read apart
    (``models.build_reads.tags_of``)."""
    m = row._mapping
    values = _build_fields(root, m, "", namespace=namespace_json(root, m), anonymous=anonymous)
    values["tags"] = tags or []
    return values


def _trigger(m: Fields, p: str, anonymous: bool) -> dict[str, Any] | None:
    kind = m.get(p + "trigger_type")
    if kind is None:
        return None
    data = dict(m.get(p + "trigger_data") or {})
    if anonymous:
        data.pop("email", None)
    return {"type": kind, "comment": m.get(p + "trigger_comment") or "", "data": data}


def _build_fields(
    root: str,
    m: Fields,
    p: str,
    *,
    namespace: dict[str, Any] | None,
    anonymous: bool,
) -> dict[str, Any]:
    """A build from the columns ``<p>id``, ``<p>number``, ... and ``<p>user_*``."""
    url = f"{root}/b/{m[p + 'user_username']}/{m[p + 'number']}"
    return {
        "id": m[p + "id"],
        "user_id": m[p + "user_id"],
        "namespace_id": m[p + "namespace_id"],
        "number": m[p + "number"],
        "manifest": m[p + "manifest"],
        "status": m[p + "status"],
        "output": m[p + "output"],
        "tags": [],
        "pinned": m[p + "pinned"],
        "created_at": m[p + "created_at"],
        "started_at": m[p + "started_at"],
        "finished_at": m[p + "finished_at"],
        "url": url,
        "objects_url": url + "/objects",
        "variables_url": url + "/variables",
        "jobs_url": url + "/jobs",
        "artifacts_url": url + "/artifacts",
        "tags_url": url + "/tags",
        "trigger": _trigger(m, p, anonymous),
        "user": user_json(m, p + "user", anonymous=anonymous),
        "namespace": namespace,
    }


def image_json(root: str, row: Row[Any], *, anonymous: bool = False) -> dict[str, Any]:
    """An image row (``models.images.IMAGE_ROWS``); ``download`` is null for an
    uploaded image."""
    m = row._mapping
    download = None
    if m["download_id"] is not None:
        download = {
            "source": m["download_source"],
            "error": m["download_error"],
            "created_at": m["download_created_at"],
            "started_at": m["download_started_at"],
            "finished_at": m["download_finished_at"],
        }
    return {
        "id": row.id,
        "author_id": row.author_id,
        "user_id": row.user_id,
        "namespace_id": row.namespace_id,
        "driver": row.driver,
        "name": row.name,
        "created_at": row.created_at,
        "url": f"{root}/images/{row.id}",
        "author": user_json(m, "author", anonymous=anonymous),
        "user": user_json(m, "user", anonymous=anonymous),
        "namespace": namespace_json(root, m),
        "download": download,
    }


def cron_json(root: str, row: Row[Any]) -> dict[str, Any]:
    """A cron row (``models.cron.CRON_ROWS``)."""
    m = row._mapping
    url = f"{root}/cron/{row.id}"
    return {
        "id": row.id,
        "author_id": row.author_id,
        "user_id": row.user_id,
        "namespace_id": row.namespace_id,
        "name": row.name,
        "schedule": row.schedule,
        "manifest": row.manifest,
        "prev_run": row.prev_run,
        "next_run": row.next_run,
        "created_at": row.created_at,
        "url": url,
        "builds_url": url + "/builds",
        "author": user_json(m, "author"),
        "user": user_json(m, "user"),
        "namespace": namespace_json(root, m),
    }
