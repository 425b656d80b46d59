"""oauth

The OAuth 2 provider: users' password hashes, apps, authorization codes, browser
sessions, and the app (and code) that issued a token.

Revision ID: 0010_oauth
Revises: 0009_builds
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_oauth"
down_revision: str | None = "0009_builds"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)


def _user_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["user_id"], ["users.id"], name=op.f(f"fk_{table}_user_id_users"), ondelete="CASCADE"
    )


def upgrade() -> None:
    op.add_column("users", sa.Column("password_hash", sa.String(length=128), nullable=True))
    op.create_table(
        "oauth_apps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("client_id", sa.String(length=32), nullable=False),
        sa.Column("secret_hash", sa.String(length=128), nullable=True),
        sa.Column("redirect_uri", sa.String(length=2048), nullable=False),
        sa.Column("public", sa.Boolean(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_oauth_apps")),
        sa.UniqueConstraint("client_id", name=op.f("uq_oauth_apps_client_id")),
        sa.UniqueConstraint("name", name=op.f("uq_oauth_apps_name")),
    )
    op.create_table(
        "oauth_codes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("app_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(length=512), nullable=False),
        sa.Column("redirect_uri", sa.String(length=2048), nullable=False),
        sa.Column("code_challenge", sa.String(length=128), nullable=True),
        sa.Column("expires_at", TS, nullable=False),
        sa.Column("used_at", TS, nullable=True),
        sa.ForeignKeyConstraint(
            ["app_id"],
            ["oauth_apps.id"],
            name=op.f("fk_oauth_codes_app_id_oauth_apps"),
            ondelete="CASCADE",
        ),
        _user_fk("oauth_codes"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_oauth_codes")),
        sa.UniqueConstraint("code_hash", name=op.f("uq_oauth_codes_code_hash")),
    )
    op.create_index(op.f("ix_oauth_codes_app_id"), "oauth_codes", ["app_id"])
    op.create_index(op.f("ix_oauth_codes_user_id"), "oauth_codes", ["user_id"])
    op.create_table(
        "user_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("expires_at", TS, nullable=False),
        _user_fk("user_sessions"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_sessions")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_user_sessions_token_hash")),
    )
    op.create_index(op.f("ix_user_sessions_user_id"), "user_sessions", ["user_id"])
    op.create_index(op.f("ix_user_sessions_expires_at"), "user_sessions", ["expires_at"])
    with op.batch_alter_table("tokens") as batch:
        batch.add_column(sa.Column("app_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("code_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            batch.f("fk_tokens_app_id_oauth_apps"),
            "oauth_apps",
            ["app_id"],
            ["id"],
            ondelete="CASCADE",
        )
        batch.create_foreign_key(
            batch.f("fk_tokens_code_id_oauth_codes"),
            "oauth_codes",
            ["code_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch.create_index(batch.f("ix_tokens_app_id"), ["app_id"])
        batch.create_index(batch.f("ix_tokens_code_id"), ["code_id"])


def downgrade() -> None:
    with op.batch_alter_table("tokens") as batch:
        batch.drop_index(batch.f("ix_tokens_code_id"))
        batch.drop_index(batch.f("ix_tokens_app_id"))
        batch.drop_constraint(batch.f("fk_tokens_code_id_oauth_codes"), type_="foreignkey")
        batch.drop_constraint(batch.f("fk_tokens_app_id_oauth_apps"), type_="foreignkey")
        batch.drop_column("code_id")
        batch.drop_column("app_id")
    op.drop_table("user_sessions")
    op.drop_table("oauth_codes")
    op.drop_table("oauth_apps")
    op.drop_column("users", "password_hash")
