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
    ForeignKey,
    Index,
    LargeBinary,
    Row,
    String,
    Table,
    Text,
    text,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UTCDateTime, utcnow
from models.resources import NamespacedResource

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
KEYS = NamespacedResource(
    _keys,
    label="keys",
    # Reads never select the key text.
    secret=("encrypted_key",),
    taken=NameTaken,
    clash_markers=("uq_ssh_keys_", "ssh_keys.name"),
)

#: Keys with their author, owner and namespace; never the key text.
KEY_ROWS = KEYS.rows
#: The caller's keys and those of trees they collaborate on, by name.
visible_keys = KEYS.visible
#: The keys of one namespace, by name.
in_namespace = KEYS.in_namespace
get_visible = KEYS.get_visible
get_writable = KEYS.get_writable
#: Whether a name is used already where a new key would go.
name_taken = KEYS.name_taken
#: Insert a key and return its row; :class:`NameTaken` when a unique index refuses it.
insert = KEYS.insert
remove = KEYS.remove


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
    return await KEYS.row(session, key_id)
