"""Passwords, client secrets and signed cookies.

* Passwords: bcrypt (12 rounds) over the base64 of the password's SHA-256, so a
  password longer than bcrypt's 72 bytes is not cut short. Checked in a thread:
  a check costs about a quarter of a second of CPU.
* Client secrets: 32 random bytes (64 hex characters), of which only an
  HMAC-SHA256 under the server key is stored (:class:`genie.crypto.Crypto`), as
  for API keys; compared in constant time there.
* Cookies: ``value.signature``, the signature an HMAC of the value under the
  server key (the session id itself is also only stored as a SHA-256).
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import hashlib
import secrets

import bcrypt

from genie.crypto import Crypto

ROUNDS = 12
CLIENT_MAC_PURPOSE = "oauth-client-secret"
COOKIE_PURPOSE = "oauth-cookie"
CSRF_PURPOSE = "oauth-csrf"


def _prehash(password: str) -> bytes:
    return base64.b64encode(hashlib.sha256(password.encode("utf-8")).digest())


def hash_password(password: str, rounds: int = ROUNDS) -> str:
    return bcrypt.hashpw(_prehash(password), bcrypt.gensalt(rounds)).decode("ascii")


#: Checked against when the user does not exist, so that an unknown user takes as
#: long as a wrong password.
_DUMMY = hash_password(secrets.token_hex(16))


def password_matches(password: str, hashed: str | None) -> bool:
    try:
        matches = bcrypt.checkpw(_prehash(password), (hashed or _DUMMY).encode("ascii"))
    except ValueError:
        return False
    return matches and hashed is not None


async def check_password(password: str, hashed: str | None) -> bool:
    return await asyncio.to_thread(password_matches, password, hashed)


def new_client_secret() -> str:
    return secrets.token_hex(32)


def client_secret_hash(crypto: Crypto, secret: str) -> str:
    return crypto.mac(secret, purpose=CLIENT_MAC_PURPOSE).hex()


def client_secret_matches(crypto: Crypto, secret: str, stored: str) -> bool:
    try:
        expected = bytes.fromhex(stored)
    except ValueError:
        return False
    return crypto.mac_matches(secret, expected, purpose=CLIENT_MAC_PURPOSE)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes | None:
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        return None


def sign(crypto: Crypto, value: str, purpose: str = COOKIE_PURPOSE) -> str:
    return f"{value}.{_b64(crypto.mac(value, purpose=purpose))}"


def unsign(crypto: Crypto, signed: str | None, purpose: str = COOKIE_PURPOSE) -> str | None:
    """The value of a signed text, or None when the signature does not match."""
    value, dot, signature = (signed or "").rpartition(".")
    mac = _unb64(signature) if dot and value else None
    if mac is None or not crypto.mac_matches(value, mac, purpose=purpose):
        return None
    return value


def csrf_token(crypto: Crypto, cookie: str) -> str:
    """The form token that goes with the browser's ``genie_csrf`` cookie."""
    return _b64(crypto.mac(cookie, purpose=CSRF_PURPOSE))


def csrf_matches(crypto: Crypto, cookie: str | None, token: str | None) -> bool:
    mac = _unb64(token or "")
    if not cookie or not token or mac is None:
        return False
    return crypto.mac_matches(cookie, mac, purpose=CSRF_PURPOSE)
