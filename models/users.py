from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Select, String, bindparam, select
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.orm import Mapped, Session, mapped_column

from models.base import Base, UTCDateTime, utcnow
from models.reads import Read


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(30), unique=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    #: bcrypt hash (``genie users set-password``); NULL: the user cannot sign in.
    password_hash: Mapped[str | None] = mapped_column(String(128), default=None)


class Token(Base):
    """A personal bearer token. Only the SHA-256 of the token is stored."""

    __tablename__ = "tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(64))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: Canonical scope text, e.g. ``object:read,write namespace:read``.
    scope: Mapped[str] = mapped_column(String(512))
    #: Set for a token issued by OAuth (``models.oauth``), with the code it came from.
    app_id: Mapped[int | None] = mapped_column(
        ForeignKey("oauth_apps.id", ondelete="CASCADE"), index=True, default=None
    )
    code_id: Mapped[int | None] = mapped_column(
        ForeignKey("oauth_codes.id", ondelete="SET NULL"), index=True, default=None
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token() -> str:
    """A Djinn token: 32 lowercase hex characters."""
    return secrets.token_hex(16)


@dataclass(frozen=True, slots=True)
class Caller:
    """The authenticated user, as read with their token."""

    id: int
    username: str
    email: str
    created_at: datetime
    scope: str


def _caller_statement() -> Select[Any]:
    users, tokens = User.__table__, Token.__table__
    return (
        select(users.c.id, users.c.username, users.c.email, users.c.created_at, tokens.c.scope)
        .join_from(tokens, users, users.c.id == tokens.c.user_id)
        .where(tokens.c.token_hash == bindparam("token_hash"), users.c.deleted_at.is_(None))
    )


_CALLER = _caller_statement()
#: Every authenticated request runs it: a prepared statement (models.reads).
_FIND_CALLER = Read(_CALLER)


async def find_caller(conn: AsyncConnection, token: str) -> Caller | None:
    """The live user and scope text behind a bearer token, in one query."""
    row = await _FIND_CALLER.first(conn, {"token_hash": hash_token(token)})
    return Caller(*row.values()) if row else None


# Synchronous helpers for the CLI.


def create_user(session: Session, username: str, email: str) -> User:
    user = User(username=username, email=email)
    session.add(user)
    session.flush()
    return user


def user_by_username(session: Session, username: str) -> User | None:
    return session.scalars(select(User).where(User.username == username)).first()


def create_token(session: Session, user: User, scope: str, name: str | None = None) -> str:
    token = new_token()
    session.add(
        Token(
            user_id=user.id,
            name=name or f"cli-{token[:8]}",
            token_hash=hash_token(token),
            scope=scope,
        )
    )
    session.flush()
    return token


def revoke_token(session: Session, token: str) -> bool:
    found = session.scalars(select(Token).where(Token.token_hash == hash_token(token))).first()
    if found is None:
        return False
    session.delete(found)
    session.flush()
    return True
