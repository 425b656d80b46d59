"""variables and SSH keys

Both belong to a user (the namespace's owner when namespaced) and optionally to a
namespace, which leaves them personal when it goes (``SET NULL``). Keys and names
are unique per namespace, or per owner among personal rows, by partial unique
indexes. Masked values and key texts are stored only as AES-GCM ciphertext.
PostgreSQL also gets trigram indexes for the substring search on keys and names.

Revision ID: 0006_variables_keys
Revises: 0005_namespaces_access
Create Date: 2026-11-24
"""

import logging
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.exc import DBAPIError

revision: str = "0006_variables_keys"
down_revision: str | None = "0005_namespaces_access"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: Trigram indexes (PostgreSQL only): index name, table, column.
TRIGRAM_INDEXES = (
    ("ix_variables_key_trgm", "variables", "key"),
    ("ix_ssh_keys_name_trgm", "ssh_keys", "name"),
)


def _owned(table: str) -> list[Any]:
    """The columns and keys every namespaced resource has."""
    return [
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("namespace_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["users.id"],
            name=op.f(f"fk_{table}_author_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f(f"fk_{table}_user_id_users"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["namespace_id"],
            ["namespaces.id"],
            name=op.f(f"fk_{table}_namespace_id_namespaces"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
    ]


def _unique_names(table: str, column: str) -> None:
    op.create_index(
        f"uq_{table}_namespace_id_{column}",
        table,
        ["namespace_id", column],
        unique=True,
        postgresql_where=sa.text("namespace_id IS NOT NULL"),
        sqlite_where=sa.text("namespace_id IS NOT NULL"),
    )
    op.create_index(
        f"uq_{table}_user_id_{column}",
        table,
        ["user_id", column],
        unique=True,
        postgresql_where=sa.text("namespace_id IS NULL"),
        sqlite_where=sa.text("namespace_id IS NULL"),
    )
    op.create_index(f"ix_{table}_user_id_{column}_id", table, ["user_id", column, "id"])
    op.create_index(f"ix_{table}_author_id", table, ["author_id"])


def upgrade() -> None:
    op.create_table(
        "variables",
        *_owned("variables"),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("value", sa.Text(), nullable=True),
        sa.Column("encrypted_value", sa.LargeBinary(), nullable=True),
        sa.Column("masked", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(masked AND value IS NULL AND encrypted_value IS NOT NULL)"
            " OR (NOT masked AND value IS NOT NULL AND encrypted_value IS NULL)",
            name=op.f("ck_variables_masked_value"),
        ),
    )
    _unique_names("variables", "key")

    op.create_table(
        "ssh_keys",
        *_owned("ssh_keys"),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("encrypted_key", sa.LargeBinary(), nullable=False),
        sa.Column("type", sa.String(length=64), nullable=False),
        sa.Column("fingerprint", sa.String(length=128), nullable=False),
        sa.Column("config", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    _unique_names("ssh_keys", "name")

    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    try:
        with bind.begin_nested():
            op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except DBAPIError as exc:
        logging.getLogger("alembic").warning(
            "pg_trgm unavailable, trigram indexes skipped: %s", exc
        )
        return
    for index, table, column in TRIGRAM_INDEXES:
        op.execute(
            f"CREATE INDEX IF NOT EXISTS {index} ON {table} USING gin ({column} gin_trgm_ops)"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for index, _, _ in TRIGRAM_INDEXES:
            op.execute(f"DROP INDEX IF EXISTS {index}")
    op.drop_table("ssh_keys")
    op.drop_table("variables")
