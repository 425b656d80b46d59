"""Soak: a mixed Djinn and DjaoDjin workload against a real ``genie serve`` on
PostgreSQL, at 32 connections on loopback, bounded in time (``--minutes``).

Per minute: requests per second, p50/p99/max latency, errors, server RSS, and
database connections. Pass: 0 errors; RSS growth over the last 5 minutes under
10 MiB; p99 of the last minute within 1.5x of the first. Writes the figures to
``docs/soak-last.json`` and exits 1 when a criterion fails.

    tox -e soak            # or: python bench/soak.py --minutes 10
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psycopg2

ROOT = Path(__file__).resolve().parent.parent
PG = os.environ.get("GENIE_TEST_PG", "postgresql://postgres@127.0.0.1:5432")
CONNECTIONS = 32
MIB = os.urandom(1024 * 1024)


@dataclass
class Minute:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    rss_kib: int = 0
    db_connections: int = 0


def _genie(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "genie", *args], env=env, check=True,
                          capture_output=True, text=True)  # fmt: skip
    return done.stdout.strip()


def _database() -> str:
    name = f"genie_soak_{os.getpid()}"
    conn = psycopg2.connect(f"{PG}/postgres")
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    conn.close()
    return f"{PG}/{name}"


def _rss(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def _db_connections(url: str) -> int:
    conn = psycopg2.connect(url)
    with conn.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()")
        count = int(cursor.fetchone()[0])
    conn.close()
    return count - 1


async def _one(client: httpx.AsyncClient, n: int, auth: dict[str, dict[str, str]]) -> bool:
    """One step of the mix; whether every answer was the expected one."""
    djinn, dj = auth["djinn"], auth["djaodjin"]
    step = n % 5
    if step == 0:
        r = await client.get("/djinn/objects", headers=djinn)
        return r.status_code == 200
    if step == 1:
        r = await client.post(f"/djinn/objects?name=s{n}", content=MIB, headers=djinn)
        if r.status_code != 201:
            return False
        shown = await client.get(f"/djinn/objects/{r.json()['id']}", headers=djinn)
        gone = await client.delete(f"/djinn/objects/{r.json()['id']}", headers=djinn)
        return shown.status_code == 200 and gone.status_code == 204
    if step == 2:
        r = await client.get("/api/containers/soak/apps/", headers=dj)
        return r.status_code == 200
    if step == 3:
        r = await client.post("/api/containers/soak/apps/", json={"slug": f"s{n}"}, headers=dj)
        if r.status_code != 201:
            return False
        gone = await client.delete(f"/api/containers/soak/apps/s{n}/", headers=dj)
        return gone.status_code == 204
    r = await client.get("/djinn/namespaces", headers=djinn)
    return r.status_code == 200


async def _load(url: str, auth: dict[str, dict[str, str]], minutes: int, pid: int,
                database: str) -> list[Minute]:  # fmt: skip
    start = time.monotonic()
    end = start + 60 * minutes
    stats = [Minute() for _ in range(minutes)]
    counter = iter(range(10**9))
    limits = httpx.Limits(max_connections=CONNECTIONS)

    async def worker(client: httpx.AsyncClient) -> None:
        while (now := time.monotonic()) < end:
            minute = stats[min(int((now - start) // 60), minutes - 1)]
            began = time.monotonic()
            try:
                ok = await _one(client, next(counter), auth)
            except httpx.HTTPError:
                ok = False
            minute.latencies.append(time.monotonic() - began)
            minute.errors += not ok

    async def sampler() -> None:
        for index in range(minutes):
            await asyncio.sleep(max(0.0, start + 60 * (index + 1) - 1 - time.monotonic()))
            stats[index].rss_kib = _rss(pid)
            stats[index].db_connections = await asyncio.to_thread(_db_connections, database)

    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=60) as client:
        await asyncio.gather(sampler(), *(worker(client) for _ in range(CONNECTIONS)))
    return stats


def _report(stats: list[Minute]) -> dict[str, object]:
    rows = []
    for index, m in enumerate(stats):
        ordered = sorted(m.latencies) or [0.0]
        rows.append({
            "minute": index + 1, "requests": len(m.latencies),
            "rps": round(len(m.latencies) / 60, 1),
            "p50_ms": round(statistics.median(ordered) * 1000, 1),
            "p99_ms": round(ordered[int(len(ordered) * 0.99) - 1] * 1000, 1),
            "max_ms": round(ordered[-1] * 1000, 1), "errors": m.errors,
            "rss_mib": round(m.rss_kib / 1024, 1), "db_connections": m.db_connections,
        })  # fmt: skip
    tail = rows[-5:]
    growth = tail[-1]["rss_mib"] - tail[0]["rss_mib"]  # type: ignore[operator]
    checks = {
        "errors": sum(r["errors"] for r in rows) == 0,  # type: ignore[misc]
        "rss_growth_last_5_min_under_10_mib": growth < 10,
        "p99_last_within_1_5x_first": rows[-1]["p99_ms"] <= 1.5 * rows[0]["p99_ms"],  # type: ignore[operator]
    }
    return {"minutes": rows, "rss_growth_mib": round(growth, 1), "checks": checks}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=int, default=10)
    parser.add_argument("--port", type=int, default=0, help="0: a free loopback port")
    args = parser.parse_args()
    if not args.port:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            args.port = sock.getsockname()[1]
    database = _database()
    data = Path(tempfile.mkdtemp(prefix="genie-soak-"))
    env = {**os.environ, "GENIE_DATABASE_URL": database, "GENIE_DATA_DIR": str(data),
           "GENIE_LOG_FORMAT": "json"}  # fmt: skip
    _genie(env, "users", "create", "soak", "--email", "soak@example.com")
    token = _genie(
        env, "tokens", "create", "soak", "--scopes", "object:read,write,delete namespace:read"
    )
    key = _genie(env, "apikeys", "create", "soak")
    _genie(env, "orgs", "create", "soak", "--manager", "soak")
    basic = "Basic " + base64.b64encode(f"{key}:".encode()).decode()
    auth = {"djinn": {"Authorization": f"Bearer {token}"}, "djaodjin": {"Authorization": basic}}
    server = subprocess.Popen([sys.executable, "-m", "genie", "serve", "--port", str(args.port),
                               "--log-level", "warning"], env=env)  # fmt: skip
    url = f"http://127.0.0.1:{args.port}"
    try:
        for _ in range(300):
            try:
                if httpx.get(f"{url}/healthz").status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        stats = asyncio.run(_load(url, auth, args.minutes, server.pid, database))
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=30)
    report = _report(stats)
    (ROOT / "docs" / "soak-last.json").write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))
    return 0 if all(report["checks"].values()) else 1  # type: ignore[union-attr]


if __name__ == "__main__":
    sys.exit(main())
