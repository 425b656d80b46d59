"""A throwaway certificate authority for the domain tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

Key = ec.EllipticCurvePrivateKey


def pem(cert: x509.Certificate) -> str:
    return cert.public_bytes(serialization.Encoding.PEM).decode()


def key_pem(key: Key) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


def new_key() -> Key:
    return ec.generate_private_key(ec.SECP256R1())


@dataclass
class Authority:
    key: Key
    cert: x509.Certificate

    @classmethod
    def create(cls, name: str = "genie test CA") -> Authority:
        key = new_key()
        subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
        now = datetime.now(UTC)
        cert = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=1))
            .not_valid_after(now + timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256())
        )
        return cls(key, cert)

    def issue(
        self,
        public_key: object,
        names: list[str],
        *,
        start: datetime | None = None,
        days: int = 90,
        san: bool = True,
    ) -> x509.Certificate:
        start = start or datetime.now(UTC) - timedelta(hours=1)
        builder = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0])]))
            .issuer_name(self.cert.subject)
            .public_key(public_key)  # type: ignore[arg-type]
            .serial_number(x509.random_serial_number())
            .not_valid_before(start)
            .not_valid_after(start + timedelta(days=days))
        )
        if san:
            builder = builder.add_extension(
                x509.SubjectAlternativeName([x509.DNSName(n) for n in names]), critical=False
            )
        return builder.sign(self.key, hashes.SHA256())

    def chain(self, leaf: x509.Certificate) -> str:
        return pem(leaf) + pem(self.cert)

    def leaf(self, *names: str, **kwargs: object) -> tuple[str, str]:
        """``(full chain PEM, key PEM)`` for ``names``."""
        key = new_key()
        cert = self.issue(key.public_key(), list(names), **kwargs)  # type: ignore[arg-type]
        return self.chain(cert), key_pem(key)

    def sign_csr(self, csr_pem: str) -> str:
        csr = x509.load_pem_x509_csr(csr_pem.encode())
        names = csr.extensions.get_extension_for_class(x509.SubjectAlternativeName)
        cert = self.issue(csr.public_key(), names.value.get_values_for_type(x509.DNSName))
        return self.chain(cert)
