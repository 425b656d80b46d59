"""SSH keys: private keys that builds get at ``~/.ssh/<name>``, personal or in a
namespace.

The key text is kept only as AES-GCM ciphertext (``encrypted_key``, purpose
:data:`KEY_PURPOSE`); reads never select it, so no response can carry it. Its
public facts (type and ``SHA256:`` fingerprint) are kept beside it, so that
users can tell their keys apart. ``name`` is unique per owner (personal keys)
or per namespace, by two partial unique indexes.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    ForeignKey,
    Index,
    LargeBinary,
    Row,
    Select,
    String,
    Subquery,
    Table,
    Text,
    bindparam,
    delete,
    exists,
    select,
    text,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from models import access
from models.base import Base, UTCDateTime, utcnow
from models.namespaces import like_pattern
from models.rows import Listing, NamespaceJoin, listing_statements, user_columns
from models.users import User

#: The purpose key texts are encrypted under (``runtime.crypto``).
KEY_PURPOSE = "ssh-key"
NAME_MAX = 255


class NameTaken(Exception):
    """The name is already used by this owner (or in this namespace)."""


class SSHKey(Base):
    __tablename__ = "ssh_keys"
    __table_args__ = (
        Index(
            "uq_ssh_keys_namespace_id_name",
            "namespace_id",
            "name",
            unique=True,
            postgresql_where=text("namespace_id IS NOT NULL"),
            sqlite_where=text("namespace_id IS NOT NULL"),
        ),
        Index(
            "uq_ssh_keys_user_id_name",
            "user_id",
            "name",
            unique=True,
            postgresql_where=text("namespace_id IS NULL"),
            sqlite_where=text("namespace_id IS NULL"),
        ),
        # The list: WHERE user_id = ? ORDER BY name.
        Index("ix_ssh_keys_user_id_name_id", "user_id", "name", "id"),
        Index("ix_ssh_keys_author_id", "author_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    namespace_id: Mapped[int | None] = mapped_column(
        ForeignKey("namespaces.id", ondelete="SET NULL")
    )
    name: Mapped[str] = mapped_column(String(NAME_MAX))
    #: AES-GCM ciphertext of the key text; never read back into a response.
    encrypted_key: Mapped[bytes] = mapped_column(LargeBinary)
    #: ``ssh-ed25519``, ``ssh-rsa``, ``ecdsa-sha2-nistp256`` ...
    type: Mapped[str] = mapped_column(String(64))
    fingerprint: Mapped[str] = mapped_column(String(128))
    #: An ssh_config snippet for the key (``Host``, ``User``, ...); may be empty.
    config: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


_keys: Table = SSHKey.__table__  # type: ignore[assignment]
access.register_resource("keys", _keys, "name")
_author = User.__table__.alias("author")
_owner = User.__table__.alias("owner")


def _key_rows() -> Select[Any]:
    """Keys with their author, owner and namespace; never the key text."""
    ns = NamespaceJoin()
    k = _keys
    return select(
        *(c for c in k.c if c.name != "encrypted_key"),
        *user_columns(_author, "author"),
        *user_columns(_owner, "user"),
        *ns.columns,
    ).select_from(
        ns.join(
            k.join(_author, _author.c.id == k.c.author_id).join(_owner, _owner.c.id == k.c.user_id),
            k.c.namespace_id,
        )
    )


KEY_ROWS = _key_rows()


def _key_page(keys: Subquery) -> Select[Any]:
    return KEY_ROWS.join(keys, keys.c.id == _keys.c.id).order_by(_keys.c.name, _keys.c.id)


_BY_NAME = (_keys.c.name, _keys.c.id)
_SEARCH = _keys.c.name.ilike(bindparam("pattern"), escape="\\")
_LISTED = access.listing(_keys, _key_page, "name")
_LISTED_SEARCH = access.listing(_keys, _key_page, "name", where=[_SEARCH])
_IN_NAMESPACE_KEYS = select(_keys.c.id).where(_keys.c.namespace_id == bindparam("namespace_id"))
_IN_NAMESPACE = listing_statements(_IN_NAMESPACE_KEYS.order_by(*_BY_NAME), _key_page)
_IN_NAMESPACE_SEARCH = listing_statements(
    _IN_NAMESPACE_KEYS.where(_SEARCH).order_by(*_BY_NAME), _key_page
)
_READABLE = KEY_ROWS.where(_keys.c.id == bindparam("id"), access.readable(_keys))
_WRITABLE = KEY_ROWS.where(_keys.c.id == bindparam("id"), access.writable(_keys))


def visible_keys(caller_id: int, search: str | None = None) -> Listing:
    """The caller's keys and those of trees they collaborate on, by name,
    optionally only those whose name contains ``search`` (ignoring case)."""
    if search:
        return Listing(*_LISTED_SEARCH, {"caller_id": caller_id, "pattern": like_pattern(search)})
    return Listing(*_LISTED, {"caller_id": caller_id})


def in_namespace(namespace_id: int, search: str | None = None) -> Listing:
    """The keys of one namespace, by name."""
    if search:
        return Listing(
            *_IN_NAMESPACE_SEARCH,
            {"namespace_id": namespace_id, "pattern": like_pattern(search)},
        )
    return Listing(*_IN_NAMESPACE, {"namespace_id": namespace_id})


async def get_visible(
    conn: AsyncConnection | AsyncSession, key_id: int, caller_id: int
) -> Row[Any] | None:
    """The key's row if the caller may read it; ``None`` when missing or hidden."""
    result = await conn.execute(_READABLE, {"id": key_id, "caller_id": caller_id})
    return result.first()


async def get_writable(
    conn: AsyncConnection | AsyncSession, key_id: int, caller_id: int
) -> Row[Any] | None:
    """The key's row if the caller may change it (owner or collaborator)."""
    result = await conn.execute(_WRITABLE, {"id": key_id, "caller_id": caller_id})
    return result.first()


async def name_taken(
    conn: AsyncConnection | AsyncSession, user_id: int, namespace_id: int | None, name: str
) -> bool:
    """Whether ``name`` is used already where a new key would go (for reporting it
    with other errors; the unique indexes are what enforce it)."""
    k = _keys
    where: ColumnElement[bool]
    if namespace_id is None:
        where = (k.c.user_id == user_id) & k.c.namespace_id.is_(None)
    else:
        where = k.c.namespace_id == namespace_id
    return bool(await conn.scalar(select(exists().where(where, k.c.name == name))))


async def insert(session: AsyncSession, key: SSHKey) -> Row[Any]:
    """Insert the key and return its row; raise :class:`NameTaken` when a unique
    index refuses it. The caller's transaction must then be rolled back."""
    session.add(key)
    try:
        await session.flush()
    except IntegrityError as exc:
        if "uq_ssh_keys_" in str(exc.orig) or "ssh_keys.name" in str(exc.orig):
            raise NameTaken(key.name) from None
        raise
    return (await session.execute(KEY_ROWS.where(_keys.c.id == key.id))).one()


async def change_config(session: AsyncSession, key_id: int, config: str) -> Row[Any] | None:
    """Set the key's ssh_config snippet; its new row, or ``None`` when it is gone."""
    result = await session.execute(
        update(_keys)
        .where(_keys.c.id == key_id)
        .values(config=config, updated_at=utcnow())
        .returning(_keys.c.id)
    )
    if result.scalar() is None:
        return None
    return (await session.execute(KEY_ROWS.where(_keys.c.id == key_id))).one()


async def remove(conn: AsyncConnection | AsyncSession, key_id: int) -> bool:
    """Delete the key; False when it was already gone."""
    result = await conn.execute(delete(_keys).where(_keys.c.id == key_id).returning(_keys.c.id))
    return result.scalar() is not None
