"""``genie doctor``: rows and files that disagree, after a crash.

A write stores its file, then commits its row; a delete commits, then removes
the file. A process killed in between can leave:

* a **row without its file** (the file was lost: a disk, a restore);
* a **file without a row** (killed between a delete's commit and its unlink, or
  between an upload's file and its row);
* a **temp file** (an upload cut mid-body; ``genie serve`` sweeps these at start).

:func:`examine` finds them; :func:`repair` removes them: orphan files and temp
files are deleted, rows whose file is gone are deleted (they cannot be served).
Only the folder storage (the embedded default) is examined.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, text

#: (table, storage prefix, rows that must have a file) per kind of stored file.
KINDS = (
    ("objects", "objects", "SELECT id, hash FROM objects"),
    (
        "images",
        "images",
        # A downloaded image has its file only once its download succeeded.
        "SELECT i.id, i.hash FROM images i LEFT JOIN image_downloads d ON d.image_id = i.id"
        " WHERE d.id IS NULL OR (d.finished_at IS NOT NULL AND d.error IS NULL)",
    ),
)


@dataclass
class Findings:
    #: (table, id, storage key) of rows whose file is missing.
    missing_files: list[tuple[str, int, str]] = field(default_factory=list)
    #: Storage keys of files no row points at.
    orphan_files: list[str] = field(default_factory=list)
    #: Staged uploads left behind.
    temp_files: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not (self.missing_files or self.orphan_files or self.temp_files)

    def lines(self) -> list[str]:
        found = [f"row without file: {t} {i} ({key})" for t, i, key in self.missing_files]
        found += [f"file without row: {key}" for key in self.orphan_files]
        found += [f"temp file: {key}" for key in self.temp_files]
        return found


def _key(prefix: str, file_hash: str) -> str:
    return f"{prefix}/{file_hash[:2]}/{file_hash}"


def examine(engine: Engine, root: Path) -> Findings:
    findings = Findings()
    with engine.connect() as conn:
        all_hashes = {
            prefix: {row[0] for row in conn.execute(text(f"SELECT hash FROM {table}"))}  # noqa: S608
            for table, prefix, _ in KINDS
        }
        for table, prefix, statement in KINDS:
            for row_id, file_hash in conn.execute(text(statement)):
                key = _key(prefix, file_hash)
                if not (root / key).is_file():
                    findings.missing_files.append((table, int(row_id), key))
    for _table, prefix, _ in KINDS:
        for path in sorted((root / prefix).glob("*/*")):
            if path.is_file() and path.name not in all_hashes[prefix]:
                findings.orphan_files.append(str(path.relative_to(root)))
    tmp = root / ".tmp"
    findings.temp_files = sorted(str(p.relative_to(root)) for p in tmp.glob("*.part"))
    return findings


def repair(engine: Engine, root: Path, findings: Findings) -> None:
    """Remove what :func:`examine` found."""
    for key in findings.orphan_files + findings.temp_files:
        (root / key).unlink(missing_ok=True)
    with engine.begin() as conn:
        for table, row_id, _ in findings.missing_files:
            conn.execute(text(f"DELETE FROM {table} WHERE id = :id"), {"id": row_id})  # noqa: S608
