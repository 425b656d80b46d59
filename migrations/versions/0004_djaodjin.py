"""DjaoDjin: organizations, roles, API keys, containers, deployments, domains

Every existing user gets their personal organization (slug = username) with a
manager role on it, as the CLI and the API expect of every user.

Revision ID: 0004_djaodjin
Revises: 0003_jobs
Create Date: 2026-11-23
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0004_djaodjin"
down_revision: str | None = "0003_jobs"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "organizations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=50), nullable=False),
        sa.Column("full_name", sa.String(length=100), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("is_personal", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organizations")),
        sa.UniqueConstraint("slug", name=op.f("uq_organizations_slug")),
    )
    op.create_table(
        "api_keys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("api_pub_key", sa.String(length=32), nullable=False),
        sa.Column("secret_mac", sa.LargeBinary(length=32), nullable=False),
        sa.Column("title", sa.String(length=100), nullable=True),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_api_keys_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_keys")),
        sa.UniqueConstraint("api_pub_key", name=op.f("uq_api_keys_api_pub_key")),
    )
    op.create_index(op.f("ix_api_keys_user_id"), "api_keys", ["user_id"], unique=False)
    op.create_table(
        "containers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=25), nullable=False),
        sa.Column("version", sa.String(length=50), nullable=True),
        sa.Column("location", sa.String(length=1024), nullable=True),
        sa.Column("role_name", sa.String(length=2048), nullable=True),
        sa.Column("external_id", sa.String(length=1224), nullable=True),
        sa.Column("env", sa.JSON(), nullable=False),
        sa.Column("dataset", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "dataset IN ('production', 'testing')", name=op.f("ck_containers_dataset")
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_containers_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_containers")),
    )
    op.create_index(
        "ix_containers_organization_id_slug",
        "containers",
        ["organization_id", "slug"],
        unique=False,
    )
    op.create_index(
        "uq_containers_lower_slug", "containers", [sa.literal_column("lower(slug)")], unique=True
    )
    op.create_table(
        "roles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("grant_key", sa.String(length=40), nullable=True),
        sa.Column("request_key", sa.String(length=40), nullable=True),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("role IN ('manager', 'contributor')", name=op.f("ck_roles_role")),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_roles_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_roles_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_roles")),
        sa.UniqueConstraint(
            "organization_id", "user_id", name=op.f("uq_roles_organization_id_user_id")
        ),
    )
    op.create_index("ix_roles_user_id", "roles", ["user_id"], unique=False)
    op.create_table(
        "deployments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("container_id", sa.Integer(), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), nullable=True),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("location", sa.String(length=1024), nullable=True),
        sa.Column("reason", sa.String(length=16), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("failure", sa.String(length=1000), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "reason IN ('create', 'redeploy', 'update')", name=op.f("ck_deployments_reason")
        ),
        sa.CheckConstraint(
            "state IN ('queued', 'pulling', 'running', 'failed')", name=op.f("ck_deployments_state")
        ),
        sa.ForeignKeyConstraint(
            ["container_id"],
            ["containers.id"],
            name=op.f("fk_deployments_container_id_containers"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["requested_by_id"],
            ["users.id"],
            name=op.f("fk_deployments_requested_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deployments")),
    )
    op.create_index(
        "ix_deployments_container_id_id", "deployments", ["container_id", "id"], unique=False
    )
    op.create_index(
        op.f("ix_deployments_requested_by_id"), "deployments", ["requested_by_id"], unique=False
    )
    op.create_table(
        "domains",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("container_id", sa.Integer(), nullable=False),
        sa.Column("domain", sa.String(length=100), nullable=True),
        sa.Column("ssl_certificate", sa.Text(), nullable=True),
        sa.Column("ssl_key_enc", sa.LargeBinary(), nullable=True),
        sa.Column("pending_key_enc", sa.LargeBinary(), nullable=True),
        sa.Column("cert_not_before", sa.DateTime(timezone=True), nullable=True),
        sa.Column("cert_not_after", sa.DateTime(timezone=True), nullable=True),
        sa.Column("from_email", sa.String(length=254), nullable=True),
        sa.Column("email_host", sa.String(length=255), nullable=True),
        sa.Column("email_port", sa.Integer(), nullable=True),
        sa.Column("email_host_user", sa.String(length=128), nullable=True),
        sa.Column("email_host_password_enc", sa.LargeBinary(), nullable=True),
        sa.Column("authentication", sa.SmallInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["container_id"],
            ["containers.id"],
            name=op.f("fk_domains_container_id_containers"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_domains_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_domains")),
        sa.UniqueConstraint("container_id", name=op.f("uq_domains_container_id")),
        sa.UniqueConstraint("domain", name=op.f("uq_domains_domain")),
    )
    op.create_index("ix_domains_organization_id", "domains", ["organization_id"], unique=False)
    op.create_table(
        "deploy_logs",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("container_id", sa.Integer(), nullable=False),
        sa.Column("deployment_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("line", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["container_id"],
            ["containers.id"],
            name=op.f("fk_deploy_logs_container_id_containers"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["deployment_id"],
            ["deployments.id"],
            name=op.f("fk_deploy_logs_deployment_id_deployments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deploy_logs")),
    )
    op.create_index(
        "ix_deploy_logs_container_id_id", "deploy_logs", ["container_id", "id"], unique=False
    )
    op.create_index(
        op.f("ix_deploy_logs_deployment_id"), "deploy_logs", ["deployment_id"], unique=False
    )
    backfill_personal_organizations()


def backfill_personal_organizations() -> None:
    bind = op.get_bind()
    now = datetime.now(UTC)
    if bind.dialect.name == "sqlite":
        now = now.replace(tzinfo=None)  # stored naive UTC, as models.base.UTCDateTime does
    bind.execute(
        sa.text(
            "INSERT INTO organizations (slug, full_name, is_personal, created_at) "
            "SELECT u.username, u.username, :personal, :now FROM users u "
            "WHERE NOT EXISTS (SELECT 1 FROM organizations o WHERE o.slug = u.username)"
        ),
        {"personal": True, "now": now},
    )
    bind.execute(
        sa.text(
            "INSERT INTO roles (organization_id, user_id, role, created_at) "
            "SELECT o.id, u.id, 'manager', :now FROM users u "
            "JOIN organizations o ON o.slug = u.username AND o.is_personal = :personal "
            "WHERE NOT EXISTS (SELECT 1 FROM roles r "
            "WHERE r.organization_id = o.id AND r.user_id = u.id)"
        ),
        {"personal": True, "now": now},
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_deploy_logs_deployment_id"), table_name="deploy_logs")
    op.drop_index("ix_deploy_logs_container_id_id", table_name="deploy_logs")
    op.drop_table("deploy_logs")
    op.drop_index("ix_domains_organization_id", table_name="domains")
    op.drop_table("domains")
    op.drop_index(op.f("ix_deployments_requested_by_id"), table_name="deployments")
    op.drop_index("ix_deployments_container_id_id", table_name="deployments")
    op.drop_table("deployments")
    op.drop_index("ix_roles_user_id", table_name="roles")
    op.drop_table("roles")
    op.drop_index("uq_containers_lower_slug", table_name="containers")
    op.drop_index("ix_containers_organization_id_slug", table_name="containers")
    op.drop_table("containers")
    op.drop_index(op.f("ix_api_keys_user_id"), table_name="api_keys")
    op.drop_table("api_keys")
    op.drop_table("organizations")
