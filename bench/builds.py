"""Scenario 8: trivial one-job ``os`` builds (``echo hi``) run by one ``genie worker``
subprocess on PostgreSQL, submitted through a ``genie serve`` that runs no jobs.

* **Submit-to-start latency** (p50, p99): builds submitted one at a time, each once
  the worker is idle (the previous one ended). Measured from the server's own
  timestamps, ``started_at - created_at``: ``created_at`` is stamped inside the
  submitting transaction, before its commit and the 201, so the figure is an upper
  bound of "from the 201 to ``running``" (it includes the commit and the answer),
  and it has no client polling in it.
* **Builds per second**, end to end: ``--builds`` builds submitted back to back
  (one client connection), from the first submission (client clock) until the
  last of them is terminal (polled every 20 ms on the database).

Targets (issue 13): p50 <= 250 ms, at least 10 builds/s.

    python bench/run.py --only 8 [--builds 200]
    python bench/builds.py [--builds 200] [--latency-builds 40]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx
import psycopg2

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import run as harness  # noqa: E402 - the path above makes the import work

MANIFEST = "driver:\n  type: os\nstages: [one]\njobs:\n- stage: one\n  commands:\n  - echo hi\n"
ENDED = ("passed", "passed_with_failures", "failed", "killed", "timed_out")
SETTINGS = {"GENIE_DRIVERS": "os", "GENIE_JOBS_WORKER": "0"}


def _token(url: str) -> str:
    environ = harness.env_for(url)

    def genie(*args: str) -> str:
        argv = [sys.executable, "-m", "genie", *args]
        done = subprocess.run(argv, env=environ, capture_output=True, text=True, check=True)
        return done.stdout.strip()

    genie("users", "create", "builder", "--email", "builder@example.com")
    return genie("tokens", "create", "builder", "--scopes", "build:read,write,delete")


def _worker(url: str) -> subprocess.Popen[bytes]:
    argv = [sys.executable, "-m", "genie", "worker", "--kind", "build", "--log-level", "warning"]
    return subprocess.Popen(argv, env=harness.env_for(url, **SETTINGS), cwd=ROOT)


def _rows(url: str, query: str, *params: object) -> list[tuple[object, ...]]:
    conn = psycopg2.connect(url)
    try:
        with conn, conn.cursor() as cur:
            cur.execute(query, params)
            return list(cur.fetchall())
    finally:
        conn.close()


def _wait_ended(url: str, ids: list[int], timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    query = "SELECT count(*) FROM builds WHERE id = ANY(%s) AND status = ANY(%s)"
    while _rows(url, query, ids, list(ENDED))[0][0] < len(ids):
        if time.monotonic() > deadline:
            harness.die(f"builds: not all {len(ids)} builds ended within {timeout} s")
        time.sleep(0.02)


def _submit(client: httpx.Client) -> int:
    made = client.post("/djinn/builds", json={"manifest": MANIFEST})
    if made.status_code != 201:
        harness.die(f"builds: submission answered {made.status_code}: {made.text}")
    return int(made.json()["id"])


def _latencies(url: str, client: httpx.Client, count: int) -> list[float]:
    """Submit-to-start of ``count`` builds, one at a time, in milliseconds."""
    ids = []
    for _ in range(count):
        ids.append(_submit(client))
        _wait_ended(url, ids[-1:])
    rows = _rows(
        url,
        "SELECT extract(epoch FROM started_at - created_at) * 1000 FROM builds"
        " WHERE id = ANY(%s) AND started_at IS NOT NULL",
        ids,
    )
    return [float(ms) for (ms,) in rows]  # type: ignore[arg-type]


def _throughput(url: str, client: httpx.Client, count: int) -> float:
    started = time.monotonic()
    ids = [_submit(client) for _ in range(count)]
    _wait_ended(url, ids)
    return count / (time.monotonic() - started)


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def measure(args: argparse.Namespace, url: str) -> tuple[list[float], list[float]]:
    """Latencies (ms, every round's) and builds/s (one figure a round)."""
    token = _token(url)
    server = harness.start_genie("genie", harness.env_for(url, **SETTINGS))
    worker = _worker(url)
    headers = {"Authorization": f"Bearer {token}"}
    latencies: list[float] = []
    rates: list[float] = []
    try:
        with httpx.Client(base_url=server.url, headers=headers, timeout=30) as client:
            _latencies(url, client, 5)  # warm-up: the worker's first build imports drivers
            for _ in range(args.rounds):
                latencies += _latencies(url, client, args.latency_builds)
                rates.append(_throughput(url, client, args.builds))
    finally:
        worker.send_signal(2)
        worker.wait(timeout=30)
        server.stop()
    return latencies, rates


def scenario_builds(args: argparse.Namespace, url: str) -> list[harness.Result]:
    latencies, rates = measure(args, url)
    p50, p99 = _percentile(latencies, 50), _percentile(latencies, 99)
    rate = statistics.median(rates)
    note = (
        f"{len(latencies)} builds one at a time (server timestamps, created_at to "
        f"started_at); {args.builds} builds back to back x {args.rounds} rounds"
    )
    return [
        harness.Result(
            "8a. build submit-to-start p50", p50, 250.0, "ms", "<= 250 ms", p50 <= 250, note
        ),
        harness.Result("8b. build submit-to-start p99", p99, 0.0, "ms", "—", None),
        harness.Result(
            "8c. builds per second, end to end",
            rate,
            10.0,
            "builds/s",
            ">= 10/s",
            rate >= 10,
            "",
            {"latency_ms": latencies, "builds_per_s": rates},
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--builds", type=int, default=200, help="builds per throughput round")
    parser.add_argument("--latency-builds", type=int, default=40, help="per latency round")
    args = parser.parse_args()
    harness.DATABASE = "genie_bench_builds"  # alone: beside, not over, a full run's database
    results = scenario_builds(args, harness.fresh_database())
    print(harness.table(results))


if __name__ == "__main__":
    main()
