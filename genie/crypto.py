"""Secrets at rest: AES-256-GCM encryption and HMAC-SHA256, under one master key.

The master key is ``GENIE_SECRET_KEY`` (any string of at least 32 characters),
or, when unset, 32 random bytes generated once and kept in
``<data_dir>/secret.key`` (mode 0600). Each use derives its own key with HKDF
from the master key and a *purpose* (``"api-key"``, ``"webhook-secret"``, ...),
so a value encrypted or MACed for one purpose is useless for another.

Losing the master key makes every encrypted value unreadable (masked variables,
SSH keys, webhook secrets, certificate keys, SMTP passwords) and every API key
invalid; rotating it is the same as losing it. Back up ``secret.key`` with the
database.

Ciphertext layout: ``b"\\x01" + nonce(12) + AES-GCM(ciphertext || tag)``, with
the purpose as associated data.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from functools import lru_cache
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from genie.settings import Settings, SettingsError

VERSION = b"\x01"
NONCE_SIZE = 12
KEY_FILE = "secret.key"
MIN_SECRET_LENGTH = 32


class DecryptionError(ValueError):
    """A value that this key did not encrypt, or that was altered."""


def _bytes(data: bytes | str) -> bytes:
    return data.encode() if isinstance(data, str) else data


class Crypto:
    def __init__(self, master: bytes) -> None:
        if len(master) < MIN_SECRET_LENGTH:
            raise SettingsError(f"the secret key must be at least {MIN_SECRET_LENGTH} bytes")
        self._master = master

    def __repr__(self) -> str:
        return "Crypto(<secret>)"

    @classmethod
    def from_settings(cls, settings: Settings) -> Crypto:
        if settings.secret_key:
            return cls(settings.secret_key.encode())
        return cls(load_or_create_key_file(settings.data_dir / KEY_FILE))

    @lru_cache(maxsize=64)  # noqa: B019 - one Crypto per process; purposes are few
    def _key(self, purpose: str) -> bytes:
        hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose.encode())
        return hkdf.derive(self._master)

    def encrypt(self, data: bytes | str, *, purpose: str) -> bytes:
        nonce = os.urandom(NONCE_SIZE)
        sealed = AESGCM(self._key(f"aes-gcm:{purpose}")).encrypt(
            nonce, _bytes(data), purpose.encode()
        )
        return VERSION + nonce + sealed

    def decrypt(self, blob: bytes, *, purpose: str) -> bytes:
        if len(blob) < 1 + NONCE_SIZE + 16 or blob[:1] != VERSION:
            raise DecryptionError("not a genie ciphertext")
        nonce, sealed = blob[1 : 1 + NONCE_SIZE], blob[1 + NONCE_SIZE :]
        try:
            return AESGCM(self._key(f"aes-gcm:{purpose}")).decrypt(nonce, sealed, purpose.encode())
        except InvalidTag:
            raise DecryptionError("the value does not decrypt under this key") from None

    def mac(self, data: bytes | str, *, purpose: str) -> bytes:
        return hmac.new(self._key(f"hmac:{purpose}"), _bytes(data), hashlib.sha256).digest()

    def mac_matches(self, data: bytes | str, expected: bytes, *, purpose: str) -> bool:
        return hmac.compare_digest(self.mac(data, purpose=purpose), expected)


def load_or_create_key_file(path: Path) -> bytes:
    """The key kept in ``path``; generated (0600, written atomically) when missing."""
    try:
        return bytes.fromhex(path.read_text().strip())
    except FileNotFoundError:
        pass
    except ValueError:
        raise SettingsError(f"{path} does not hold a hex secret key") from None
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_bytes(32)
    staging = path.with_suffix(f".{os.getpid()}.tmp")
    fd = os.open(staging, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key.hex() + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    try:
        # link() fails when another process won the race: then read its key.
        os.link(staging, path)
    except FileExistsError:
        return bytes.fromhex(path.read_text().strip())
    finally:
        staging.unlink()
    return key
