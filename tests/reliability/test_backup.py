"""Backups while writes go on: ``genie backup`` / ``genie restore`` on the embedded
default, and ``pg_dump`` / ``pg_restore`` plus a files copy on PostgreSQL. A
second server on the restored copy serves every object the backup recorded,
byte for byte, and a masked variable still decrypts."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import psycopg2

from genie.crypto import Crypto
from models.variables import VALUE_PURPOSE
from tests.conftest import free_port, fresh_database, wait_healthy
from tests.reliability.conftest import record


def _genie(env: dict[str, str], *args: str) -> str:
    return subprocess.run(
        [sys.executable, "-m", "genie", *args],
        env=env, capture_output=True, text=True, check=True, timeout=120,
    ).stdout.strip()  # fmt: skip


@contextmanager
def _serve(env: dict[str, str]) -> Iterator[str]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "genie", "serve", "--port", str(port)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        assert wait_healthy(url, process)
        yield url
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=20)


def _keeper(env: dict[str, str]) -> str:
    """A user who uploads and masks; their token."""
    _genie(env, "users", "create", "keeper", "--email", "keeper@example.com")
    scopes = "object:read,write,delete variable:read,write"
    return _genie(env, "tokens", "create", "keeper", "--scopes", scopes)


def _environ(database_url: str, data_dir: Path) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("GENIE_")}
    return {**base, "GENIE_DATABASE_URL": database_url, "GENIE_DATA_DIR": str(data_dir)}


def _write_loop(url: str, token: str, stop: threading.Event, going: threading.Event) -> int:
    headers = {"Authorization": f"Bearer {token}"}
    n = 0
    with httpx.Client(base_url=url, headers=headers, timeout=30) as client:
        masked = {"key": "MASKED", "value": "still secret", "mask": True}
        assert client.post("/djinn/variables", json=masked).status_code == 201
        while not stop.is_set():
            n += 1
            made = client.post("/djinn/objects", params={"name": f"f{n}"}, content=os.urandom(8192))
            assert made.status_code == 201, made.text
            if n % 3 == 0:  # deletes too: their files go after their rows
                assert client.delete(f"/djinn/objects/{made.json()['id']}").status_code == 204
            if n == 5:
                going.set()
    return n


def _during_writes(url: str, token: str, backup: object) -> int:
    stop, going = threading.Event(), threading.Event()
    written: list[int] = []
    thread = threading.Thread(target=lambda: written.append(_write_loop(url, token, stop, going)))
    thread.start()
    try:
        assert going.wait(30), "the write loop did not start"
        assert callable(backup)
        backup()
    finally:
        stop.set()
        thread.join(timeout=60)
    return written[0]


def _verify(url: str, token: str, rows: list[tuple[int, str]]) -> None:
    """Every object of the backup is served with its recorded sha256."""
    headers = {"Authorization": f"Bearer {token}", "Accept": "application/octet-stream"}
    with httpx.Client(base_url=url, headers=headers, timeout=30) as client:
        for object_id, sha256 in rows:
            got = client.get(f"/djinn/objects/{object_id}")
            assert got.status_code == 200, (object_id, got.text)
            assert hashlib.sha256(got.content).hexdigest() == sha256


def _objects(database_url: str) -> list[tuple[int, str]]:
    conn = psycopg2.connect(database_url)
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT id, sha256 FROM objects")
            return list(cursor.fetchall())
    finally:
        conn.close()


def _decrypts(key_file: Path, sealed: bytes) -> bool:
    crypto = Crypto(bytes.fromhex(key_file.read_text().strip()))
    return crypto.decrypt(sealed, purpose=VALUE_PURPOSE) == b"still secret"


def test_backup_and_restore_of_the_embedded_default(tmp_path: Path) -> None:
    live = _environ(f"sqlite:///{tmp_path / 'live.db'}", tmp_path / "live-data")
    token = _keeper(live)
    dest = tmp_path / "backup"
    with _serve(live) as url:
        written = _during_writes(url, token, lambda: _genie(live, "backup", str(dest)))
    snapshot = sqlite3.connect(dest / "genie.db")
    rows = list(snapshot.execute("SELECT id, sha256 FROM objects"))
    (sealed,) = snapshot.execute(
        "SELECT encrypted_value FROM variables WHERE key = 'MASKED'"
    ).fetchone()
    snapshot.close()
    restored = _environ(f"sqlite:///{tmp_path / 'restored.db'}", tmp_path / "restored-data")
    _genie(restored, "restore", str(dest))
    assert _genie(restored, "doctor").startswith("no orphans")
    with _serve(restored) as url:
        _verify(url, token, rows)
    assert _decrypts(tmp_path / "restored-data" / "secret.key", sealed)
    record(
        "backup while writing (embedded default)",
        f"genie backup during a loop of uploads and deletes ({written} uploads); genie "
        "restore into a fresh folder; a second genie serve on it",
        f"all {len(rows)} objects of the backup served with their sha256; the masked "
        "variable decrypts with the restored secret.key; doctor clean",
        0,
    )


def test_pg_dump_and_restore_with_a_files_copy(tmp_path: Path) -> None:
    database_url = fresh_database("genie_backup_src")
    live = _environ(database_url, tmp_path / "live-data")
    token = _keeper(live)
    dump = tmp_path / "genie.dump"

    def backup() -> None:  # the README's recipe: the database first, then the files
        subprocess.run(["pg_dump", "-Fc", "-f", str(dump), database_url], check=True, timeout=120)
        shutil.copytree(
            tmp_path / "live-data", tmp_path / "files", ignore=shutil.ignore_patterns(".tmp")
        )

    with _serve(live) as url:
        written = _during_writes(url, token, backup)
    target = fresh_database("genie_backup_dst")
    # The target is migrated already: --clean replaces its (empty) schema with the dump's.
    restore = ["pg_restore", "--clean", "--if-exists", "--no-owner", "-d", target, str(dump)]
    subprocess.run(restore, check=True, timeout=120)
    shutil.copytree(tmp_path / "files", tmp_path / "restored-data")
    restored = _environ(target, tmp_path / "restored-data")
    dumped = _objects(target)
    # The recipe's last step: an object deleted between the dump and the copy has
    # its row in the dump and no file; doctor --repair drops that row. Only such
    # rows may go: every object the source still has is restored.
    # (It exits 1 when it found something: files of objects made after the dump,
    # rows of objects deleted before the copy. Then nothing is left to find.)
    repair = [sys.executable, "-m", "genie", "doctor", "--repair"]
    repaired = subprocess.run(repair, env=restored, capture_output=True, timeout=120)
    assert repaired.returncode in (0, 1), repaired.stderr
    assert _genie(restored, "doctor").startswith("no orphans")
    rows = _objects(target)
    assert set(dumped) - set(rows) <= set(dumped) - set(_objects(database_url))
    conn = psycopg2.connect(target)
    with conn.cursor() as cursor:
        cursor.execute("SELECT encrypted_value FROM variables WHERE key = 'MASKED'")
        sealed = bytes(cursor.fetchone()[0])
    conn.close()
    with _serve(restored) as url:
        _verify(url, token, rows)
    assert _decrypts(tmp_path / "restored-data" / "secret.key", sealed)
    record(
        "backup while writing (PostgreSQL)",
        f"pg_dump -Fc, then a copy of the data folder, during uploads and deletes "
        f"({written} uploads); pg_restore into a new database; genie doctor --repair; "
        "a second genie serve",
        f"all {len(rows)} objects served with their sha256 (rows dropped by the repair: "
        f"{len(dumped) - len(rows)}, each deleted in the source after the dump); the "
        "masked variable decrypts",
        0,
    )
