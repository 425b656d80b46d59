"""Variables: environment variables that builds get, personal or in a namespace.

A variable's ``key`` is unique per owner (personal variables) or per namespace,
by two partial unique indexes. A **masked** variable keeps its value only as
AES-GCM ciphertext (``encrypted_value``, purpose :data:`VALUE_PURPOSE`) and
``value`` is NULL; an unmasked one keeps the plain ``value`` and no ciphertext.
A check constraint holds that rule. Reads never select the ciphertext: only the
build worker will decrypt it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    Table,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UTCDateTime, utcnow
from models.resources import NamespacedResource

#: The purpose masked values are encrypted under (``runtime.crypto``).
VALUE_PURPOSE = "variable"
KEY_MAX = 255


class KeyTaken(Exception):
    """The key is already used by this owner (or in this namespace)."""


class Variable(Base):
    __tablename__ = "variables"
    __table_args__ = (
        Index(
            "uq_variables_namespace_id_key",
            "namespace_id",
            "key",
            unique=True,
            postgresql_where=text("namespace_id IS NOT NULL"),
            sqlite_where=text("namespace_id IS NOT NULL"),
        ),
        Index(
            "uq_variables_user_id_key",
            "user_id",
            "key",
            unique=True,
            postgresql_where=text("namespace_id IS NULL"),
            sqlite_where=text("namespace_id IS NULL"),
        ),
        # The list: WHERE user_id = ? ORDER BY key.
        Index("ix_variables_user_id_key_id", "user_id", "key", "id"),
        Index("ix_variables_author_id", "author_id"),
        CheckConstraint(
            "(masked AND value IS NULL AND encrypted_value IS NOT NULL)"
            " OR (NOT masked AND value IS NOT NULL AND encrypted_value IS NULL)",
            name="masked_value",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    namespace_id: Mapped[int | None] = mapped_column(
        ForeignKey("namespaces.id", ondelete="SET NULL")
    )
    key: Mapped[str] = mapped_column(String(KEY_MAX))
    #: The plain value of an unmasked variable; NULL when masked.
    value: Mapped[str | None] = mapped_column(Text, default=None)
    #: AES-GCM ciphertext of a masked value; never read back into a response.
    encrypted_value: Mapped[bytes | None] = mapped_column(LargeBinary, default=None)
    masked: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


_variables: Table = Variable.__table__  # type: ignore[assignment]
VARIABLES = NamespacedResource(
    _variables,
    label="variables",
    name="key",
    # Reads never select the ciphertext.
    secret=("encrypted_value",),
    taken=KeyTaken,
    clash_markers=("uq_variables_", "variables.key"),
)

#: Variables with their author, owner and namespace; never the ciphertext.
VARIABLE_ROWS = VARIABLES.rows
#: The caller's variables and those of trees they collaborate on, by key.
visible_variables = VARIABLES.visible
#: The variables of one namespace, by key.
in_namespace = VARIABLES.in_namespace
get_visible = VARIABLES.get_visible
get_writable = VARIABLES.get_writable
#: Whether a key is used already where a new variable would go.
key_taken = VARIABLES.name_taken
#: Insert a variable and return its row; :class:`KeyTaken` when a unique index refuses it.
insert = VARIABLES.insert
remove = VARIABLES.remove
