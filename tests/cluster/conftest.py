"""The cluster suite's topology: ``scripts/cluster``'s own code (:mod:`genie.cluster`)
starts nginx, two API nodes, two workers, moto's S3 and a fresh database, once for
the suite; the tests reach it through nginx only.

nginx is Debian's package (``.ci/run`` installs it when missing). Without it, or
without PostgreSQL, the suite is skipped on a developer machine and fails under
``CI=true``.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import psycopg2
import pytest

from genie.cluster import (
    NODE_HEADER,
    UPSTREAM_HEADER,
    Cluster,
    ClusterError,
    load,
    nginx_binary,
)
from genie.settings import S3Location
from tests.conftest import ALL_SCOPES, IN_CI, require_pg
from tests.leaks import WATCH
from tests.storage import BucketView, MotoS3

#: Seconds a dead worker's job stays claimed: short, so the suite need not wait 5 minutes.
LEASE = 5


@dataclass
class Topology:
    """The running cluster, a user's token on it, and views of its state."""

    cluster: Cluster
    token: str
    files: BucketView

    def client(self, node: str | None = None, timeout: float = 30) -> httpx.Client:
        """A Djinn client through nginx: round robin, or to ``node`` only."""
        headers = {"Authorization": f"Bearer {self.token}"}
        if node is not None:
            headers[NODE_HEADER] = node
        return httpx.Client(base_url=f"{self.cluster.url}/djinn", headers=headers, timeout=timeout)

    def served_by(self, response: httpx.Response) -> str:
        """The node (``a`` or ``b``) that answered ``response``."""
        address = response.headers[UPSTREAM_HEADER]
        nodes = {self.cluster.node_address(n): n for n in self.cluster.nodes}
        return nodes[address.split(",")[-1].strip()]

    def rows(self, query: str, *params: object) -> list[tuple[Any, ...]]:
        conn = psycopg2.connect(self.cluster.database_url)
        try:
            with conn, conn.cursor() as cur:
                cur.execute(query, params)
                return list(cur.fetchall())
        finally:
            conn.close()


def _database_exists(cluster: Cluster) -> bool:
    conn = psycopg2.connect(f"{cluster.pg_server}/postgres")
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", (cluster.database,))
            return bool(cur.fetchall())
    finally:
        conn.close()


def require_parts() -> None:
    """PostgreSQL and nginx: skipped without them, failed under ``CI=true``."""
    require_pg()
    try:
        nginx_binary()
    except ClusterError as exc:
        if IN_CI:
            pytest.fail(f"{exc} (CI=true)")
        pytest.skip(str(exc))


def cluster_script(project_root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run ``scripts/cluster`` as a user would, with this interpreter."""
    return subprocess.run(
        ["bash", "scripts/cluster", *args],
        cwd=project_root,
        env={**os.environ, "PYTHON": sys.executable},
        capture_output=True,
        text=True,
        timeout=180,
    )


@pytest.fixture(scope="session")
def topology(tmp_path_factory: pytest.TempPathFactory, project_root: Path) -> Iterator[Topology]:
    """The cluster, started by ``scripts/cluster start`` and, at the end, ended by
    ``scripts/cluster stop``, which must leave no member running and no database."""
    require_parts()
    root = tmp_path_factory.mktemp("cluster")
    settings = {
        "GENIE_JOB_LEASE": str(LEASE),
        "GENIE_OBJECT_MAX_SIZE": str(1024**3),
        # Builds on the workers' own host (tests/cluster/test_builds.py).
        "GENIE_DRIVERS": "os",
    }
    sets = [arg for name, value in settings.items() for arg in ("--set", f"{name}={value}")]
    # --allow-private-urls: webhooks to the tests' receivers on 127.0.0.1.
    started = cluster_script(
        project_root, "start", "--dir", str(root), "--allow-private-urls", *sets
    )
    assert started.returncode == 0, started.stderr
    cluster = load(root)
    try:
        WATCH.register(cluster.environ()["GENIE_SECRET_KEY"])
        cluster.genie("users", "create", "ops", "--email", "ops@example.com")
        token = cluster.genie("tokens", "create", "ops", "--scopes", ALL_SCOPES)
        WATCH.register(token)
        s3 = MotoS3(cluster.s3_endpoint, cluster.bucket, "cluster", "cluster-moto")
        yield Topology(cluster, token, BucketView(s3, S3Location(cluster.bucket, "cluster")))
    finally:
        stopped = cluster_script(project_root, "stop", "--dir", str(root))
    for name in cluster.members:
        log = cluster.log(name)
        WATCH.scan_log(f"the cluster's {name} log ({log})", log.read_text(errors="replace"))
    assert stopped.returncode == 0, stopped.stderr
    assert [n for n, m in cluster.members.items() if m.pid and cluster.alive(n)] == []
    assert _database_exists(cluster) is False


def wait_for(check: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {timeout} s")
        time.sleep(0.05)


@dataclass
class Delivery:
    at: float
    #: The sender's (the worker's) address: its local port identifies its socket.
    peer: tuple[str, int]
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    """A webhook receiver on 127.0.0.1; it holds the first ``hold`` deliveries
    unanswered (until :attr:`release` is set) and answers the rest 204."""

    url: str = ""
    port: int = 0
    hold: int = 0
    deliveries: list[Delivery] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    state = Receiver()
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            headers = {k.lower(): v for k, v in self.headers.items()}
            with lock:
                state.deliveries.append(
                    Delivery(time.monotonic(), self.client_address, headers, body)
                )
                held = len(state.deliveries) <= state.hold
            if held:
                state.release.wait(60)
            self.send_response(204)  # taken: any 2xx
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    state.port = server.server_address[1]
    state.url = f"http://127.0.0.1:{state.port}/hook-{secrets.token_hex(3)}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield state
    finally:
        state.release.set()
        server.shutdown()
        server.server_close()
