"""``genie backup`` and ``genie restore`` for the embedded default: a SQLite
database and a data folder (with ``secret.key``).

A backup is consistent while the server keeps serving writes:

1. every stored file is linked into the backup (a hard link where the folders
   share a filesystem, else a copy: stored files never change once written);
2. the database is copied with SQLite's online backup API, a snapshot;
3. files written since step 1 are linked too, and files whose rows the snapshot
   no longer has are dropped.

A row in the snapshot committed after its file was written, and a delete removes
its file only after committing, so each row's file is in the backup, except for
one race: a file written after step 1 whose row the snapshot has, deleted before
step 3. The backup is checked against its own snapshot (``genie doctor`` rules);
when that race struck, steps 2 and 3 are taken again (a few times at most)
before the backup fails.

Layout: ``DEST/genie.db``, ``DEST/data/`` (the data folder, ``secret.key``
included, staged uploads excluded).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

from sqlalchemy.engine import make_url

from genie import doctor
from genie.db import create_sync, is_sqlite

DB_NAME = "genie.db"
DATA_NAME = "data"


class BackupError(Exception):
    """A backup or restore that cannot be made as asked."""


def sqlite_path(database_url: str) -> Path:
    if not is_sqlite(database_url):
        raise BackupError(
            "genie backup covers the embedded default (SQLite); on PostgreSQL use "
            "pg_dump -Fc and a copy of the data folder or bucket (see the README)"
        )
    database = make_url(database_url).database
    if not database or database == ":memory:":
        raise BackupError("the SQLite database must be a file")
    return Path(database).resolve()


def _link_tree(source: Path, target: Path) -> int:
    """Link (or copy) every file under ``source`` missing from ``target``."""
    added = 0
    for path in sorted(source.rglob("*")):
        relative = path.relative_to(source)
        if not path.is_file() or relative.parts[0] == ".tmp":
            continue
        copy = target / relative
        if copy.exists():
            continue
        copy.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(path, copy)
        except FileNotFoundError:
            continue  # deleted meanwhile: its row was deleted before
        except OSError:
            shutil.copy2(path, copy)
        added += 1
    return added


def _snapshot(source: Path, target: Path) -> None:
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    src.close()
    dst.close()


def _missing(database: Path, data: Path) -> list[tuple[str, int, str]]:
    """The snapshot's rows that lack their file in the backup; files whose rows the
    snapshot does not have (deleted before it, or not yet committed) are dropped."""
    engine = create_sync(f"sqlite:///{database}")
    try:
        findings = doctor.examine(engine, data)
    finally:
        engine.dispose()
    for key in findings.orphan_files:
        (data / key).unlink()
    return list(findings.missing_files)


#: Snapshots taken before a backup fails on rows that lack their file.
SNAPSHOTS = 5


def backup(database_url: str, data_dir: Path, dest: Path) -> int:
    """Back up into ``dest`` (absent or empty); returns how many files it holds."""
    database = sqlite_path(database_url)
    if dest.exists() and any(dest.iterdir()):
        raise BackupError(f"{dest} is not empty")
    data = dest / DATA_NAME
    data.mkdir(parents=True)
    _link_tree(data_dir, data)
    for _ in range(SNAPSHOTS):
        (dest / DB_NAME).unlink(missing_ok=True)
        _snapshot(database, dest / DB_NAME)
        _link_tree(data_dir, data)
        missing = _missing(dest / DB_NAME, data)
        if not missing:
            return sum(1 for path in data.rglob("*") if path.is_file())
    raise BackupError(f"{len(missing)} rows lack their file in the backup: {missing[:3]}")


def restore(database_url: str, data_dir: Path, source: Path) -> int:
    """Restore ``source`` into an empty ``data_dir`` and an absent database file."""
    database = sqlite_path(database_url)
    if not (source / DB_NAME).is_file() or not (source / DATA_NAME).is_dir():
        raise BackupError(f"{source} is not a genie backup")
    if data_dir.exists() and any(data_dir.iterdir()):
        raise BackupError(f"GENIE_DATA_DIR {data_dir} is not empty")
    if database.exists():
        raise BackupError(f"the database {database} already exists")
    data_dir.mkdir(parents=True, exist_ok=True)
    files = 0
    for path in sorted((source / DATA_NAME).rglob("*")):
        if path.is_file():
            copy = data_dir / path.relative_to(source / DATA_NAME)
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, copy)
            files += 1
    _snapshot(source / DB_NAME, database)
    return files
