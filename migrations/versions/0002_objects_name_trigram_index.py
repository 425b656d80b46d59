"""Trigram index for case-insensitive substring search on object names (PostgreSQL)

`search` is `name ILIKE '%term%'`, which no btree can serve; on a user with a
million objects a selective term fell back to a ~500 ms sequential scan. A GIN
trigram index keeps it in milliseconds. SQLite has no equivalent and keeps the
plain scan. Without the right to create pg_trgm, the index is skipped with a
warning: search still works, only slower.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

import logging
from collections.abc import Sequence

from alembic import op
from sqlalchemy.exc import DBAPIError

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEX = "ix_objects_name_trgm"


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    try:
        with bind.begin_nested():
            op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except DBAPIError as exc:
        logging.getLogger("alembic").warning("pg_trgm unavailable, %s skipped: %s", INDEX, exc)
        return
    op.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON objects USING gin (name gin_trgm_ops)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP INDEX IF EXISTS {INDEX}")
