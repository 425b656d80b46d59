"""The migrations build exactly the schema the models describe, on both databases."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from genie import migrate
from genie.db import create_sync
from models import Base
from models.base import include_object


@pytest.mark.parametrize("backend", ["postgres", "sqlite"])
def test_models_match_migrations(backend: str, pg_url: str, tmp_path: Path) -> None:
    if backend == "postgres":
        url = pg_url  # already migrated to head by the fixture
    else:
        url = f"sqlite:///{tmp_path / 'm.db'}"
        migrate.upgrade(url)
    engine = create_sync(url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(
                conn, opts={"include_object": include_object, "compare_type": True}
            )
            assert compare_metadata(context, Base.metadata) == []
    finally:
        engine.dispose()


def test_one_head() -> None:
    script = ScriptDirectory.from_config(migrate.alembic_config("sqlite://"))
    assert len(script.get_heads()) == 1, script.get_heads()
