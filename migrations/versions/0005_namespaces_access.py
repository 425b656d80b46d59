"""namespaces access: collaborators, invites, webhooks

Collaborators and pending invites belong to a tree's root (one invite per invitee
and tree); webhooks to a namespace, unique per payload URL, with their secret
encrypted and their last delivery's outcome. Every root gets ``root_id = id``.
A namespace's builds are read newest first, so their index gains the order.
PostgreSQL also gets a trigram index for the namespaces' path search.

Revision ID: 0005_namespaces_access
Revises: 0004_djaodjin
Create Date: 2026-11-23
"""

import logging
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.exc import DBAPIError

revision: str = "0005_namespaces_access"
down_revision: str | None = "0004_djaodjin"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TRIGRAM_INDEX = "ix_namespaces_path_trgm"


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column],
        [f"{target}.id"],
        name=op.f(f"fk_{table}_{column}_{target}"),
        ondelete="CASCADE",
    )


def upgrade() -> None:
    op.execute("UPDATE namespaces SET root_id = id WHERE root_id IS NULL AND parent_id IS NULL")

    op.create_table(
        "namespace_collaborators",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("namespace_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _fk("namespace_collaborators", "namespace_id", "namespaces"),
        _fk("namespace_collaborators", "user_id", "users"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_namespace_collaborators")),
        sa.UniqueConstraint(
            "namespace_id", "user_id", name=op.f("uq_namespace_collaborators_namespace_id_user_id")
        ),
    )
    op.create_index(
        "ix_namespace_collaborators_user_id", "namespace_collaborators", ["user_id"], unique=False
    )

    op.create_table(
        "namespace_invites",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("namespace_id", sa.Integer(), nullable=False),
        sa.Column("root_id", sa.Integer(), nullable=False),
        sa.Column("invitee_id", sa.Integer(), nullable=False),
        sa.Column("inviter_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _fk("namespace_invites", "invitee_id", "users"),
        _fk("namespace_invites", "inviter_id", "users"),
        _fk("namespace_invites", "namespace_id", "namespaces"),
        _fk("namespace_invites", "root_id", "namespaces"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_namespace_invites")),
        sa.UniqueConstraint(
            "root_id", "invitee_id", name=op.f("uq_namespace_invites_root_id_invitee_id")
        ),
    )
    for column in ("invitee_id", "inviter_id", "namespace_id"):
        op.create_index(f"ix_namespace_invites_{column}", "namespace_invites", [column])

    op.create_table(
        "namespace_webhooks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("namespace_id", sa.Integer(), nullable=False),
        sa.Column("payload_url", sa.String(length=2048), nullable=False),
        sa.Column("secret", sa.LargeBinary(), nullable=True),
        sa.Column("ssl", sa.Boolean(), nullable=False),
        sa.Column("events", sa.BigInteger(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_response_code", sa.Integer(), nullable=True),
        sa.Column("last_response_error", sa.Text(), nullable=True),
        sa.Column("last_response_duration", sa.BigInteger(), nullable=True),
        sa.Column("last_response_at", sa.DateTime(timezone=True), nullable=True),
        _fk("namespace_webhooks", "author_id", "users"),
        _fk("namespace_webhooks", "namespace_id", "namespaces"),
        _fk("namespace_webhooks", "user_id", "users"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_namespace_webhooks")),
        sa.UniqueConstraint(
            "namespace_id",
            "payload_url",
            name=op.f("uq_namespace_webhooks_namespace_id_payload_url"),
        ),
    )
    op.create_index("ix_namespace_webhooks_author_id", "namespace_webhooks", ["author_id"])
    op.create_index("ix_namespace_webhooks_user_id", "namespace_webhooks", ["user_id"])

    op.drop_index("ix_builds_namespace_id", table_name="builds")
    op.create_index(
        "ix_builds_namespace_id_created_at_id", "builds", ["namespace_id", "created_at", "id"]
    )

    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        try:
            with bind.begin_nested():
                op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        except DBAPIError as exc:
            logging.getLogger("alembic").warning(
                "pg_trgm unavailable, %s skipped: %s", TRIGRAM_INDEX, exc
            )
        else:
            op.execute(
                f"CREATE INDEX IF NOT EXISTS {TRIGRAM_INDEX} ON namespaces "
                "USING gin (path gin_trgm_ops)"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP INDEX IF EXISTS {TRIGRAM_INDEX}")
    op.drop_index("ix_builds_namespace_id_created_at_id", table_name="builds")
    op.create_index("ix_builds_namespace_id", "builds", ["namespace_id"])
    op.drop_table("namespace_webhooks")
    op.drop_table("namespace_invites")
    op.drop_table("namespace_collaborators")
