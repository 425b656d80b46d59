"""The disk fills during an upload: 507, no row, no partial file; once space is
freed uploads work again and earlier files are intact."""

from __future__ import annotations

import hashlib
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import psycopg2
import pytest

from tests.conftest import LiveServer, _live_server
from tests.reliability.conftest import record

SIZE = "4m"


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    mount = tmp_path / "disk"
    mount.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={SIZE}", "tmpfs", str(mount)], check=True)
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


@pytest.fixture
def server(tmp_path_factory: pytest.TempPathFactory, small_disk: Path) -> Iterator[LiveServer]:
    with _live_server(tmp_path_factory, "diskfull", {"GENIE_DATA_DIR": str(small_disk)}) as live:
        yield live


def _rows(server: LiveServer) -> list[str]:
    conn = psycopg2.connect(server.database_url)
    with conn.cursor() as cursor:
        cursor.execute("SELECT name FROM objects ORDER BY name")
        names = [row[0] for row in cursor.fetchall()]
    conn.close()
    return names


def _files(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in root.rglob("*")
        if p.is_file() and p.name != "secret.key"
    }


def test_an_upload_that_fills_the_disk(server: LiveServer, small_disk: Path) -> None:
    first = os.urandom(1024 * 1024)
    with httpx.Client(base_url=server.url, headers=server.auth, timeout=60) as client:
        ok = client.post("/djinn/objects", params={"name": "first.bin"}, content=first)
        assert ok.status_code == 201, ok.text
        before = _files(small_disk)
        big = os.urandom(5 << 20)
        full = client.post("/djinn/objects", params={"name": "big.bin"}, content=big)
        assert full.status_code == 507, full.text
        assert "disk is full" in full.json()["message"]
        assert _rows(server) == ["first.bin"]
        assert _files(small_disk) == before  # no partial file, staged or stored
        ballast = small_disk / "ballast"
        ballast.write_bytes(b"\0" * (2 << 20))
        refused = client.post("/djinn/objects", params={"name": "b.bin"}, content=first)
        assert refused.status_code == 507
        ballast.unlink()
        again = client.post("/djinn/objects", params={"name": "again.bin"}, content=first)
        assert again.status_code == 201, again.text
        raw = {"Accept": "application/octet-stream"}
        download = client.get(f"/djinn/objects/{ok.json()['id']}", headers=raw)
    assert hashlib.sha256(download.content).digest() == hashlib.sha256(first).digest()
    assert {k: v for k, v in _files(small_disk).items() if k in before} == before
    record(
        "the disk fills during an upload",
        f"GENIE_DATA_DIR on a {SIZE} tmpfs; a 1 MiB upload, then 5 MiB, then 1 MiB with "
        "the disk held full, then 1 MiB once space was freed",
        "507 with a clear message, no row and no partial file; uploads work again once "
        "freed; the earlier file's sha256 unchanged",
        0,
    )
