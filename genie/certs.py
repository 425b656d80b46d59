"""TLS certificates of DjaoDjin domains, with ``cryptography``: parse and check a
PEM chain and its key, derive the domain's ``state``, and make a key and a CSR.

Checks on an uploaded chain: every block parses as an X.509 certificate, each one
is issued (name and signature) by the next, the key is an unencrypted RSA
(≥ 2048 bits) or EC key whose public half is the leaf's, and the leaf's DNS names
(its CN when it has none) cover the domain, exactly or through a one-level
wildcard. Expired certificates are accepted: the domain's state says ``expired``.
Each failure is a :class:`CertificateError` naming the field to blame.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import datetime

from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey
KEY_TYPES = ("rsa-2048", "ec-p256")
MIN_RSA_BITS = 2048


class CertificateError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Chain:
    """A parsed, ordered certificate chain; ``pem`` is what is stored and returned."""

    pem: str
    leaf: x509.Certificate
    not_before: datetime
    not_after: datetime


def parse_chain(pem: str) -> Chain:
    try:
        certificates = x509.load_pem_x509_certificates(pem.encode("utf-8"))
    except (ValueError, UnicodeError):
        raise CertificateError(
            "ssl_certificate", "Enter a valid PEM-encoded certificate chain."
        ) from None
    for child, parent in itertools.pairwise(certificates):
        try:
            child.verify_directly_issued_by(parent)
        except (ValueError, TypeError, InvalidSignature, UnsupportedAlgorithm):
            raise CertificateError(
                "ssl_certificate",
                "The certificate chain is not in order: each certificate must be "
                "issued by the one after it, leaf first.",
            ) from None
    leaf = certificates[0]
    canonical = "".join(
        c.public_bytes(serialization.Encoding.PEM).decode("ascii") for c in certificates
    )
    return Chain(canonical, leaf, leaf.not_valid_before_utc, leaf.not_valid_after_utc)


def parse_key(pem: str) -> PrivateKey:
    try:
        key = serialization.load_pem_private_key(pem.encode("utf-8"), password=None)
    except TypeError:
        raise CertificateError(
            "ssl_certificate_key", "The private key must not be encrypted with a passphrase."
        ) from None
    except (ValueError, UnsupportedAlgorithm, UnicodeError):
        raise CertificateError(
            "ssl_certificate_key", "Enter a valid PEM-encoded private key."
        ) from None
    if isinstance(key, rsa.RSAPrivateKey):
        if key.key_size < MIN_RSA_BITS:
            raise CertificateError(
                "ssl_certificate_key", f"RSA keys must have at least {MIN_RSA_BITS} bits."
            )
        return key
    if isinstance(key, ec.EllipticCurvePrivateKey):
        return key
    raise CertificateError("ssl_certificate_key", "The private key must be an RSA or EC key.")


def _public_der(public_key: object) -> bytes:
    return public_key.public_bytes(  # type: ignore[attr-defined]
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def key_matches(chain: Chain, key: PrivateKey) -> bool:
    return _public_der(chain.leaf.public_key()) == _public_der(key.public_key())


def dns_names(certificate: x509.Certificate) -> list[str]:
    """The DNS names a certificate is for: its SAN, else its common name."""
    try:
        san = certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName)
        names = san.value.get_values_for_type(x509.DNSName)
    except x509.ExtensionNotFound:
        names = [
            str(a.value) for a in certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
        ]
    return [n.lower().rstrip(".") for n in names]


def covers(chain: Chain, domain: str) -> bool:
    domain = domain.lower()
    for name in dns_names(chain.leaf):
        if name == domain:
            return True
        if name.startswith("*.") and "." in domain:
            label, rest = domain.split(".", 1)
            if label and rest == name[2:]:
                return True
    return False


def state(
    domain: str | None,
    not_before: datetime | None,
    not_after: datetime | None,
    has_certificate: bool,
    now: datetime,
) -> str:
    """``active``, ``pending`` or ``expired`` (see the spec's ``Domain.state``)."""
    if has_certificate and not_after is not None and not_after <= now:
        return "expired"
    if has_certificate and not_before is not None and not_before > now:
        return "pending"
    if domain is None or has_certificate:
        return "active"
    return "pending"


def generate_key(key_type: str = "rsa-2048") -> PrivateKey:
    if key_type == "ec-p256":
        return ec.generate_private_key(ec.SECP256R1())
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def key_pem(key: PrivateKey) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode("ascii")


def make_csr(key: PrivateKey, domain: str) -> str:
    """A SHA-256 CSR with subject ``CN=<domain>`` and the SAN ``DNS:<domain>``, only."""
    csr = (
        x509.CertificateSigningRequestBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, domain)]))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(domain)]), critical=False)
        .sign(key, hashes.SHA256())
    )
    return csr.public_bytes(serialization.Encoding.PEM).decode("ascii")
