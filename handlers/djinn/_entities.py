"""Wire shapes of Djinn entities. URLs are absolute and built here."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from starlette.requests import Request

from handlers._http import api_url
from models import Build, Namespace, Object, User


def timestamp(value: datetime | None) -> str | None:
    if value is None:
        return None
    return value.isoformat(timespec="microseconds").replace("+00:00", "Z")


def user_json(user: User | None, *, anonymous: bool = False) -> dict[str, Any] | None:
    if user is None:
        return None
    return {
        "email": None if anonymous else user.email,
        "username": user.username,
        "created_at": timestamp(user.created_at),
    }


def namespace_json(req: Request, ns: Namespace | None) -> dict[str, Any] | None:
    """A namespace; its ``user`` relation must be loaded."""
    if ns is None:
        return None
    owner_name = ns.user.username
    return {
        "id": ns.id,
        "user_id": ns.user_id,
        "root_id": ns.root_id if ns.root_id is not None else ns.id,
        "parent_id": ns.parent_id,
        "name": ns.name,
        "path": ns.path,
        "description": ns.description,
        "visibility": ns.visibility,
        "level": ns.level,
        "created_at": timestamp(ns.created_at),
        "url": api_url(req, f"/n/{owner_name}/{ns.path}"),
    }


def object_json(req: Request, obj: Object) -> dict[str, Any]:
    url = api_url(req, f"/objects/{obj.id}")
    return {
        "id": obj.id,
        "author_id": obj.author_id,
        "user_id": obj.user_id,
        "namespace_id": obj.namespace_id,
        "name": obj.name,
        "type": obj.type,
        "size": obj.size,
        "md5": obj.md5,
        "sha256": obj.sha256,
        "created_at": timestamp(obj.created_at),
        "url": url,
        "builds_url": url + "/builds",
        "author": user_json(obj.author),
        "user": user_json(obj.user),
        "namespace": namespace_json(req, obj.namespace),
    }


def build_json(req: Request, build: Build) -> dict[str, Any]:
    """A build; ``user`` and ``namespace`` (with its user) must be loaded.

    Tags and triggers have no tables until the builds API lands, so every build
    has none; the shape is the documented one.
    """
    url = api_url(req, f"/b/{build.user.username}/{build.number}")
    return {
        "id": build.id,
        "user_id": build.user_id,
        "namespace_id": build.namespace_id,
        "number": build.number,
        "manifest": build.manifest,
        "status": build.status,
        "output": build.output,
        "tags": [],
        "pinned": build.pinned,
        "created_at": timestamp(build.created_at),
        "started_at": timestamp(build.started_at),
        "finished_at": timestamp(build.finished_at),
        "url": url,
        "objects_url": url + "/objects",
        "variables_url": url + "/variables",
        "jobs_url": url + "/jobs",
        "artifacts_url": url + "/artifacts",
        "tags_url": url + "/tags",
        "trigger": None,
        "user": user_json(build.user),
        "namespace": namespace_json(req, build.namespace),
    }
