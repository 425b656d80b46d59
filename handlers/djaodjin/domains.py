"""Domains: ``/domains/``, ``/domains/{organization}/[{domain}/]`` and ``test-email/``.

A domain is named by the slug of the container it fronts; the rules that span its
fields live in ``_domain_input``.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncConnection
from starlette.responses import Response

from genie import mail
from genie.crypto import DecryptionError
from genie.runtime import Runtime
from handlers._errors import BadRequest, NotFound, ValidationFailed
from handlers._http import json_response, reading, request, runtime
from handlers._pagination import drf_list, drf_paginate
from handlers.djaodjin import _access as access
from handlers.djaodjin._domain_input import changes
from handlers.djaodjin._entities import domain_json, domain_url
from models import containers, domains
from models.base import utcnow
from models.domains import SMTP_PASSWORD_PURPOSE, Taken
from models.organizations import Membership, membership

#: Django's default when a domain names an SMTP host but no port.
DEFAULT_SMTP_PORT = 25
TAKEN = {"slug": "This slug is already taken.", "domain": "This domain is already taken."}


def _json(rt: Runtime, row: Row[Any]) -> dict[str, Any]:
    return domain_json(row, rt.settings.site_domain, utcnow())


async def _domain(
    conn: AsyncConnection, organization_id: int, slug: str, *, lock: bool = False
) -> Row[Any]:
    row = await domains.get(conn, organization_id, slug, lock=lock)
    if row is None:
        raise NotFound()
    return row


async def _list(token_info: dict[str, Any], listing: Any, page: Any, page_size: Any) -> Response:
    rt = runtime()
    async with reading() as conn:
        result = await drf_paginate(conn, listing, page, page_size)
    return drf_list(request(), result, [_json(rt, r) for r in result.items])


async def index_all(
    token_info: dict[str, Any], page: str | None = None, page_size: str | None = None
) -> Response:
    rt, user = runtime(), access.user(token_info)
    async with reading() as conn:
        every = await access.is_broker(conn, rt, user)
    return await _list(token_info, domains.reachable_by(user.id, every=every), page, page_size)


async def index(
    token_info: dict[str, Any],
    organization: str,
    page: str | None = None,
    page_size: str | None = None,
) -> Response:
    org = access.organization(token_info)
    return await _list(token_info, domains.of_organization(org.organization_id), page, page_size)


async def _create(
    rt: Runtime, conn: AsyncConnection, org: Membership, body: dict[str, Any]
) -> Row[Any]:
    slug = body["slug"]
    container = await containers.get(conn, org.organization_id, slug)
    if container is None:
        raise ValidationFailed({"slug": [f"Object with slug={slug} does not exist."]})
    values = changes(body, None, rt.crypto)
    try:
        return await domains.insert_domain(
            conn, {**values, "organization_id": org.organization_id, "container_id": container.id}
        )
    except Taken as exc:
        raise ValidationFailed({exc.field: [TAKEN[exc.field]]}) from None


async def store_billing(token_info: dict[str, Any], body: dict[str, Any]) -> Response:
    """Create in the ``billing`` organization, else in the caller's personal one."""
    rt, user = runtime(), access.user(token_info)
    async with rt.transaction() as conn:
        if body.get("billing"):
            org = await access.check(conn, rt, user, body["billing"], write=True)
        else:
            personal = await membership(conn, user.id, user.username)
            if personal is None:
                raise ValidationFailed({"billing": ["This field is required."]})
            org = await access.check(conn, rt, user, user.username, write=True)
        row = await _create(rt, conn, org, body)
    return json_response(_json(rt, row), 201)


async def store(token_info: dict[str, Any], organization: str, body: dict[str, Any]) -> Response:
    rt, org = runtime(), access.organization(token_info)
    async with rt.transaction() as conn:
        row = await _create(rt, conn, org, body)
    return json_response(_json(rt, row), 201)


async def show(token_info: dict[str, Any], organization: str, domain: str) -> Response:
    rt, org = runtime(), access.organization(token_info)
    async with reading() as conn:
        row = await _domain(conn, org.organization_id, domain)
    return json_response(_json(rt, row))


async def update(
    token_info: dict[str, Any], organization: str, domain: str, body: dict[str, Any]
) -> Response:
    rt, org = runtime(), access.organization(token_info)
    async with rt.transaction() as conn:
        row = await _domain(conn, org.organization_id, domain, lock=True)
        values = changes(body, row, rt.crypto)
        if values:
            try:
                row = await domains.update_domain(conn, row.id, values)
            except Taken as exc:
                raise ValidationFailed({exc.field: [TAKEN[exc.field]]}) from None
    return json_response(_json(rt, row))


def _smtp_server(rt: Runtime, row: Row[Any]) -> mail.SmtpServer:
    if row.email_host:
        password = None
        if row.email_host_password_enc is not None:
            try:
                password = rt.crypto.decrypt(
                    row.email_host_password_enc, purpose=SMTP_PASSWORD_PURPOSE
                ).decode("utf-8")
            except DecryptionError:
                raise BadRequest(
                    "Could not send test email: the stored password cannot be read; "
                    "set email_host_password again."
                ) from None
        return mail.SmtpServer(
            row.email_host, row.email_port or DEFAULT_SMTP_PORT, row.email_host_user, password
        )
    if rt.settings.smtp_url:
        return mail.SmtpServer.from_url(rt.settings.smtp_url)
    raise BadRequest(
        "Could not send test email: the domain has no email_host, and the "
        "platform has no mail server."
    )


async def test_email(token_info: dict[str, Any], organization: str, domain: str) -> Response:
    """Send the caller a test e-mail through the domain's SMTP settings."""
    rt, org, user = runtime(), access.organization(token_info), access.user(token_info)
    async with reading() as conn:
        row = await _domain(conn, org.organization_id, domain)
    server = _smtp_server(rt, row)
    sender = row.from_email or (
        row.email_host_user
        if row.email_host_user and "@" in row.email_host_user
        else rt.settings.default_from_email
    )
    url = domain_url(row, rt.settings.site_domain)
    try:
        await mail.send(
            server,
            mail.message(
                sender,
                user.email,
                f"Test e-mail from {url}",
                f"This is a test e-mail sent through the mail server of {url}.\n"
                f"Since you are reading it, {server.host}:{server.port} works.\n",
            ),
            allow_private=rt.settings.allow_private_urls,
        )
    except mail.MailError as exc:
        raise BadRequest(f"Could not send test email: {exc}") from None
    return json_response({"detail": f"Test email sent to {user.email}"}, 201)
