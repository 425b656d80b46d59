"""SSH private keys as users paste them: check one parses, describe its public half.

:func:`parse_private_key` accepts OpenSSH (``BEGIN OPENSSH PRIVATE KEY``) and PEM
(PKCS#1 ``BEGIN RSA PRIVATE KEY``, SEC1 ``BEGIN EC PRIVATE KEY``, PKCS#8
``BEGIN PRIVATE KEY``) keys of the types OpenSSH still uses: Ed25519, ECDSA
(P-256, P-384, P-521) and RSA. It refuses, each with its own message:

- keys protected by a passphrase: the API has no passphrase field, and a build
  cannot answer a prompt;
- public keys, certificates and PuTTY files: the usual wrong paste;
- DSA and other algorithms SSH no longer offers or never did;
- anything else, and anything longer than :data:`MAX_KEY_LENGTH`.

Failures raise :class:`InvalidKey`, whose message starts with ``Key`` and is meant
for a 400 ``{"key": [message]}``. Messages never quote the input.

The result, :class:`ParsedKey`, holds only public facts (type, size, the OpenSSH
``SHA256:`` fingerprint): the private material stays with the caller, who stores
``normalise_key(text)`` encrypted.
"""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass
from typing import Final

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

#: Far above the largest real key (an OpenSSH RSA-16384 key is about 12.6 KiB).
MAX_KEY_LENGTH: Final = 16 * 1024

_BEGIN = re.compile(r"-----BEGIN ([A-Z0-9 ]+)-----")
_PUBLIC_PREFIXES = ("ssh-", "ecdsa-sha2-", "sk-ssh-", "sk-ecdsa-")
_SSH_CURVES = frozenset({"secp256r1", "secp384r1", "secp521r1"})

REQUIRED: Final = "Key field required"
TOO_LONG: Final = f"Key cannot be longer than {MAX_KEY_LENGTH} characters in length"
NOT_A_KEY: Final = "Key is not a valid SSH private key"
ENCRYPTED: Final = (
    "Key is protected by a passphrase, which cannot be given here: "
    "remove it first (ssh-keygen -p -N '' -f <file>)"
)
PUBLIC: Final = "Key is a public key: paste the private key instead"
CERTIFICATE: Final = "Key is a certificate, not a private key"
PUTTY: Final = "Key is in PuTTY format: export it as an OpenSSH key (puttygen -O private-openssh)"
UNSUPPORTED: Final = "Key type is not supported: use an Ed25519, ECDSA or RSA key"


class InvalidKey(ValueError):
    """The text is not a usable SSH private key; ``message`` says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class ParsedKey:
    """The public facts about a private key; nothing here is secret."""

    #: The SSH key type: ``ssh-ed25519``, ``ssh-rsa``, ``ecdsa-sha2-nistp256`` ...
    type: str
    bits: int
    #: As ``ssh-keygen -l`` prints it: ``SHA256:`` and unpadded base64.
    fingerprint: str
    #: The public key in ``authorized_keys`` form, without a comment.
    public_key: str


def normalise_key(text: str) -> str:
    """The key text as it should be stored: no carriage returns, one final newline
    (OpenSSH refuses a key file without it)."""
    return text.replace("\r", "").strip() + "\n"


def fingerprint(public_line: str) -> str:
    """``SHA256:<base64>`` of an ``authorized_keys`` line's key blob."""
    blob = base64.b64decode(public_line.split()[1])
    digest = base64.b64encode(hashlib.sha256(blob).digest()).decode("ascii")
    return "SHA256:" + digest.rstrip("=")


def parse_private_key(text: str) -> ParsedKey:
    """Parse a pasted SSH private key; raise :class:`InvalidKey` when it cannot be used."""
    if not isinstance(text, str) or not text.strip():
        raise InvalidKey(REQUIRED)
    if len(text) > MAX_KEY_LENGTH:
        raise InvalidKey(TOO_LONG)
    text = normalise_key(text)
    try:
        data = text.encode("ascii")
    except UnicodeEncodeError:
        raise InvalidKey(NOT_A_KEY) from None
    return _describe(_load(text, data))


def _load(text: str, data: bytes) -> object:
    begin = _BEGIN.search(text)
    label = begin.group(1) if begin else ""
    if not label.endswith("PRIVATE KEY"):
        raise InvalidKey(_why_not_private(label, text))
    try:
        if label == "OPENSSH PRIVATE KEY":
            return serialization.load_ssh_private_key(data, password=None)
        return serialization.load_pem_private_key(data, password=None)
    except TypeError:
        # cryptography's way of saying "encrypted, and no password was given".
        raise InvalidKey(ENCRYPTED) from None
    except UnsupportedAlgorithm:
        raise InvalidKey(UNSUPPORTED) from None
    except ValueError:
        raise InvalidKey(NOT_A_KEY) from None


def _why_not_private(label: str, text: str) -> str:
    if (
        label.endswith("PUBLIC KEY")
        or text.startswith(_PUBLIC_PREFIXES)
        or "---- BEGIN SSH2 PUBLIC KEY ----" in text
    ):
        return PUBLIC
    if "CERTIFICATE" in label:
        return CERTIFICATE
    if text.startswith("PuTTY-User-Key-File"):
        return PUTTY
    return NOT_A_KEY


def _describe(key: object) -> ParsedKey:
    if isinstance(key, ed25519.Ed25519PrivateKey):
        bits = 256
    elif isinstance(key, rsa.RSAPrivateKey):
        bits = key.key_size
    elif isinstance(key, ec.EllipticCurvePrivateKey) and key.curve.name in _SSH_CURVES:
        bits = key.curve.key_size
    else:
        raise InvalidKey(UNSUPPORTED)
    public = (
        key.public_key()
        .public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH)
        .decode("ascii")
    )
    return ParsedKey(
        type=public.split()[0],
        bits=bits,
        fingerprint=fingerprint(public),
        public_key=public,
    )
