"""Migration 0004 gives every existing user a personal organization, on both databases."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import text

from genie import migrate
from genie.db import create_sync
from tests.conftest import fresh_database


@pytest.mark.parametrize("backend", ["postgres", "sqlite"])
def test_existing_users_get_their_personal_organization(backend: str, tmp_path: Path) -> None:
    url = fresh_database("genie_mig") if backend == "postgres" else f"sqlite:///{tmp_path / 'm.db'}"
    cfg = migrate.alembic_config(url)
    if backend == "postgres":
        command.downgrade(cfg, "0003_jobs")  # fresh_database() migrated it to head
    else:
        command.upgrade(cfg, "0003_jobs")
    engine = create_sync(url)
    try:
        with engine.begin() as conn:
            for username in ("old-one", "old.two"):
                conn.execute(
                    text("INSERT INTO users (username, email, created_at) VALUES (:u, :e, :t)"),
                    {"u": username, "e": f"{username}@example.com", "t": datetime.now(UTC)},
                )
        command.upgrade(cfg, "head")
        with engine.connect() as conn:
            rows = conn.execute(
                text(
                    "SELECT o.slug, o.is_personal, r.role FROM organizations o "
                    "JOIN roles r ON r.organization_id = o.id "
                    "JOIN users u ON u.id = r.user_id AND u.username = o.slug ORDER BY o.slug"
                )
            ).all()
    finally:
        engine.dispose()
    assert [tuple(r) for r in rows] == [("old-one", True, "manager"), ("old.two", True, "manager")]
