"""Reliability tests: real ``genie serve`` processes, real PostgreSQL, real sockets.

Each test that proves a fault row of ``docs/reliability.md`` records it with
:func:`record` (the fault, what was done, what was seen, what was lost);
``python scripts/reliability-report`` runs this folder and writes the table.

Faults that stop PostgreSQL use a cluster of their own (:func:`own_pg`), made with
``pg_createcluster`` on a free port and dropped afterwards: the machine's 5432
cluster is never touched.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg2
import pytest

from tests.conftest import free_port

#: Where rows go when ``scripts/reliability-report`` runs the suite.
REPORT_ENV = "GENIE_RELIABILITY_REPORT"


def record(fault: str, done: str, seen: str, lost: int) -> None:
    """One row of the reliability table (kept only under the report script)."""
    target = os.environ.get(REPORT_ENV)
    if target:
        with Path(target).open("a") as out:
            out.write(json.dumps({"fault": fault, "done": done, "seen": seen, "lost": lost}))
            out.write("\n")


@dataclass
class Cluster:
    """A PostgreSQL cluster of the tests' own."""

    version: str
    name: str
    port: int

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def ctl(self, action: str) -> None:
        subprocess.run(
            ["pg_ctlcluster", "--skip-systemctl-redirect", self.version, self.name, action],
            check=True,
            capture_output=True,
            timeout=120,
        )

    def create_database(self, name: str) -> str:
        conn = psycopg2.connect(self.url())
        conn.autocommit = True
        with conn.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
        conn.close()
        return self.url(name)


def _wait_ready(cluster: Cluster, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready = subprocess.run(
            ["pg_isready", "-q", "-h", "127.0.0.1", "-p", str(cluster.port)], check=False
        )
        if ready.returncode == 0:
            return
        time.sleep(0.1)
    raise RuntimeError(f"cluster {cluster.name} did not start")


@pytest.fixture(scope="session")
def own_pg() -> Iterator[Cluster]:
    """A throwaway cluster (trust on loopback), dropped at the end of the session."""
    if shutil.which("pg_createcluster") is None:
        pytest.fail("pg_createcluster is needed (postgresql-common)")
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    cluster = Cluster(version, f"genie-rel-{os.getpid()}", free_port())
    initdb = ["--auth=trust", "--auth-local=trust"]
    subprocess.run(
        ["pg_createcluster", version, cluster.name, "-p", str(cluster.port), "--", *initdb],
        check=True,
        capture_output=True,
        timeout=120,
    )
    try:
        cluster.ctl("start")
        _wait_ready(cluster)
        yield cluster
    finally:
        subprocess.run(
            ["pg_dropcluster", "--stop", version, cluster.name], check=False, timeout=120
        )


async def raw_request(
    port: int, head: str, body: bytes = b"", *, local: str = "127.0.0.1", timeout: float = 10
) -> tuple[int, dict[str, str], bytes]:
    """One HTTP/1.1 request over a fresh socket: (status, headers, body)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port, local_addr=(local, 0))
    try:
        writer.write(head.encode("latin-1") + body)
        await writer.drain()
        raw = await asyncio.wait_for(reader.read(), timeout)
    finally:
        writer.close()
    header_block, _, payload = raw.partition(b"\r\n\r\n")
    lines = header_block.decode("latin-1").split("\r\n")
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return int(lines[0].split()[1]), headers, payload


def request_head(method: str, path: str, headers: dict[str, str]) -> str:
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", "Connection: close"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    return "\r\n".join(lines) + "\r\n\r\n"
