"""A domain's request fields merged into its stored values, with the rules that
span fields: certificate parsing, key pairing and coverage (``genie.certs``), and
the secrets encrypted on their way in.

Omitted fields keep their values and ``null`` clears one. A certificate sent
without its key is paired with the pending ``newcert`` key, then the current one.
A custom certificate needs a custom ``domain`` that it covers, and changing
``domain`` under a stored certificate that does not cover the new name is refused
rather than silently dropping the certificate.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row

from genie import certs
from genie.crypto import Crypto, DecryptionError
from handlers._errors import FieldErrors, ValidationFailed
from models.domains import KEY_PURPOSE, SMTP_PASSWORD_PURPOSE

PLAIN_FIELDS = ("from_email", "email_host", "email_port", "email_host_user", "authentication")


@dataclass
class _Current:
    """What is stored now (nothing, for a new domain)."""

    domain: str | None = None
    ssl_certificate: str | None = None
    ssl_key_enc: bytes | None = None
    pending_key_enc: bytes | None = None

    @classmethod
    def of(cls, row: Row[Any] | None) -> _Current:
        if row is None:
            return cls()
        return cls(row.domain, row.ssl_certificate, row.ssl_key_enc, row.pending_key_enc)


def _stored_key(crypto: Crypto, blob: bytes | None) -> certs.PrivateKey | None:
    if blob is None:
        return None
    try:
        return certs.parse_key(crypto.decrypt(blob, purpose=KEY_PURPOSE).decode("ascii"))
    except (DecryptionError, certs.CertificateError, UnicodeError):
        return None  # a key this server can no longer read pairs with nothing


def _pair(
    chain: certs.Chain,
    key_text: str | None,
    current: _Current,
    crypto: Crypto,
    errors: FieldErrors,
) -> tuple[certs.PrivateKey | None, bool]:
    """The key for ``chain`` and whether it is the pending one."""
    if key_text:
        try:
            key = certs.parse_key(key_text)
        except certs.CertificateError as exc:
            errors.add(exc.field, exc.message)
            return None, False
        if not certs.key_matches(chain, key):
            errors.add("ssl_certificate_key", "The private key does not match the certificate.")
            return None, False
        return key, False
    for blob, pending in ((current.pending_key_enc, True), (current.ssl_key_enc, False)):
        stored = _stored_key(crypto, blob)
        if stored is not None and certs.key_matches(chain, stored):
            return stored, pending
    errors.add("ssl_certificate_key", "This field is required.")
    return None, False


def _certificate(
    body: dict[str, Any],
    domain: str | None,
    current: _Current,
    crypto: Crypto,
    errors: FieldErrors,
) -> dict[str, Any]:
    """The certificate columns a request sets (none when it sets none, or when
    ``errors`` has its problems)."""
    cert_text = body.get("ssl_certificate")
    key_text = body.get("ssl_certificate_key")
    if not cert_text:
        return _without_certificate(body, key_text, domain, current, errors)
    chain = _parse_chain(cert_text, key_text, errors)
    if chain is None:
        return {}
    key, was_pending = _pair(chain, key_text, current, crypto, errors)
    _check_coverage(chain, domain, errors)
    if key is None:
        return {}
    values: dict[str, Any] = {
        "ssl_certificate": chain.pem,
        "ssl_key_enc": crypto.encrypt(certs.key_pem(key), purpose=KEY_PURPOSE),
        "cert_not_before": chain.not_before,
        "cert_not_after": chain.not_after,
    }
    if was_pending:
        values["pending_key_enc"] = None
    return values


def _without_certificate(
    body: dict[str, Any],
    key_text: str | None,
    domain: str | None,
    current: _Current,
    errors: FieldErrors,
) -> dict[str, Any]:
    """A request with no certificate: a key alone is refused; ``null`` (or empty)
    clears the certificate; omitted, the stored one stays, and must cover a new
    ``domain``."""
    if key_text:
        errors.add("ssl_certificate", "This field is required.")
    if "ssl_certificate" in body:
        return {
            "ssl_certificate": None,
            "ssl_key_enc": None,
            "cert_not_before": None,
            "cert_not_after": None,
        }
    if not key_text and current.ssl_certificate and domain != current.domain:
        _check_coverage(certs.parse_chain(current.ssl_certificate), domain, errors)
    return {}


def _parse_chain(cert_text: str, key_text: str | None, errors: FieldErrors) -> certs.Chain | None:
    """The certificate chain sent; ``None`` when it does not parse, with the key's
    own problems added too, so that one answer reports both."""
    try:
        return certs.parse_chain(cert_text)
    except certs.CertificateError as exc:
        errors.add(exc.field, exc.message)
        if key_text:
            try:
                certs.parse_key(key_text)
            except certs.CertificateError as key_exc:
                errors.add(key_exc.field, key_exc.message)
        return None


def _check_coverage(chain: certs.Chain, domain: str | None, errors: FieldErrors) -> None:
    if domain is None:
        errors.add("domain", "A custom domain is required to use a custom certificate.")
    elif not certs.covers(chain, domain):
        errors.add("ssl_certificate", f"The certificate does not cover {domain}.")


def changes(body: dict[str, Any], row: Row[Any] | None, crypto: Crypto) -> dict[str, Any]:
    """The column values to write for ``body`` over ``row`` (``None``: a new domain);
    :class:`ValidationFailed` with every problem at once."""
    current = _Current.of(row)
    errors = FieldErrors()
    values: dict[str, Any] = {f: body[f] for f in PLAIN_FIELDS if f in body}
    if "domain" in body:
        values["domain"] = body["domain"].lower() if body["domain"] else None
    domain = values.get("domain", current.domain)
    if "email_host_password" in body:
        password = body["email_host_password"]
        values["email_host_password_enc"] = (
            crypto.encrypt(password, purpose=SMTP_PASSWORD_PURPOSE) if password else None
        )
    values.update(_certificate(body, domain, current, crypto, errors))
    if errors:
        raise ValidationFailed(errors)
    return values
