"""Bring a database to the newest schema with alembic (synchronous drivers).

``genie serve`` migrates on every start. When the database is already at the
head revision, which is every start but the first after an upgrade, alembic is
not even imported: the head is read from the scripts' ``revision`` and
``down_revision`` lines and compared with the database's ``alembic_version``.
Importing alembic and its dialect modules cost about 0.2 s of a 2 s start-up
budget. Anything unexpected (no version table, several heads, a script the
scan cannot read) falls through to alembic, which decides.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from genie import PROJECT_ROOT
from genie.db import create_sync, is_sqlite

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = PROJECT_ROOT / "migrations"
_REVISION = re.compile(r"^revision(?:\s*:[^=]+)?\s*=\s*[\"']([^\"']+)[\"']\s*$", re.M)
_DOWN = re.compile(r"^down_revision(?:\s*:[^=]+)?\s*=\s*(None|[\"']([^\"']+)[\"'])\s*$", re.M)


def alembic_config(database_url: str) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["database_url"] = database_url
    return cfg


def script_head(versions: Path = MIGRATIONS / "versions") -> str | None:
    """The one head revision of the scripts in ``versions``, or None when the
    scan cannot tell (no scripts, several heads, a line it does not read)."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for script in versions.glob("*.py"):
        source = script.read_text()
        revision, down = _REVISION.findall(source), _DOWN.findall(source)
        if len(revision) != 1 or len(down) != 1:
            return None
        revisions.add(revision[0])
        if down[0][1]:
            parents.add(down[0][1])
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def database_revisions(database_url: str) -> set[str] | None:
    """The database's ``alembic_version`` rows, or None when it has none to read."""
    engine = create_sync(database_url)
    try:
        with engine.connect() as conn:
            return {row[0] for row in conn.execute(text("SELECT version_num FROM alembic_version"))}
    except SQLAlchemyError:  # no table, no database: alembic will say what is wrong
        return None
    finally:
        engine.dispose()


def is_current(database_url: str) -> bool:
    head = script_head()
    return head is not None and database_revisions(database_url) == {head}


def upgrade(database_url: str) -> None:
    if is_sqlite(database_url):
        database = make_url(database_url).database
        if database and database != ":memory:":
            Path(database).expanduser().resolve().parent.mkdir(parents=True, exist_ok=True)
    if is_current(database_url):
        return
    from alembic import command

    logging.getLogger("alembic").setLevel(logging.WARNING)
    command.upgrade(alembic_config(database_url), "head")
