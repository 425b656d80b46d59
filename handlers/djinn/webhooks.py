"""Webhooks of a namespace: ``/n/{username}/{path}/-/webhooks[/{id}]``.

Every route needs the namespace's owner or a collaborator of its tree, whatever
the namespace's visibility (the original let anyone read them on public
namespaces). Payload URLs pass the SSRF guard (:mod:`genie.netguard`) here and
again before each delivery; secrets are stored encrypted and never returned.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit, urlunsplit

from sqlalchemy import Row
from starlette.responses import Response

from genie import netguard
from genie.webhooks import SECRET_PURPOSE
from handlers._errors import FieldErrors, NotFound, ValidationFailed
from handlers._http import api_root, caller, json_response, reading, request, runtime
from handlers.djinn._entities import webhook_json
from models import access
from models import webhooks as hooks
from models.webhooks import PayloadURLTaken, events_mask

URL_TAKEN = {"payload_url": ["Payload URL already exists"]}


def normalise_url(url: str) -> str:
    """Lowercase the scheme and the host, nothing else (paths and credentials keep
    their case)."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return url
    userinfo, _, hostport = parts.netloc.rpartition("@")
    netloc = f"{userinfo}@{hostport.lower()}" if userinfo else hostport.lower()
    return urlunsplit((parts.scheme.lower(), netloc, parts.path, parts.query, parts.fragment))


async def check_url(url: str, ssl: bool, errors: FieldErrors, *, resolve: bool = True) -> None:
    """Add the payload URL's problems to ``errors``."""
    try:
        parts = urlsplit(url)
    except ValueError:
        errors.add("payload_url", "Payload URL is not a valid URL")
        return
    if parts.scheme not in ("http", "https"):
        errors.add("payload_url", "Payload URL missing http or https scheme")
        return
    if not parts.hostname:
        errors.add("payload_url", "Payload URL missing host")
        return
    if ssl and parts.scheme == "http":
        errors.add("payload_url", "Payload URL cannot use SSL for plain http URL")
    problem = netguard.url_problem(url)
    if problem:
        errors.add("payload_url", f"Payload URL is invalid: {problem}")
        return
    if resolve:
        try:
            await netguard.check_public(url, allow_private=runtime().settings.allow_private_urls)
        except netguard.UnsafeURL as exc:
            errors.add("payload_url", f"Payload URL is refused: {exc}")


def _secret(plain: str) -> bytes:
    return runtime().crypto.encrypt(plain, purpose=SECRET_PURPOSE)


async def index(username: str, path: str, token_info: dict[str, Any]) -> Response:
    req, user = request(), caller(token_info)
    async with reading() as conn:
        ns = await access.namespace(conn, user, username, path, access.MEMBER)
        rows = await hooks.of_namespace(conn, ns.id)
    root = api_root(req)
    return json_response([webhook_json(root, row) for row in rows])


async def store(
    username: str, path: str, token_info: dict[str, Any], body: dict[str, Any]
) -> Response:
    req, rt, user = request(), runtime(), caller(token_info)
    async with reading() as conn:
        await access.namespace(conn, user, username, path, access.MEMBER)
    url = normalise_url(body["payload_url"])
    ssl = body.get("ssl")
    if ssl is None:
        ssl = url.startswith("https:")
    errors = FieldErrors()
    await check_url(url, ssl, errors)
    if errors:
        raise ValidationFailed(errors)
    secret = body.get("secret") or None
    async with rt.sessions() as session, session.begin():
        ns = await access.namespace(session, user, username, path, access.MEMBER, lock="share")
        try:
            hook_id = await hooks.insert(
                session,
                {
                    "user_id": ns.user_id,
                    "author_id": user.id,
                    "namespace_id": ns.id,
                    "payload_url": url,
                    "secret": _secret(secret) if secret else None,
                    "ssl": ssl,
                    "events": events_mask(body.get("events") or []),
                    "active": body.get("active", True),
                },
            )
        except PayloadURLTaken:
            raise ValidationFailed(URL_TAKEN) from None
        row = await hooks.get(session, ns.id, hook_id)
    assert row is not None
    return json_response(webhook_json(api_root(req), row), 201)


async def show(username: str, path: str, id: int, token_info: dict[str, Any]) -> Response:
    req, user = request(), caller(token_info)
    async with reading() as conn:
        ns = await access.namespace(conn, user, username, path, access.MEMBER)
        row = await hooks.get(conn, ns.id, id)
    if row is None:
        raise NotFound()
    return json_response(webhook_json(api_root(req), row))


async def update(
    username: str,
    path: str,
    id: int,
    token_info: dict[str, Any],
    body: dict[str, Any] | None = None,
) -> Response:
    req, rt, user = request(), runtime(), caller(token_info)
    body = body or {}
    async with reading() as conn:
        ns = await access.namespace(conn, user, username, path, access.MEMBER)
        current = await hooks.get(conn, ns.id, id)
    if current is None:
        raise NotFound()
    values = await _changes(body, current)
    async with rt.sessions() as session, session.begin():
        ns = await access.namespace(session, user, username, path, access.MEMBER, lock="share")
        try:
            await hooks.change(session, ns.id, id, values)
        except PayloadURLTaken:
            raise ValidationFailed(URL_TAKEN) from None
        row = await hooks.get(session, ns.id, id)
    if row is None:
        raise NotFound()
    return json_response(webhook_json(api_root(req), row))


async def _changes(body: dict[str, Any], current: Row[Any]) -> dict[str, Any]:
    """The columns an update sets, once its URL (resolved only when it changes)
    and secret pass; every problem is refused at once."""
    errors = FieldErrors()
    url = current.payload_url
    if "payload_url" in body:
        url = normalise_url(body["payload_url"])
    # Omitted: kept, except that a plain http URL cannot be verified.
    ssl = bool(body["ssl"]) if "ssl" in body else current.ssl and url.startswith("https:")
    await check_url(url, ssl, errors, resolve=url != current.payload_url)
    if body.get("remove_secret") and body.get("secret"):
        errors.add("secret", "Secret cannot be set and removed at once")
    if errors:
        raise ValidationFailed(errors)
    values: dict[str, Any] = {"payload_url": url, "ssl": ssl}
    if body.get("remove_secret"):
        values["secret"] = None
    elif body.get("secret"):
        values["secret"] = _secret(body["secret"])
    if "events" in body:
        values["events"] = events_mask(body["events"])
    if "active" in body:
        values["active"] = bool(body["active"])
    return values


async def destroy(username: str, path: str, id: int, token_info: dict[str, Any]) -> Response:
    rt, user = runtime(), caller(token_info)
    async with rt.sessions() as session, session.begin():
        ns = await access.namespace(session, user, username, path, access.MEMBER, lock="share")
        removed = await hooks.remove(session, ns.id, id)
    if not removed:
        raise NotFound()
    return Response(status_code=204)
