"""Operations commands of ``genie``: ``doctor``, ``backup`` and ``restore``."""

from __future__ import annotations

from pathlib import Path

import click

from genie import backup as backups
from genie import doctor, migrate
from genie.cli import _settings, main
from genie.db import create_sync


@main.command("doctor")
@click.option("--repair", is_flag=True, help="Remove what was found.")
def doctor_command(repair: bool) -> None:
    """Find rows whose file is missing, files no row points at, and temp files.

    Exits 1 when anything was found (and, with --repair, removes it first).
    Examines the data folder (GENIE_DATA_DIR), not an S3 bucket.
    """
    settings = _settings()
    if settings.s3 is not None:
        raise click.ClickException("genie doctor examines the data folder, not S3 storage")
    migrate.upgrade(settings.database_url)
    engine = create_sync(settings.database_url)
    root = settings.data_dir.resolve()
    try:
        findings = doctor.examine(engine, root)
        for line in findings.lines():
            click.echo(line)
        if repair and not findings.clean:
            doctor.repair(engine, root, findings)
            click.echo(f"repaired: {len(findings.lines())} removed")
    finally:
        engine.dispose()
    if findings.clean:
        click.echo("no orphans: every row has its file and every file its row")
    else:
        raise SystemExit(1)


@main.command("backup")
@click.argument("dest", type=click.Path(path_type=Path))
def backup_command(dest: Path) -> None:
    """Back up the embedded default (SQLite database, data folder, secret.key) into
    DEST, consistently, while the server keeps serving writes."""
    settings = _settings()
    try:
        files = backups.backup(settings.database_url, settings.data_dir.resolve(), dest)
    except backups.BackupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"backed up the database and {files} files into {dest}")


@main.command("restore")
@click.argument("src", type=click.Path(path_type=Path, exists=True, file_okay=False))
def restore_command(src: Path) -> None:
    """Restore a backup made by `genie backup` into an empty GENIE_DATA_DIR and a
    database file that does not exist yet."""
    settings = _settings()
    try:
        files = backups.restore(settings.database_url, settings.data_dir.resolve(), src)
    except backups.BackupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"restored the database and {files} files from {src}")
