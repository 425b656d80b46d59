"""PostgreSQL restarts under load: 503s with Retry-After during the outage, every
request served again within 5 s of the database being back, without restarting
genie, and nothing that got a 2xx lost (rows, and the webhook deliveries the
job worker owes for them)."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import psycopg2
import pytest

from tests.conftest import LiveServer, _live_server
from tests.reliability.conftest import Cluster, record

CLIENTS = 4
RECOVERY = 5.0


@dataclass
class Receiver:
    """A webhook receiver on loopback: the variable keys delivered to it."""

    keys: set[str] = field(default_factory=set)
    server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.server_address[1]}/hook"


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    found = Receiver()

    class Hook(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            found.keys.add(body.get("variable", {}).get("key", ""))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *_args: object) -> None:
            return

    found.server = ThreadingHTTPServer(("127.0.0.1", 0), Hook)
    thread = threading.Thread(target=found.server.serve_forever, daemon=True)
    thread.start()
    yield found
    found.server.shutdown()


@pytest.fixture
def server(tmp_path_factory: pytest.TempPathFactory, own_pg: Cluster) -> Iterator[LiveServer]:
    url = own_pg.create_database(f"outage_{int(time.time() * 1000)}")
    # A job whose outcome could not be recorded runs again once its lease ends.
    extra = {"GENIE_JOBS_WORKER": "1", "GENIE_LOG_FORMAT": "text", "GENIE_JOB_LEASE": "5"}
    with _live_server(tmp_path_factory, "outage", extra, database_url=url) as live:
        yield live


@dataclass
class Load:
    """What the client loop saw: (time, status, retry-after, body) per request."""

    seen: list[tuple[float, int, str | None, str]] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    stop: bool = False


async def _client(server: LiveServer, load: Load, index: int) -> None:
    async with httpx.AsyncClient(base_url=server.url, headers=server.auth, timeout=30) as client:
        n = 0
        while not load.stop:
            n += 1
            key = f"K{index}_{n}"
            body = {"key": key, "value": "v", "namespace": "outage"}
            for response in (
                await client.post("/djinn/variables", json=body),
                await client.get("/djinn/variables"),
            ):
                retry = response.headers.get("retry-after")
                load.seen.append((time.monotonic(), response.status_code, retry, response.text))
            if load.seen[-2][1] == 201:
                load.written.append(key)
            await asyncio.sleep(0.01)


async def _outage(server: LiveServer, cluster: Cluster, load: Load) -> list[tuple[float, float]]:
    """Restart the cluster, then stop it for 3 s: when each outage began and ended."""
    clients = [asyncio.create_task(_client(server, load, i)) for i in range(CLIENTS)]
    await asyncio.sleep(2)
    windows = []
    down = time.monotonic()
    await asyncio.to_thread(cluster.ctl, "restart")
    windows.append((down, time.monotonic()))
    await asyncio.sleep(RECOVERY + 2)
    down = time.monotonic()
    await asyncio.to_thread(cluster.ctl, "stop")
    await asyncio.sleep(3)
    await asyncio.to_thread(cluster.ctl, "start")
    windows.append((down, time.monotonic()))
    await asyncio.sleep(RECOVERY + 3)
    load.stop = True
    await asyncio.gather(*clients)
    return windows


def _check(load: Load, windows: list[tuple[float, float]]) -> tuple[int, float]:
    """Statuses allowed, 503s well formed, served within RECOVERY; (503s, slowest)."""
    unavailable = 0
    slowest = 0.0
    for at, status, retry, text in load.seen:
        assert status in (200, 201, 503), (status, text)
        if status == 503:
            unavailable += 1
            assert retry is not None and int(retry) > 0
            assert json.loads(text) == {"message": "The database is unavailable; retry shortly."}
            during = [at - back for down, back in windows if down <= at < back + RECOVERY]
            assert during, f"a 503 outside the outages and their {RECOVERY} s of recovery"
            slowest = max(slowest, *during)
    return unavailable, slowest


def test_postgresql_restarts_under_load(
    server: LiveServer, own_pg: Cluster, receiver: Receiver
) -> None:
    with httpx.Client(base_url=server.url, headers=server.auth) as client:
        assert client.post("/djinn/namespaces", json={"name": "outage"}).status_code == 201
        hook = client.post("/djinn/n/live/outage/-/webhooks", json={"payload_url": receiver.url})
        assert hook.status_code == 201, hook.text
    load = Load()
    windows = asyncio.run(_outage(server, own_pg, load))
    unavailable, slowest = _check(load, windows)
    assert unavailable > 0, "the stop should have been seen"
    conn = psycopg2.connect(server.database_url)
    with conn.cursor() as cursor:
        cursor.execute("SELECT key FROM variables")
        stored = {row[0] for row in cursor.fetchall()}
    conn.close()
    missing = set(load.written) - stored
    assert not missing
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not set(load.written) <= receiver.keys:
        time.sleep(0.2)
    undelivered = set(load.written) - receiver.keys
    assert not undelivered, f"{len(undelivered)} deliveries never made"
    log = (server.data_dir.parent / "outage-server.log").read_text(errors="replace")
    assert "could not claim jobs" in log
    assert "Traceback" not in "".join(text for *_, text in load.seen)
    record(
        "PostgreSQL restarts under load",
        f"{CLIENTS} clients writing variables (each firing a webhook) and listing; "
        "pg_ctlcluster restart, then stop for 3 s and start",
        f"{len(load.seen)} requests: {unavailable} x 503 with Retry-After and a JSON body, "
        f"no 500; the last 503 {slowest:.1f} s after the database was back; the worker "
        f"logged the outage and delivered all {len(load.written)} webhooks (GENIE_JOB_LEASE=5: "
        "a delivery whose outcome could not be recorded ran again)",
        len(missing) + len(undelivered),
    )
