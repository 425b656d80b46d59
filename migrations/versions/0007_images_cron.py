"""images and cron

QCOW2 images (uploaded, or downloaded by a job that records its outcome in
``image_downloads``) and cron jobs with the builds they submit. Names are unique
per namespace, or per owner for personal rows (partial unique indexes).
PostgreSQL also gets trigram indexes for the name searches.

Revision ID: 0007_images_cron
Revises: 0006_variables_keys
Create Date: 2026-11-23
"""

import logging
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.exc import DBAPIError

revision: str = "0007_images_cron"
down_revision: str | None = "0006_variables_keys"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TRIGRAM_INDEXES = {"ix_images_name_trgm": "images", "ix_cron_name_trgm": "cron"}


def _fk(table: str, column: str, target: str, ondelete: str = "CASCADE") -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column],
        [f"{target}.id"],
        name=op.f(f"fk_{table}_{column}_{target}"),
        ondelete=ondelete,
    )


def _named(table: str) -> None:
    """The unique names and the list's index of a namespaced resource."""
    op.create_index(
        f"uq_{table}_namespace_id_name",
        table,
        ["namespace_id", "name"],
        unique=True,
        postgresql_where=sa.text("namespace_id IS NOT NULL"),
        sqlite_where=sa.text("namespace_id IS NOT NULL"),
    )
    op.create_index(
        f"uq_{table}_user_id_name",
        table,
        ["user_id", "name"],
        unique=True,
        postgresql_where=sa.text("namespace_id IS NULL"),
        sqlite_where=sa.text("namespace_id IS NULL"),
    )
    op.create_index(f"ix_{table}_user_id_name_id", table, ["user_id", "name", "id"])
    op.create_index(f"ix_{table}_author_id", table, ["author_id"])


def upgrade() -> None:
    op.create_table(
        "images",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("namespace_id", sa.Integer(), nullable=True),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.Column("driver", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _fk("images", "author_id", "users"),
        _fk("images", "namespace_id", "namespaces", "SET NULL"),
        _fk("images", "user_id", "users"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_images")),
        sa.UniqueConstraint("hash", name=op.f("uq_images_hash")),
    )
    _named("images")

    op.create_table(
        "image_downloads",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("image_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("url", sa.LargeBinary(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        _fk("image_downloads", "image_id", "images"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_image_downloads")),
        sa.UniqueConstraint("image_id", name=op.f("uq_image_downloads_image_id")),
    )

    op.create_table(
        "cron",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("namespace_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("schedule", sa.String(length=16), nullable=False),
        sa.Column("manifest", sa.Text(), nullable=False),
        sa.Column("prev_run", sa.DateTime(timezone=True), nullable=True),
        sa.Column("next_run", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "schedule IN ('daily', 'weekly', 'monthly')", name=op.f("ck_cron_schedule")
        ),
        _fk("cron", "author_id", "users"),
        _fk("cron", "namespace_id", "namespaces", "SET NULL"),
        _fk("cron", "user_id", "users"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cron")),
    )
    _named("cron")
    op.create_index("ix_cron_next_run_id", "cron", ["next_run", "id"])

    op.create_table(
        "cron_builds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cron_id", sa.Integer(), nullable=False),
        sa.Column("build_id", sa.Integer(), nullable=False),
        _fk("cron_builds", "cron_id", "cron"),
        _fk("cron_builds", "build_id", "builds"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cron_builds")),
    )
    op.create_index("ix_cron_builds_build_id", "cron_builds", ["build_id"])
    op.create_index("ix_cron_builds_cron_id_build_id", "cron_builds", ["cron_id", "build_id"])

    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        try:
            with bind.begin_nested():
                op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        except DBAPIError as exc:
            logging.getLogger("alembic").warning(
                "pg_trgm unavailable, %s skipped: %s", ", ".join(TRIGRAM_INDEXES), exc
            )
        else:
            for index, table in TRIGRAM_INDEXES.items():
                op.execute(
                    f"CREATE INDEX IF NOT EXISTS {index} ON {table} USING gin (name gin_trgm_ops)"
                )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for index in TRIGRAM_INDEXES:
            op.execute(f"DROP INDEX IF EXISTS {index}")
    op.drop_table("cron_builds")
    op.drop_table("cron")
    op.drop_table("image_downloads")
    op.drop_table("images")
