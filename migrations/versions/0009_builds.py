"""builds

The builds API: per-owner number counters (seeded from the builds that exist),
build snapshots (variables, keys), jobs, artifacts and tags, and the columns a
build gains (submitter, kill secret, driver, trigger, kill request).

Revision ID: 0009_builds
Revises: 0008_rate_limits
Create Date: 2026-12-04 18:44:09.021319
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_builds"
down_revision: str | None = "0008_rate_limits"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "build_counters",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_build_counters_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_build_counters")),
    )
    op.create_table(
        "build_jobs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("build_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("stage", sa.String(length=255), nullable=False),
        sa.Column("can_fail", sa.Boolean(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("commands", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("output", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["build_id"],
            ["builds.id"],
            name=op.f("fk_build_jobs_build_id_builds"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_build_jobs")),
    )
    op.create_index(
        "ix_build_jobs_build_id_position", "build_jobs", ["build_id", "position"], unique=False
    )
    op.create_table(
        "build_keys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("build_id", sa.Integer(), nullable=False),
        sa.Column("key_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("encrypted_key", sa.LargeBinary(), nullable=False),
        sa.Column("config", sa.Text(), nullable=False),
        sa.Column("location", sa.String(length=512), nullable=False),
        sa.ForeignKeyConstraint(
            ["build_id"],
            ["builds.id"],
            name=op.f("fk_build_keys_build_id_builds"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["key_id"],
            ["ssh_keys.id"],
            name=op.f("fk_build_keys_key_id_ssh_keys"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_build_keys")),
    )
    op.create_index(op.f("ix_build_keys_build_id"), "build_keys", ["build_id"], unique=False)
    op.create_index(op.f("ix_build_keys_key_id"), "build_keys", ["key_id"], unique=False)
    op.create_table(
        "build_tags",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("build_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["build_id"],
            ["builds.id"],
            name=op.f("fk_build_tags_build_id_builds"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_build_tags_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_build_tags")),
        sa.UniqueConstraint("build_id", "name", name=op.f("uq_build_tags_build_id_name")),
    )
    op.create_index("ix_build_tags_name", "build_tags", ["name"], unique=False)
    op.create_index(op.f("ix_build_tags_user_id"), "build_tags", ["user_id"], unique=False)
    op.create_table(
        "build_variables",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("build_id", sa.Integer(), nullable=False),
        sa.Column("variable_id", sa.Integer(), nullable=True),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("value", sa.Text(), nullable=True),
        sa.Column("encrypted_value", sa.LargeBinary(), nullable=True),
        sa.Column("masked", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["build_id"],
            ["builds.id"],
            name=op.f("fk_build_variables_build_id_builds"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["variable_id"],
            ["variables.id"],
            name=op.f("fk_build_variables_variable_id_variables"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_build_variables")),
    )
    op.create_index(
        op.f("ix_build_variables_build_id"), "build_variables", ["build_id"], unique=False
    )
    op.create_index(
        op.f("ix_build_variables_variable_id"), "build_variables", ["variable_id"], unique=False
    )
    op.create_table(
        "build_artifacts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("build_id", sa.Integer(), nullable=False),
        sa.Column("job_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.Column("source", sa.String(length=1024), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=True),
        sa.Column("md5", sa.String(length=32), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.Column("missing", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["build_id"],
            ["builds.id"],
            name=op.f("fk_build_artifacts_build_id_builds"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["job_id"],
            ["build_jobs.id"],
            name=op.f("fk_build_artifacts_job_id_build_jobs"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_build_artifacts_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_build_artifacts")),
        sa.UniqueConstraint("hash", name=op.f("uq_build_artifacts_hash")),
    )
    op.create_index(
        "ix_build_artifacts_build_id_name", "build_artifacts", ["build_id", "name"], unique=False
    )
    op.create_index(op.f("ix_build_artifacts_job_id"), "build_artifacts", ["job_id"], unique=False)
    op.create_index(
        "ix_build_artifacts_user_id_created_at",
        "build_artifacts",
        ["user_id", "created_at"],
        unique=False,
    )
    with op.batch_alter_table("builds") as batch:
        batch.add_column(sa.Column("author_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("secret", sa.String(length=32), nullable=True))
        batch.add_column(sa.Column("driver", sa.String(length=16), nullable=True))
        batch.add_column(sa.Column("driver_config", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("trigger_type", sa.String(length=16), nullable=True))
        batch.add_column(sa.Column("trigger_comment", sa.Text(), nullable=True))
        batch.add_column(sa.Column("trigger_data", sa.JSON(), nullable=True))
        batch.add_column(
            sa.Column(
                "kill_requested", sa.Boolean(), server_default=sa.text("false"), nullable=False
            )
        )
        batch.create_index(
            "ix_builds_user_id_created_at_id", ["user_id", "created_at", "id"], unique=False
        )
        batch.create_foreign_key(
            op.f("fk_builds_author_id_users"), "users", ["author_id"], ["id"], ondelete="SET NULL"
        )
    op.execute(
        "INSERT INTO build_counters (user_id, last) "
        "SELECT user_id, MAX(number) FROM builds GROUP BY user_id"
    )


def downgrade() -> None:
    with op.batch_alter_table("builds") as batch:
        batch.drop_constraint(op.f("fk_builds_author_id_users"), type_="foreignkey")
        batch.drop_index("ix_builds_user_id_created_at_id")
        for column in (
            "kill_requested",
            "trigger_data",
            "trigger_comment",
            "trigger_type",
            "driver_config",
            "driver",
            "secret",
            "author_id",
        ):
            batch.drop_column(column)
    op.drop_index("ix_build_artifacts_user_id_created_at", table_name="build_artifacts")
    op.drop_index(op.f("ix_build_artifacts_job_id"), table_name="build_artifacts")
    op.drop_index("ix_build_artifacts_build_id_name", table_name="build_artifacts")
    op.drop_table("build_artifacts")
    op.drop_index(op.f("ix_build_variables_variable_id"), table_name="build_variables")
    op.drop_index(op.f("ix_build_variables_build_id"), table_name="build_variables")
    op.drop_table("build_variables")
    op.drop_index(op.f("ix_build_tags_user_id"), table_name="build_tags")
    op.drop_index("ix_build_tags_name", table_name="build_tags")
    op.drop_table("build_tags")
    op.drop_index(op.f("ix_build_keys_key_id"), table_name="build_keys")
    op.drop_index(op.f("ix_build_keys_build_id"), table_name="build_keys")
    op.drop_table("build_keys")
    op.drop_index("ix_build_jobs_build_id_position", table_name="build_jobs")
    op.drop_table("build_jobs")
    op.drop_table("build_counters")
