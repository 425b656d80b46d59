"""SIGTERM to real processes: ``genie serve`` drains its requests within
``GENIE_SHUTDOWN_GRACE``, and both it and ``genie worker`` hand running jobs back
to the queue.

Each test starts its own processes on one PostgreSQL database of this module
(:func:`tests.conftest.fresh_database`), with a user and token made by the CLI.
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import psycopg2
import pytest

from tests.conftest import ALL_SCOPES, free_port, fresh_database, wait_healthy

MiB = 1024 * 1024
#: How long a stopped process may take beyond its grace on a loaded machine.
MARGIN = 15.0


@dataclass
class Setup:
    database_url: str
    token: str
    environ: dict[str, str]


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> Setup:
    database_url = fresh_database("genie_ops")
    environ = {
        **os.environ,
        "GENIE_DATABASE_URL": database_url,
        "GENIE_SECRET_KEY": secrets.token_hex(32),
        "GENIE_ALLOW_PRIVATE_URLS": "1",
    }
    environ.pop("GENIE_LOG_FORMAT", None)

    def genie(*args: str) -> str:
        run = subprocess.run(
            [sys.executable, "-m", "genie", *args],
            env={**environ, "GENIE_DATA_DIR": str(tmp_path_factory.mktemp("cli"))},
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        return run.stdout.strip()

    genie("users", "create", "ops", "--email", "ops@example.com")
    return Setup(database_url, genie("tokens", "create", "ops", "--scopes", ALL_SCOPES), environ)


@dataclass
class Node:
    """A ``genie serve`` process of its own."""

    process: subprocess.Popen[bytes]
    port: int
    data_dir: Path
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stored(self) -> list[Path]:
        """Every file in storage, staging included, but the master key."""
        return sorted(p for p in self.data_dir.rglob("*") if p.is_file())

    def staged(self) -> list[Path]:
        return sorted((self.data_dir / ".tmp").glob("*"))


@pytest.fixture
def start(setup: Setup, tmp_path: Path) -> Iterator[Callable[..., Node]]:
    started: list[subprocess.Popen[bytes]] = []

    def node(**env: str) -> Node:
        port, data_dir = free_port(), tmp_path / f"data{len(started)}"
        log = tmp_path / f"serve{len(started)}.log"
        process = subprocess.Popen(
            [sys.executable, "-m", "genie", "serve", "--port", str(port)],
            env={**setup.environ, "GENIE_DATA_DIR": str(data_dir), **env},
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
        )
        started.append(process)
        made = Node(process, port, data_dir, log)
        assert wait_healthy(made.url, process), log.read_text()
        return made

    yield node
    for process in started:
        if process.poll() is None:
            process.kill()
            process.wait()


def _exits_within(process: subprocess.Popen[Any], seconds: float) -> float:
    """Wait for ``process`` to end; how long it took. It dies of its SIGTERM once
    done (uvicorn re-raises the signal), or exits 0."""
    started = time.monotonic()
    process.wait(timeout=seconds)
    assert process.returncode in (0, -signal.SIGTERM), process.returncode
    return time.monotonic() - started


def _begin_upload(node: Node, token: str, name: str, size: int) -> socket.socket:
    """A raw ``POST /djinn/objects`` of ``size`` bytes, its first MiB sent and
    being staged by the server when this returns."""
    sock = socket.create_connection(("127.0.0.1", node.port))
    sock.sendall(
        (
            f"POST /djinn/objects?name={name} HTTP/1.1\r\n"
            f"Host: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n"
            f"Content-Type: application/octet-stream\r\nContent-Length: {size}\r\n\r\n"
        ).encode()
        + b"\x5a" * MiB
    )
    deadline = time.monotonic() + 15
    while not node.staged() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert node.staged(), "the upload was being staged"
    return sock


def _refused(port: int, within: float) -> bool:
    """Whether new connections to ``port`` are refused within ``within`` seconds."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
        except ConnectionRefusedError:
            return True
        time.sleep(0.05)
    return False


def _rows(database_url: str, query: str, *args: Any) -> list[tuple[Any, ...]]:
    conn = psycopg2.connect(database_url)
    try:
        with conn, conn.cursor() as cur:
            cur.execute(query, args)
            return list(cur.fetchall()) if cur.description else []
    finally:
        conn.close()


def test_an_upload_in_flight_completes_and_nothing_new_is_accepted(
    setup: Setup, start: Callable[..., Node]
) -> None:
    node = start(GENIE_SHUTDOWN_GRACE="60", GENIE_JOBS_WORKER="0")
    sock = _begin_upload(node, setup.token, "drained", 4 * MiB)
    node.process.send_signal(signal.SIGTERM)
    assert _refused(node.port, within=10), "still accepting connections after SIGTERM"
    for _ in range(3):  # the rest, slowly, after the signal
        time.sleep(0.3)
        sock.sendall(b"\x5a" * MiB)
    answer = b""
    while b"\r\n\r\n" not in answer or not answer.rstrip().endswith(b"}"):
        chunk = sock.recv(65536)
        if not chunk:
            break
        answer += chunk
    sock.close()
    assert answer.startswith(b"HTTP/1.1 201 "), answer[:200]
    assert b"connection: close" in answer.lower()
    _exits_within(node.process, 60 + MARGIN)
    (row,) = _rows(setup.database_url, "SELECT size FROM objects WHERE name = %s", "drained")
    assert row == (4 * MiB,)
    assert node.staged() == []
    assert [p.stat().st_size for p in node.stored() if p.name != "secret.key"] == [4 * MiB]
    # The default, human format: uvicorn's, with genie's access line.
    log = node.log.read_text()
    assert "INFO:     Shutting down" in log
    assert "INFO:     POST /djinn/objects?name 201 request_id=" in log


def test_an_upload_past_the_grace_is_cut_and_leaves_nothing(
    setup: Setup, start: Callable[..., Node]
) -> None:
    node = start(GENIE_SHUTDOWN_GRACE="1", GENIE_JOBS_WORKER="0", GENIE_OBJECT_MAX_SIZE="0")
    sock = _begin_upload(node, setup.token, "cut", 64 * MiB)
    node.process.send_signal(signal.SIGTERM)
    took = _exits_within(node.process, 1 + MARGIN)
    sock.settimeout(10)
    try:
        answer = sock.recv(65536)
    except ConnectionResetError:
        answer = b""
    sock.close()
    # The connection closes, after uvicorn's own plain 500 when it had time.
    assert answer == b"" or answer.startswith(b"HTTP/1.1 500 "), answer[:200]
    assert took >= 0.9  # it waited for the grace before cutting the request
    assert _rows(setup.database_url, "SELECT id FROM objects WHERE name = %s", "cut") == []
    assert node.staged() == []
    assert [p for p in node.stored() if p.name != "secret.key"] == []
    assert "timeout graceful shutdown exceeded" in node.log.read_text()


class Blackhole:
    """A TCP server on 127.0.0.1 that takes connections and never answers: a
    webhook receiver that keeps a delivery in flight."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.connected = threading.Event()
        self._held: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            self._held.append(conn)
            self.connected.set()

    def close(self) -> None:
        self.server.close()
        for conn in self._held:
            conn.close()


@pytest.fixture
def blackhole() -> Iterator[Blackhole]:
    hole = Blackhole()
    yield hole
    hole.close()


def _webhook_job(setup: Setup, node: Node, hole: Blackhole) -> int:
    """A webhook delivery to ``hole`` in the queue; its job id."""
    name = f"hooks{secrets.token_hex(3)}"
    auth = {"Authorization": f"Bearer {setup.token}"}
    with httpx.Client(base_url=f"{node.url}/djinn", headers=auth, timeout=30) as client:
        assert client.post("/namespaces", json={"name": name}).status_code == 201
        hook = {"payload_url": f"http://127.0.0.1:{hole.port}/hook", "events": ["objects"]}
        assert client.post(f"/n/ops/{name}/-/webhooks", json=hook).status_code == 201
        made = client.post("/objects", params={"name": name, "namespace": name}, content=b"x")
        assert made.status_code == 201, made.text
    (row,) = _rows(setup.database_url, "SELECT max(id) FROM jobs WHERE kind = 'webhook.deliver'")
    return int(row[0])


def _job(setup: Setup, job_id: int) -> tuple[Any, ...]:
    (row,) = _rows(
        setup.database_url, "SELECT state, attempts, locked_until FROM jobs WHERE id = %s", job_id
    )
    return row


@pytest.mark.parametrize("runner", ["genie worker", "genie serve"])
def test_a_job_in_flight_goes_back_to_the_queue(
    setup: Setup, start: Callable[..., Node], blackhole: Blackhole, runner: str
) -> None:
    embedded = runner == "genie serve"
    node = start(GENIE_SHUTDOWN_GRACE="1", GENIE_JOBS_WORKER="1" if embedded else "0")
    job_id = _webhook_job(setup, node, blackhole)
    process: subprocess.Popen[bytes] = node.process
    metrics = f"{node.url}/metrics"
    if not embedded:
        port = free_port()
        metrics = f"http://127.0.0.1:{port}/metrics"
        argv = ["worker", "--kind", "webhook.deliver", "--metrics-port", str(port)]
        process = subprocess.Popen(
            [sys.executable, "-m", "genie", *argv],
            env={
                **setup.environ,
                "GENIE_DATA_DIR": str(node.data_dir),
                "GENIE_SHUTDOWN_GRACE": "1",
            },
        )
    try:
        assert blackhole.connected.wait(30), "the delivery never started"
        assert _job(setup, job_id)[:2] == ("running", 1)
        # The process running it answers /metrics (the worker on a port of its own).
        scraped = httpx.get(metrics, timeout=10)
        assert scraped.status_code == 200
        assert "genie_db_pool_in_use" in scraped.text
        process.send_signal(signal.SIGTERM)
        _exits_within(process, 1 + MARGIN)
    finally:
        if process.poll() is None:
            process.kill()
    assert _job(setup, job_id) == ("queued", 0, None)
    _rows(setup.database_url, "DELETE FROM jobs WHERE id = %s", job_id)
