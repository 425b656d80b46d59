"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=30), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("email", name=op.f("uq_users_email")),
        sa.UniqueConstraint("username", name=op.f("uq_users_username")),
    )
    op.create_table(
        "namespaces",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("root_id", sa.Integer(), nullable=True),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("path", sa.String(length=1024), nullable=False),
        sa.Column("description", sa.String(length=255), nullable=False),
        sa.Column("visibility", sa.String(length=16), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "visibility IN ('private', 'internal', 'public')", name=op.f("ck_namespaces_visibility")
        ),
        sa.CheckConstraint("level >= 0 AND level < 20", name=op.f("ck_namespaces_level")),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["namespaces.id"],
            name=op.f("fk_namespaces_parent_id_namespaces"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["root_id"],
            ["namespaces.id"],
            name=op.f("fk_namespaces_root_id_namespaces"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_namespaces_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_namespaces")),
        sa.UniqueConstraint("user_id", "path", name=op.f("uq_namespaces_user_id_path")),
    )
    op.create_index("ix_namespaces_parent_id", "namespaces", ["parent_id"], unique=False)
    op.create_index("ix_namespaces_root_id", "namespaces", ["root_id"], unique=False)
    op.create_table(
        "tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("scope", sa.String(length=512), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_tokens_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_tokens_token_hash")),
    )
    op.create_index(op.f("ix_tokens_user_id"), "tokens", ["user_id"], unique=False)
    op.create_table(
        "builds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("namespace_id", sa.Integer(), nullable=True),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("manifest", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("output", sa.Text(), nullable=True),
        sa.Column("pinned", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "status IN ('queued', 'running', 'passed', 'passed_with_failures', 'failed', 'killed', 'timed_out')",
            name=op.f("ck_builds_status"),
        ),
        sa.ForeignKeyConstraint(
            ["namespace_id"],
            ["namespaces.id"],
            name=op.f("fk_builds_namespace_id_namespaces"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_builds_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_builds")),
        sa.UniqueConstraint("user_id", "number", name=op.f("uq_builds_user_id_number")),
    )
    op.create_index("ix_builds_namespace_id", "builds", ["namespace_id"], unique=False)
    op.create_table(
        "objects",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("namespace_id", sa.Integer(), nullable=True),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("type", sa.String(length=255), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("md5", sa.String(length=32), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"], ["users.id"], name=op.f("fk_objects_author_id_users"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["namespace_id"],
            ["namespaces.id"],
            name=op.f("fk_objects_namespace_id_namespaces"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_objects_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_objects")),
        sa.UniqueConstraint("hash", name=op.f("uq_objects_hash")),
    )
    op.create_index("ix_objects_author_id", "objects", ["author_id"], unique=False)
    op.create_index(
        "ix_objects_user_id_name_id", "objects", ["user_id", "name", "id"], unique=False
    )
    op.create_index(
        "uq_objects_namespace_id_name",
        "objects",
        ["namespace_id", "name"],
        unique=True,
        postgresql_where=sa.text("namespace_id IS NOT NULL"),
        sqlite_where=sa.text("namespace_id IS NOT NULL"),
    )
    op.create_index(
        "uq_objects_user_id_name",
        "objects",
        ["user_id", "name"],
        unique=True,
        postgresql_where=sa.text("namespace_id IS NULL"),
        sqlite_where=sa.text("namespace_id IS NULL"),
    )
    op.create_table(
        "build_objects",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("build_id", sa.Integer(), nullable=False),
        sa.Column("object_id", sa.Integer(), nullable=True),
        sa.Column("source", sa.String(length=255), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("placed", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["build_id"],
            ["builds.id"],
            name=op.f("fk_build_objects_build_id_builds"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["object_id"],
            ["objects.id"],
            name=op.f("fk_build_objects_object_id_objects"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_build_objects")),
    )
    op.create_index(op.f("ix_build_objects_build_id"), "build_objects", ["build_id"], unique=False)
    op.create_index(
        "ix_build_objects_object_id_build_id",
        "build_objects",
        ["object_id", "build_id"],
        unique=False,
    )


def downgrade() -> None:

    op.drop_index("ix_build_objects_object_id_build_id", table_name="build_objects")
    op.drop_index(op.f("ix_build_objects_build_id"), table_name="build_objects")
    op.drop_table("build_objects")
    op.drop_index(
        "uq_objects_user_id_name",
        table_name="objects",
        postgresql_where=sa.text("namespace_id IS NULL"),
        sqlite_where=sa.text("namespace_id IS NULL"),
    )
    op.drop_index(
        "uq_objects_namespace_id_name",
        table_name="objects",
        postgresql_where=sa.text("namespace_id IS NOT NULL"),
        sqlite_where=sa.text("namespace_id IS NOT NULL"),
    )
    op.drop_index("ix_objects_user_id_name_id", table_name="objects")
    op.drop_index("ix_objects_author_id", table_name="objects")
    op.drop_table("objects")
    op.drop_index("ix_builds_namespace_id", table_name="builds")
    op.drop_table("builds")
    op.drop_index(op.f("ix_tokens_user_id"), table_name="tokens")
    op.drop_table("tokens")
    op.drop_index("ix_namespaces_root_id", table_name="namespaces")
    op.drop_index("ix_namespaces_parent_id", table_name="namespaces")
    op.drop_table("namespaces")
    op.drop_table("users")
