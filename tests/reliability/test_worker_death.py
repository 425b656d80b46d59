"""A worker dies mid-job: the job's lease runs out and another worker runs it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from tests.conftest import LiveServer, _live_server
from tests.reliability.conftest import record

LEASE = 5


@pytest.fixture
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with _live_server(tmp_path_factory, "lease", {"GENIE_JOB_LEASE": str(LEASE)}) as live:
        yield live


def _worker(server: LiveServer) -> subprocess.Popen[bytes]:
    argv = [sys.executable, "-m", "genie", "worker", "--kind", "webhook.deliver"]
    return subprocess.Popen(argv, env=server.environ, stderr=subprocess.DEVNULL)


def test_a_worker_killed_mid_job(server: LiveServer) -> None:
    arrivals: list[float] = []

    class Hook(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            arrivals.append(time.monotonic())
            self.rfile.read(int(self.headers["Content-Length"]))
            if len(arrivals) == 1:
                time.sleep(8)  # the first worker dies while it waits
            self.send_response(204)
            self.end_headers()

        def log_message(self, *_args: object) -> None:
            return

    receiver = ThreadingHTTPServer(("127.0.0.1", 0), Hook)
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    hook_url = f"http://127.0.0.1:{receiver.server_address[1]}/hook"
    with httpx.Client(base_url=server.url, headers=server.auth) as client:
        assert client.post("/djinn/namespaces", json={"name": "leased"}).status_code == 201
        made = client.post("/djinn/n/live/leased/-/webhooks", json={"payload_url": hook_url})
        assert made.status_code == 201
        event = {"key": "LEASED", "value": "v", "namespace": "leased"}
        assert client.post("/djinn/variables", json=event).status_code == 201
    first = _worker(server)
    deadline = time.monotonic() + 30
    while not arrivals and time.monotonic() < deadline:
        time.sleep(0.05)
    assert arrivals, "the first worker never delivered"
    os.kill(first.pid, signal.SIGKILL)
    first.wait(timeout=10)
    killed = time.monotonic()
    second = _worker(server)
    try:
        while len(arrivals) < 2 and time.monotonic() < killed + 30:
            time.sleep(0.05)
    finally:
        second.send_signal(signal.SIGINT)
        second.wait(timeout=20)
        receiver.shutdown()
    assert len(arrivals) == 2, "the job was not run again"
    again = arrivals[1] - killed
    assert again < LEASE + 3
    record(
        "a worker dies mid-job",
        f"GENIE_JOB_LEASE={LEASE}; genie worker killed with SIGKILL while delivering a "
        "webhook (the receiver stalls); a second genie worker started at once",
        f"the first attempt began {killed - arrivals[0]:.1f} s before the kill; the second "
        f"worker delivered it {again:.1f} s after the kill",
        0,
    )
