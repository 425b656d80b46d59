"""parse_private_key: OpenSSH and PEM keys in, public facts out, clear refusals."""

from __future__ import annotations

import base64
import hashlib
import shutil
import subprocess
from datetime import datetime
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed448, ed25519, rsa
from cryptography.x509.oid import NameOID

from genie import sshkeys
from genie.sshkeys import InvalidKey, ParsedKey, parse_private_key

Enc = serialization.Encoding
Fmt = serialization.PrivateFormat
NONE = serialization.NoEncryption()


def rsa_key(bits: int = 2048) -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=bits)


def private_text(
    key: object, fmt: serialization.PrivateFormat, password: bytes | None = None
) -> str:
    encryption = serialization.BestAvailableEncryption(password) if password else NONE
    return key.private_bytes(Enc.PEM, fmt, encryption).decode()  # type: ignore[attr-defined]


def openssh_public(key: object) -> str:
    return (
        key.public_key()  # type: ignore[attr-defined]
        .public_bytes(Enc.OpenSSH, serialization.PublicFormat.OpenSSH)
        .decode()
    )


def expected_fingerprint(public_line: str) -> str:
    blob = base64.b64decode(public_line.split()[1])
    return "SHA256:" + base64.b64encode(hashlib.sha256(blob).digest()).decode().rstrip("=")


KEYS = {
    "ed25519": (ed25519.Ed25519PrivateKey.generate, "ssh-ed25519", 256),
    "rsa": (rsa_key, "ssh-rsa", 2048),
    "p256": (lambda: ec.generate_private_key(ec.SECP256R1()), "ecdsa-sha2-nistp256", 256),
    "p384": (lambda: ec.generate_private_key(ec.SECP384R1()), "ecdsa-sha2-nistp384", 384),
    "p521": (lambda: ec.generate_private_key(ec.SECP521R1()), "ecdsa-sha2-nistp521", 521),
}
FORMATS = {
    "openssh": Fmt.OpenSSH,
    "pkcs8": Fmt.PKCS8,
}


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("kind", KEYS)
def test_every_supported_key_in_openssh_and_pem(kind: str, fmt: str) -> None:
    make, ssh_type, bits = KEYS[kind]
    key = make()
    parsed = parse_private_key(private_text(key, FORMATS[fmt]))
    public = openssh_public(key)
    assert parsed == ParsedKey(
        type=ssh_type, bits=bits, fingerprint=expected_fingerprint(public), public_key=public
    )


@pytest.mark.parametrize("kind", ["rsa", "p256"])
def test_traditional_pem_rsa_and_ec_keys(kind: str) -> None:
    make, ssh_type, _ = KEYS[kind]
    text = private_text(make(), Fmt.TraditionalOpenSSL)
    assert text.startswith("-----BEGIN RSA PRIVATE KEY-----" if kind == "rsa" else "-----BEGIN EC")
    assert parse_private_key(text).type == ssh_type


def test_windows_line_endings_and_surrounding_blank_lines_are_fine() -> None:
    key = ed25519.Ed25519PrivateKey.generate()
    text = "\r\n\r\n" + private_text(key, Fmt.OpenSSH).replace("\n", "\r\n") + "\r\n  \r\n"
    assert parse_private_key(text).public_key == openssh_public(key)


def test_normalise_key_strips_carriage_returns_and_ends_with_one_newline() -> None:
    text = private_text(ed25519.Ed25519PrivateKey.generate(), Fmt.OpenSSH)
    crlf = "\n" + text.replace("\n", "\r\n").rstrip() + "\r\n\r\n"
    assert sshkeys.normalise_key(crlf) == text
    assert sshkeys.normalise_key(text.rstrip("\n")) == text


def test_the_result_carries_no_private_material() -> None:
    rsa_private = rsa_key()
    ed_private = ed25519.Ed25519PrivateKey.generate()
    numbers = rsa_private.private_numbers()
    secrets = [numbers.d, numbers.p, numbers.q, numbers.dmp1, numbers.dmq1]
    secret_bytes = [n.to_bytes((n.bit_length() + 7) // 8, "big") for n in secrets]
    secret_bytes.append(ed_private.private_bytes_raw())
    shown = ""
    for key in (rsa_private, ed_private):
        parsed = parse_private_key(private_text(key, Fmt.OpenSSH))
        shown += repr(parsed) + str(vars(parsed))
    for raw in secret_bytes:
        for form in (raw.hex(), base64.b64encode(raw).decode()[:-4], str(int.from_bytes(raw))):
            assert form[:32] not in shown


@pytest.mark.skipif(shutil.which("ssh-keygen") is None, reason="ssh-keygen is not installed")
@pytest.mark.parametrize("kind", ["ed25519", "rsa", "p384"])
def test_fingerprint_matches_ssh_keygen(kind: str, tmp_path: Path) -> None:
    text = private_text(KEYS[kind][0](), Fmt.OpenSSH)
    path = tmp_path / "id"
    path.write_text(text)
    path.chmod(0o600)
    listed = subprocess.run(
        ["ssh-keygen", "-l", "-E", "sha256", "-f", str(path)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    parsed = parse_private_key(text)
    assert listed[1] == parsed.fingerprint
    assert int(listed[0]) == parsed.bits


@pytest.mark.parametrize(
    "fmt", [Fmt.OpenSSH, Fmt.PKCS8, Fmt.TraditionalOpenSSL], ids=["openssh", "pkcs8", "pkcs1"]
)
def test_passphrase_protected_keys_are_refused_with_a_hint(
    fmt: serialization.PrivateFormat,
) -> None:
    key = rsa_key() if fmt is Fmt.TraditionalOpenSSL else ed25519.Ed25519PrivateKey.generate()
    text = private_text(key, fmt, password=b"correct horse")
    with pytest.raises(InvalidKey) as caught:
        parse_private_key(text)
    assert caught.value.message == sshkeys.ENCRYPTED
    assert caught.value.message.startswith("Key is protected by a passphrase")


def test_public_keys_are_refused() -> None:
    key = ed25519.Ed25519PrivateKey.generate()
    spki = key.public_key().public_bytes(Enc.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    pkcs1 = rsa_key().public_key().public_bytes(Enc.PEM, serialization.PublicFormat.PKCS1)
    ssh2 = "---- BEGIN SSH2 PUBLIC KEY ----\nAAAAC3NzaC1lZDI1NTE5\n---- END SSH2 PUBLIC KEY ----\n"
    for text in (openssh_public(key), spki.decode(), pkcs1.decode(), ssh2):
        with pytest.raises(InvalidKey, match=r"^Key is a public key"):
            parse_private_key(text)


def test_certificates_and_putty_files_are_named() -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "genie")])
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(datetime(2024, 1, 1))
        .not_valid_after(datetime(2034, 1, 1))
        .sign(key, hashes.SHA256())
    )
    with pytest.raises(InvalidKey) as caught:
        parse_private_key(cert.public_bytes(Enc.PEM).decode())
    assert caught.value.message == sshkeys.CERTIFICATE
    with pytest.raises(InvalidKey) as caught:
        parse_private_key("PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\n")
    assert caught.value.message == sshkeys.PUTTY


def test_algorithms_ssh_does_not_offer_are_refused() -> None:
    unsupported = [
        private_text(ed448.Ed448PrivateKey.generate(), Fmt.PKCS8),
        private_text(ec.generate_private_key(ec.SECP256K1()), Fmt.PKCS8),
        private_text(dsa.generate_private_key(2048), Fmt.PKCS8),
    ]
    for text in unsupported:
        with pytest.raises(InvalidKey) as caught:
            parse_private_key(text)
        assert caught.value.message == sshkeys.UNSUPPORTED


@pytest.mark.parametrize(
    "text",
    [
        "not a key at all",
        "-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----\n",
        "-----BEGIN PRIVATE KEY-----\nbm9wZQ==\n-----END PRIVATE KEY-----\n",
        "-----BEGIN RSA PRIVATE KEY-----\n!!!!\n-----END RSA PRIVATE KEY-----\n",
        "-----BEGIN SOMETHING ELSE-----\nAAAA\n-----END SOMETHING ELSE-----\n",
        "-----BEGIN OPENSSH PRIVATE KEY-----\nclé\n-----END OPENSSH PRIVATE KEY-----\n",
    ],
    ids=["garbage", "openssh-junk", "pkcs8-junk", "pkcs1-junk", "other-label", "non-ascii"],
)
def test_garbage_is_not_a_key(text: str) -> None:
    with pytest.raises(InvalidKey) as caught:
        parse_private_key(text)
    assert caught.value.message == sshkeys.NOT_A_KEY


def test_a_truncated_key_is_not_a_key() -> None:
    lines = private_text(ed25519.Ed25519PrivateKey.generate(), Fmt.OpenSSH).splitlines()
    with pytest.raises(InvalidKey) as caught:
        parse_private_key("\n".join([*lines[:2], lines[-1]]))
    assert caught.value.message == sshkeys.NOT_A_KEY


@pytest.mark.parametrize("text", ["", "   \n\t "])
def test_empty_input_is_a_missing_field(text: str) -> None:
    with pytest.raises(InvalidKey) as caught:
        parse_private_key(text)
    assert caught.value.message == "Key field required"


def test_oversized_input_is_refused_before_parsing() -> None:
    text = private_text(ed25519.Ed25519PrivateKey.generate(), Fmt.OpenSSH)
    with pytest.raises(InvalidKey) as caught:
        parse_private_key(text + "#" * sshkeys.MAX_KEY_LENGTH)
    assert caught.value.message == "Key cannot be longer than 16384 characters in length"


def test_a_large_rsa_key_fits_the_limit() -> None:
    text = private_text(rsa_key(4096), Fmt.OpenSSH)
    assert parse_private_key(text).bits == 4096


def test_messages_never_quote_the_input() -> None:
    secret = (
        "-----BEGIN OPENSSH PRIVATE KEY-----\n"
        "c2VjcmV0LW1hdGVyaWFs\n"
        "-----END OPENSSH PRIVATE KEY-----"
    )
    with pytest.raises(InvalidKey) as caught:
        parse_private_key(secret)
    assert "c2VjcmV0" not in str(caught.value)
    assert caught.value.__cause__ is None
    assert caught.value.__suppress_context__
