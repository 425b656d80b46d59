"""CPU time per request, genie against the reference, in one process: the low-noise
companion of ``bench/run.py``.

wrk's requests per second on two shared cores move by ±10-25% between runs,
which hides a change worth 5%. This drives both ASGI apps directly (no sockets,
no HTTP parsing, no load generator competing for the cores), interleaved in
short batches, and reports the median **process CPU time per request** of each.
The database is the same real PostgreSQL; its own CPU is not counted (another
process), so the figure is what genie's Python costs. Use it to A/B a change:

    python bench/cpu.py                       # list, then JSON create
    python bench/cpu.py --only list --batches 40

Beside genie and the Starlette reference it drives the raw floor
(``bench/floor.py``) and the FastAPI peer (``bench/fastapi_app.py``), and checks
issue 17's CPU targets: genie at most 2.0x the floor's CPU per list request and
2.5x per JSON create, and genie with response validation on (``validated``,
scenario 1b) serving at least 0.6x the list requests of genie without it on the
same CPU (exit status 1 when one fails).
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import itertools
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import run as harness  # noqa: E402 - the path above makes the import work

App = Callable[[dict[str, Any], Any, Any], Awaitable[None]]


class Client:
    """Calls an ASGI app with one in-memory request at a time."""

    def __init__(self, name: str, app: App, token: str) -> None:
        self.name = name
        self.app = app
        self.token = token
        self.counter = itertools.count()

    async def start(self) -> None:
        """Run the app's lifespan start-up, as a server would."""
        inbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        outbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        await inbox.put({"type": "lifespan.startup"})
        scope = {"type": "lifespan", "asgi": {"version": "3.0"}, "state": {}}
        self._lifespan = asyncio.create_task(self.app(scope, inbox.get, outbox.put))
        self._inbox = inbox
        started = await outbox.get()
        if started["type"] != "lifespan.startup.complete":
            raise RuntimeError(f"lifespan start-up failed: {started}")

    async def request(self, method: str, path: str, body: bytes = b"") -> int:
        headers = [
            (b"host", b"127.0.0.1:8000"),
            (b"authorization", f"Bearer {self.token}".encode()),
        ]
        if body:
            headers += [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ]
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": method,
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "query_string": b"",
            "root_path": "",
            "headers": headers,
            "client": ("127.0.0.1", 50000),
            "server": ("127.0.0.1", 8000),
            "extensions": {},
            "state": {},
        }
        messages = [{"type": "http.request", "body": body, "more_body": False}]
        status = 0

        async def receive() -> dict[str, Any]:
            if messages:
                return messages.pop()
            await asyncio.Event().wait()  # the client stays connected
            raise AssertionError("unreachable")

        async def send(message: dict[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]

        await self.app(scope, receive, send)
        return status


SCENARIOS: dict[str, tuple[str, str, Callable[[Client], bytes], int]] = {
    # name: (method, path, body for the next request, expected status)
    "list": ("GET", "/djinn/objects", lambda c: b"", 200),
    "create": (
        "POST",
        "/djinn/namespaces",
        lambda c: b'{"name": "%s%d"}' % (c.name[:3].encode(), next(c.counter)),
        201,
    ),
}


#: The issue's targets: genie's CPU per request at most this many times the floor's.
FLOOR_TARGETS = {"list": 2.0, "create": 2.5}
#: Scenario 1b: genie with response validation on serves at least this share of the
#: requests genie without it serves, on the same CPU (genie's CPU / its CPU).
VALIDATED_TARGET = 0.6


async def measure(clients: dict[str, Client], scenario: str, batch: int, batches: int) -> bool:
    method, path, body, expected = SCENARIOS[scenario]
    for name, client in clients.items():
        for _ in range(20):  # warm-up: caches, prepared statements, the pool
            status = await client.request(method, path, body(client))
            if status != expected:
                raise SystemExit(f"{name}: {method} {path} answered {status}, not {expected}")
    cpu: dict[str, list[float]] = {name: [] for name in clients}
    for _ in range(batches):
        for name, client in clients.items():
            started = time.process_time()
            for _ in range(batch):
                await client.request(method, path, body(client))
            cpu[name].append((time.process_time() - started) / batch * 1e6)
    median = {name: statistics.median(samples) for name, samples in cpu.items()}
    genie = median["genie"]
    print(f"{scenario}: µs of CPU per request ({batches} interleaved batches of {batch})")
    for name, value in median.items():
        print(f"  {name:>9} {value:6.0f}   genie/{name} {genie / value:.2f}x")
    target = FLOOR_TARGETS[scenario]
    passed = genie / median["floor"] <= target
    verdict = "pass" if passed else "FAIL"
    print(f"  target: genie <= {target}x the floor: {genie / median['floor']:.2f}x, {verdict}")
    if scenario == "list" and "validated" in median:
        share = genie / median["validated"]
        ok = share >= VALIDATED_TARGET
        print(
            f"  target (1b): with response validation >= {VALIDATED_TARGET}x genie without:"
            f" {share:.2f}x, {'pass' if ok else 'FAIL'}"
        )
        passed = passed and ok
    return passed


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", default="list,create", help="scenarios: list, create")
    parser.add_argument("--batch", type=int, default=100, help="requests per batch")
    parser.add_argument("--batches", type=int, default=20, help="batches per app")
    args = parser.parse_args()

    print(f"bench: fresh database {harness.DATABASE} ...", flush=True)
    url = harness.fresh_database()
    token = harness.bulk_load(url, "small", 1000)
    data_dir = tempfile.mkdtemp(prefix="genie-cpu-")  # the master key and any files
    os.environ.update(harness.env_for(url, GENIE_JOBS_WORKER="0", GENIE_DATA_DIR=data_dir))

    from bench import fastapi_app, floor, reference
    from genie.app import create_app
    from genie.settings import Settings

    validating = dataclasses.replace(Settings.from_env(), validate_responses=True)
    clients = {
        "genie": Client("genie", create_app(), token),
        "validated": Client("validated", create_app(validating), token),
        "reference": Client("reference", reference.app, token),
        "floor": Client("floor", floor.app, token),
        "fastapi": Client("fastapi", fastapi_app.app, token),
    }
    try:
        for client in clients.values():
            await client.start()
        passed = [
            await measure(clients, scenario.strip(), args.batch, args.batches)
            for scenario in args.only.split(",")
        ]
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
    if not all(passed):
        sys.exit(1)


if __name__ == "__main__":
    asyncio.run(main())
