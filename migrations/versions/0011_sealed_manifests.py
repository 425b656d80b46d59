"""sealed manifests

A manifest that holds a masked variable's value in plain text is stored with that
value shown as ``xxxxxx``, and as written in ``sealed_manifest``, encrypted
(genie.sealed_manifest): builds and cron jobs.

Revision ID: 0011_sealed_manifests
Revises: 0010_oauth
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011_sealed_manifests"
down_revision: str | None = "0010_oauth"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("builds", "cron")


def upgrade() -> None:
    for table in TABLES:
        op.add_column(table, sa.Column("sealed_manifest", sa.LargeBinary(), nullable=True))


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("sealed_manifest")
