"""Wire shapes of DjaoDjin resources, in the documented field order.

Secrets (the private keys, the SMTP password) are never read into these shapes.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Row

from genie import certs


def container_json(row: Row[Any]) -> dict[str, Any]:
    return {
        "slug": row.slug,
        "version": row.version,
        "location": row.location,
        "role_name": row.role_name,
        "external_id": row.external_id,
        "env": [{"name": v["name"], "value": v["value"]} for v in row.env or []],
        "dataset": row.dataset,
    }


def domain_url(row: Row[Any], site_domain: str) -> str:
    host = row.domain or f"{row.slug.lower()}.{site_domain}"
    return f"https://{host}/"


def domain_json(row: Row[Any], site_domain: str, now: datetime) -> dict[str, Any]:
    has_certificate = row.ssl_certificate is not None
    return {
        "slug": row.slug,
        "domain": row.domain,
        "url": domain_url(row, site_domain),
        "ssl_certificate": row.ssl_certificate,
        "cert_type": "custom" if has_certificate else "default",
        "from_email": row.from_email,
        "email_host": row.email_host,
        "email_port": row.email_port,
        "email_host_user": row.email_host_user,
        "authentication": row.authentication,
        "billing": row.billing,
        "state": certs.state(
            row.domain, row.cert_not_before, row.cert_not_after, has_certificate, now
        ),
    }
