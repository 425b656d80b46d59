"""DjaoDjin API keys: HTTP Basic usernames that authenticate as a user.

A key is 64 characters: a 32-character public id (stored plain, unique, the
lookup) and a 32-character secret, of which only a MAC is stored (computed by the
caller, ``runtime.crypto.mac(secret, purpose=KEY_PURPOSE)``). Both halves are drawn
from a 55-symbol alphabet without look-alikes, about 185 bits each.
"""

from __future__ import annotations

import secrets
import string
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ForeignKey, LargeBinary, String, bindparam, delete, select
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.orm import Mapped, Session, mapped_column

from models.base import Base, UTCDateTime, utcnow
from models.users import User

#: The purpose under which secrets are MACed (``genie.crypto``).
KEY_PURPOSE = "api-key"
PUBLIC_LENGTH = 32
SECRET_LENGTH = 32
KEY_LENGTH = PUBLIC_LENGTH + SECRET_LENGTH
ALPHABET = "".join(c for c in string.ascii_letters + string.digits if c not in "01iloIO")
DEFAULT_LIFETIME = timedelta(days=365)


class ApiKey(Base):
    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    api_pub_key: Mapped[str] = mapped_column(String(PUBLIC_LENGTH), unique=True)
    #: HMAC-SHA256 of the secret half under the server's key; never the secret.
    secret_mac: Mapped[bytes] = mapped_column(LargeBinary(32))
    title: Mapped[str | None] = mapped_column(String(100))
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


def random_text(length: int) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def new_key() -> tuple[str, str]:
    """``(public id, secret)``; the key handed out is their concatenation."""
    return random_text(PUBLIC_LENGTH), random_text(SECRET_LENGTH)


@dataclass(frozen=True, slots=True)
class ApiUser:
    """The user a request authenticated as, with an API key."""

    id: int
    username: str
    email: str


@dataclass(frozen=True, slots=True)
class KeyOwner:
    """What authenticating a key needs: its MAC, expiry and owner."""

    secret_mac: bytes
    ends_at: datetime
    user_id: int
    username: str
    email: str
    active: bool


_users = User.__table__
_keys = ApiKey.__table__
_KEY_OWNER = (
    select(
        _keys.c.secret_mac,
        _keys.c.ends_at,
        _users.c.id,
        _users.c.username,
        _users.c.email,
        _users.c.deleted_at.is_(None).label("active"),
    )
    .join_from(_keys, _users, _users.c.id == _keys.c.user_id)
    .where(_keys.c.api_pub_key == bindparam("pub"))
)


async def find_key(conn: AsyncConnection, public_id: str) -> KeyOwner | None:
    row = (await conn.execute(_KEY_OWNER, {"pub": public_id})).first()
    return KeyOwner(*row) if row else None


def insert_key(
    session: Session | Any,
    user_id: int,
    public_id: str,
    secret_mac: bytes,
    *,
    title: str | None = None,
    lifetime: timedelta = DEFAULT_LIFETIME,
    now: datetime | None = None,
) -> ApiKey:
    """Add a key row to ``session`` (sync or async; the caller flushes)."""
    now = now or utcnow()
    key = ApiKey(
        user_id=user_id,
        api_pub_key=public_id,
        secret_mac=secret_mac,
        title=title,
        ends_at=now + lifetime,
        created_at=now,
    )
    session.add(key)
    return key


def revoke_key(session: Session, public_id: str) -> bool:
    result: Any = session.execute(delete(ApiKey).where(ApiKey.api_pub_key == public_id))
    return bool(result.rowcount)
