"""A domain's custom certificate: ``certificates/`` (delete) and ``newcert/`` (CSR)."""

from __future__ import annotations

import asyncio
from typing import Any

from starlette.responses import Response

from genie import certs
from handlers._errors import NotFound, ValidationFailed
from handlers._http import json_response, reading, runtime
from handlers.djaodjin import _access as access
from models import domains
from models.domains import KEY_PURPOSE


async def destroy(token_info: dict[str, Any], organization: str, domain: str) -> Response:
    """Forget the custom certificate, its key and any pending key (idempotent)."""
    rt, org = runtime(), access.organization(token_info)
    async with rt.transaction() as conn:
        row = await domains.get(conn, org.organization_id, domain)
        if row is None:
            raise NotFound()
        await domains.update_domain(
            conn,
            row.id,
            {
                "ssl_certificate": None,
                "ssl_key_enc": None,
                "pending_key_enc": None,
                "cert_not_before": None,
                "cert_not_after": None,
            },
        )
    return Response(status_code=204)


async def newcert(
    token_info: dict[str, Any], organization: str, domain: str, body: dict[str, Any]
) -> Response:
    """A new pending key (kept encrypted) and the CSR for the domain's name."""
    rt, org = runtime(), access.organization(token_info)
    async with reading() as conn:
        row = await domains.get(conn, org.organization_id, domain)
    if row is None:
        raise NotFound()
    if row.domain is None:
        raise ValidationFailed(
            {"domain": ["A custom domain is required to generate a certificate request."]}
        )
    # Key generation is CPU work (tens of milliseconds for RSA): off the event loop.
    key = await asyncio.to_thread(certs.generate_key, body.get("key_type") or "rsa-2048")
    csr = certs.make_csr(key, row.domain)
    pending = rt.crypto.encrypt(certs.key_pem(key), purpose=KEY_PURPOSE)
    async with rt.transaction() as conn:
        await domains.update_domain(conn, row.id, {"pending_key_enc": pending})
    return json_response({"csr": csr}, 201)
