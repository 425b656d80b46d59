"""OAuth 2 provider rows: apps, authorization codes and browser sessions.

Nothing secret is stored as it was handed out: a client secret is a bcrypt hash
(:mod:`genie.oauth.passwords`); codes, session ids and access tokens are
SHA-256 digests (:func:`models.users.hash_token`), as personal tokens are.
Access tokens issued by OAuth are rows of ``tokens`` with ``app_id`` (and the
code they came from) set, so that the bearer check is the one of every token.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Boolean, ForeignKey, String, Table, delete, select, update
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UTCDateTime, utcnow
from models.users import Token, User, hash_token

#: RFC 6749 §4.1.2 recommends ten minutes at most; the issue fixes exactly ten.
CODE_LIFETIME = timedelta(minutes=10)
SESSION_LIFETIME = timedelta(days=14)


class OAuthApp(Base):
    __tablename__ = "oauth_apps"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    client_id: Mapped[str] = mapped_column(String(32), unique=True)
    #: bcrypt hash of the client secret; NULL for a public (PKCE only) client.
    secret_hash: Mapped[str | None] = mapped_column(String(128), default=None)
    #: The one redirect URI, compared exactly. A path (``/djinn/ui/...``) is on
    #: this server's own origin.
    redirect_uri: Mapped[str] = mapped_column(String(2048))
    public: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class OAuthCode(Base):
    __tablename__ = "oauth_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    app_id: Mapped[int] = mapped_column(ForeignKey("oauth_apps.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    scope: Mapped[str] = mapped_column(String(512))
    redirect_uri: Mapped[str] = mapped_column(String(2048))
    code_challenge: Mapped[str | None] = mapped_column(String(128), default=None)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    #: Set by the one exchange; a second one revokes what the first issued.
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)


class UserSession(Base):
    """A signed-in browser. The cookie carries the id; only its SHA-256 is here."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


@dataclass(frozen=True, slots=True)
class App:
    id: int
    name: str
    client_id: str
    secret_hash: str | None
    redirect_uri: str
    public: bool


@dataclass(frozen=True, slots=True)
class Code:
    id: int
    app_id: int
    user_id: int
    scope: str
    redirect_uri: str
    code_challenge: str | None
    expires_at: datetime
    used_at: datetime | None


_apps: Table = OAuthApp.__table__  # type: ignore[assignment]
_codes: Table = OAuthCode.__table__  # type: ignore[assignment]
_sessions: Table = UserSession.__table__  # type: ignore[assignment]
_tokens: Table = Token.__table__  # type: ignore[assignment]
_users: Table = User.__table__  # type: ignore[assignment]
_APP_COLUMNS = (
    _apps.c.id,
    _apps.c.name,
    _apps.c.client_id,
    _apps.c.secret_hash,
    _apps.c.redirect_uri,
    _apps.c.public,
)


async def find_app(conn: AsyncConnection, client_id: str) -> App | None:
    if "\x00" in client_id:
        return None  # no client id holds one (and PostgreSQL text cannot)
    row = (await conn.execute(select(*_APP_COLUMNS).where(_apps.c.client_id == client_id))).first()
    return App(*row) if row else None


async def insert_code(conn: AsyncConnection, code: str, values: dict[str, Any]) -> None:
    """Store a new code (its hash), valid for exactly :data:`CODE_LIFETIME`."""
    now = utcnow()
    expires_at = now + CODE_LIFETIME
    # The user's long-expired codes go: past their life a replay is refused anyway.
    stale = (_codes.c.user_id == values["user_id"]) & (_codes.c.expires_at < now - CODE_LIFETIME)
    await conn.execute(delete(_codes).where(stale))
    await conn.execute(
        _codes.insert().values(code_hash=hash_token(code), expires_at=expires_at, **values)
    )


async def take_code(conn: AsyncConnection, code: str) -> Code | None:
    """The code's row, locked for this exchange (``FOR UPDATE`` on PostgreSQL)."""
    statement = select(
        _codes.c.id,
        _codes.c.app_id,
        _codes.c.user_id,
        _codes.c.scope,
        _codes.c.redirect_uri,
        _codes.c.code_challenge,
        _codes.c.expires_at,
        _codes.c.used_at,
    ).where(_codes.c.code_hash == hash_token(code))
    row = (await conn.execute(statement.with_for_update())).first()
    return Code(*row) if row else None


async def mark_used(conn: AsyncConnection, code_id: int) -> None:
    await conn.execute(update(_codes).where(_codes.c.id == code_id).values(used_at=utcnow()))


async def revoke_code_tokens(conn: AsyncConnection, code_id: int) -> int:
    """Delete the tokens a (replayed) code issued (RFC 6749 §10.5)."""
    result = await conn.execute(delete(_tokens).where(_tokens.c.code_id == code_id))
    return int(result.rowcount or 0)


async def insert_token(conn: AsyncConnection, token: str, code: Code, app: App) -> None:
    await conn.execute(
        _tokens.insert().values(
            user_id=code.user_id,
            app_id=app.id,
            code_id=code.id,
            name=f"oauth.{app.client_id[:8]}",
            token_hash=hash_token(token),
            scope=code.scope,
            created_at=utcnow(),
        )
    )


async def delete_token(conn: AsyncConnection, token: str, app_id: int | None = None) -> bool:
    """Delete a token; with ``app_id``, only one that app was issued (RFC 7009 §2.1)."""
    statement = delete(_tokens).where(_tokens.c.token_hash == hash_token(token))
    if app_id is not None:
        statement = statement.where(_tokens.c.app_id == app_id)
    return bool((await conn.execute(statement)).rowcount)


async def insert_session(conn: AsyncConnection, session_id: str, user_id: int) -> None:
    """A new session; the user's expired ones go."""
    now = utcnow()
    stale = (_sessions.c.user_id == user_id) & (_sessions.c.expires_at <= now)
    await conn.execute(delete(_sessions).where(stale))
    await conn.execute(
        _sessions.insert().values(
            token_hash=hash_token(session_id),
            user_id=user_id,
            created_at=now,
            expires_at=now + SESSION_LIFETIME,
        )
    )


async def session_user(conn: AsyncConnection, session_id: str) -> tuple[int, str] | None:
    """``(id, username)`` of the live user signed in with this session id."""
    statement = (
        select(_users.c.id, _users.c.username)
        .join_from(_sessions, _users, _users.c.id == _sessions.c.user_id)
        .where(
            _sessions.c.token_hash == hash_token(session_id),
            _sessions.c.expires_at > utcnow(),
            _users.c.deleted_at.is_(None),
        )
    )
    row = (await conn.execute(statement)).first()
    return (int(row[0]), str(row[1])) if row else None


async def password_hash(conn: AsyncConnection, username: str) -> tuple[int, str | None] | None:
    if "\x00" in username:
        return None  # no username holds one (and PostgreSQL text cannot)
    statement = select(_users.c.id, _users.c.password_hash).where(
        _users.c.username == username, _users.c.deleted_at.is_(None)
    )
    row = (await conn.execute(statement)).first()
    return (int(row[0]), row[1]) if row else None
