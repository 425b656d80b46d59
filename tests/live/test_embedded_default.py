"""The README's first command: `genie serve` on the embedded default, nothing configured."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import httpx

from genie.crypto import Crypto
from models.variables import VALUE_PURPOSE
from tests.conftest import free_port, wait_healthy


def test_serve_on_the_embedded_default(tmp_path: Path) -> None:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("GENIE_")}

    def genie(*args: str) -> str:
        return subprocess.run(
            [sys.executable, "-m", "genie", *args],
            cwd=tmp_path,
            env=environ,
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        ).stdout.strip()

    port = free_port()
    started = time.perf_counter()
    server = subprocess.Popen(
        [sys.executable, "-m", "genie", "serve", "--port", str(port)],
        cwd=tmp_path,
        env=environ,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        assert wait_healthy(url, server), "genie serve did not become healthy"
        print(f"\nembedded default: healthy {time.perf_counter() - started:.2f}s after start")

        assert (tmp_path / "genie.db").is_file()
        tables = {
            row[0]
            for row in sqlite3.connect(tmp_path / "genie.db").execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'"
            )
        }
        assert {"users", "tokens", "objects", "alembic_version"} <= tables

        genie("users", "create", "embedded", "--email", "embedded@example.com")
        token = genie("tokens", "create", "embedded", "--scopes", "object:read,write")
        headers = {"Authorization": f"Bearer {token}"}
        created = httpx.post(
            f"{url}/djinn/objects", params={"name": "a.txt"}, content=b"hi", headers=headers
        )
        assert created.status_code == 201, created.text
        data = tmp_path / "genie-data"
        key_file = data / "secret.key"
        # No GENIE_SECRET_KEY: the embedded default generates a key and keeps it.
        assert key_file.stat().st_mode & 0o777 == 0o600
        assert len(bytes.fromhex(key_file.read_text().strip())) == 32
        stored = [p for p in data.rglob("*") if p.is_file() and p != key_file]
        assert [p.read_bytes() for p in stored] == [b"hi"]
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=10)


def test_masked_values_outlive_a_restart_on_the_generated_key(tmp_path: Path) -> None:
    """With no GENIE_SECRET_KEY, the key generated on the first start is the one the
    next start uses: a masked value stored before a restart still decrypts after it."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith("GENIE_")}

    def genie(*args: str) -> str:
        return subprocess.run(
            [sys.executable, "-m", "genie", *args],
            cwd=tmp_path,
            env=environ,
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        ).stdout.strip()

    def serve() -> tuple[str, subprocess.Popen[bytes]]:
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "genie", "serve", "--port", str(port)],
            cwd=tmp_path,
            env=environ,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        url = f"http://127.0.0.1:{port}"
        assert wait_healthy(url, server), "genie serve did not become healthy"
        return url, server

    def stop(server: subprocess.Popen[bytes]) -> None:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=10)

    key_file = tmp_path / "genie-data" / "secret.key"
    url, server = serve()
    try:
        genie("users", "create", "masker", "--email", "masker@example.com")
        token = genie("tokens", "create", "masker", "--scopes", "variable:read,write")
        headers = {"Authorization": f"Bearer {token}"}
        created = httpx.post(
            f"{url}/djinn/variables",
            json={"key": "BEFORE", "value": "kept across restarts", "mask": True},
            headers=headers,
        )
        assert created.status_code == 201, created.text
        first_key = key_file.read_text()
    finally:
        stop(server)

    url, server = serve()
    try:
        assert key_file.read_text() == first_key
        shown = httpx.get(f"{url}/djinn/variables/{created.json()['id']}", headers=headers)
        assert shown.json()["value"] == "xxxxxx"
    finally:
        stop(server)
    (sealed,) = sqlite3.connect(tmp_path / "genie.db").execute(
        "SELECT encrypted_value FROM variables WHERE key = 'BEFORE'"
    )
    crypto = Crypto(bytes.fromhex(first_key.strip()))
    assert crypto.decrypt(sealed[0], purpose=VALUE_PURPOSE) == b"kept across restarts"
