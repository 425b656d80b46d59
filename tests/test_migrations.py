"""The migrations build exactly the schema the models describe, on both databases."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from alembic import command
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


def test_script_head_reads_the_same_head_as_alembic() -> None:
    script = ScriptDirectory.from_config(migrate.alembic_config("sqlite://"))
    assert migrate.script_head() == script.get_current_head()


def test_script_head_gives_up_on_what_it_cannot_read(tmp_path: Path) -> None:
    def write(name: str, body: str) -> None:
        (tmp_path / f"{name}.py").write_text(body)

    write("a", 'revision: str = "a"\ndown_revision: str | None = None\n')
    write("b", 'revision: str = "b"\ndown_revision: str | None = "a"\n')
    assert migrate.script_head(tmp_path) == "b"
    write("c", 'revision: str = "c"\ndown_revision: str | None = "a"\n')
    assert migrate.script_head(tmp_path) is None  # two heads
    (tmp_path / "c.py").unlink()
    write("d", 'revision = "d"\ndown_revision = ("b", "x")\n')  # a merge: not read
    assert migrate.script_head(tmp_path) is None


def test_a_current_database_starts_without_alembic(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'current.db'}"
    assert not migrate.is_current(url)
    migrate.upgrade(url)
    assert migrate.is_current(url)
    probe = (
        "import sys; from genie import migrate; migrate.upgrade(sys.argv[1]); "
        "print('alembic' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe, url], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


def test_a_database_behind_the_head_is_upgraded(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'behind.db'}"
    cfg = migrate.alembic_config(url)
    command.upgrade(cfg, "0003_jobs")
    assert migrate.database_revisions(url) == {"0003_jobs"}
    assert not migrate.is_current(url)
    migrate.upgrade(url)
    assert migrate.database_revisions(url) == {migrate.script_head()}
