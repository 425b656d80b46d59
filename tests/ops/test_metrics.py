"""``GET /metrics``: what it counts, who may read it, and the worker's own."""

from __future__ import annotations

import logging
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import delete

from genie import jobs
from genie.metrics import Metrics, is_loopback, refusal, serve_metrics, wsgi_app
from models import Job
from models.base import utcnow
from tests.conftest import Env, free_port
from tests.ops.conftest import REMOTE, added, app_from, samples, scrape, value

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
TOKEN = "metrics-" + secrets.token_hex(16)


async def test_counts_each_request_by_operation_and_status(env: Env) -> None:
    alice = await env.account()
    before = await scrape(env.client)
    ok = {"operation": "djinn.objects.index", "status": "200"}
    refused = {"operation": "djinn.objects.index", "status": "401"}
    for _ in range(3):
        assert (await env.client.get("/djinn/objects", headers=alice.auth)).status_code == 200
    assert (await env.client.get("/djinn/objects")).status_code == 401
    assert (await env.client.get("/nowhere")).status_code == 404

    response = await env.client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"] == CONTENT_TYPE
    after = response.text

    assert added(before, after, "genie_http_requests_total", **ok) == 3
    assert added(before, after, "genie_http_requests_total", **refused) == 1
    assert (
        added(before, after, "genie_http_requests_total", operation="unmatched", status="404") == 1
    )
    # The histogram's count agrees, and every observation fell in some bucket.
    assert added(before, after, "genie_http_request_duration_seconds_count", **ok) == 3
    assert added(before, after, "genie_http_request_duration_seconds_bucket", le="+Inf", **ok) == 3
    assert added(before, after, "genie_http_request_duration_seconds_sum", **ok) > 0


async def _queue(env: Env, kind: str, *, due_ago: float, later: int, claimed: int) -> None:
    now = utcnow()
    async with env.runtime.sessions() as session, session.begin():
        await jobs.enqueue(session, kind, {}, delay=-due_ago)
        await jobs.enqueue(session, kind, {}, delay=-1)
        for _ in range(later):
            await jobs.enqueue(session, kind, {}, delay=3600)
        for _ in range(claimed):
            session.add(
                Job(kind=kind, payload={}, state="running", locked_until=now + timedelta(minutes=5))
            )


async def test_job_queue_depth_and_age_by_kind_come_from_the_table(env: Env) -> None:
    busy, idle = f"tests.busy.{secrets.token_hex(4)}", f"tests.idle.{secrets.token_hex(4)}"
    try:
        await _queue(env, busy, due_ago=120, later=2, claimed=1)
        async with env.runtime.sessions() as session, session.begin():
            session.add(Job(kind=idle, payload={}, state="running"))
        text = await scrape(env.client)
    finally:
        async with env.runtime.sessions() as session, session.begin():
            await session.execute(delete(Job).where(Job.kind.in_([busy, idle])))
    assert value(text, "genie_jobs_queued", kind=busy) == 4
    assert value(text, "genie_jobs_running", kind=busy) == 1
    age = value(text, "genie_jobs_oldest_age_seconds", kind=busy)
    assert age is not None and 120 <= age < 120 + 60
    assert value(text, "genie_jobs_queued", kind=idle) == 0
    assert value(text, "genie_jobs_oldest_age_seconds", kind=idle) == 0
    # Gone from the table, gone from the next scrape.
    assert value(await scrape(env.client), "genie_jobs_queued", kind=busy) is None


@jobs.job("tests.ops.succeeds")
async def _succeeds(_runtime: Any, _payload: dict[str, Any]) -> None:
    return None


@jobs.job("tests.ops.fails")
async def _fails(_runtime: Any, _payload: dict[str, Any]) -> None:
    raise jobs.Fail("on purpose")


async def test_jobs_run_and_failed_are_counted_by_the_worker(pg: Env) -> None:
    kinds = frozenset({"tests.ops.succeeds", "tests.ops.fails"})
    before = await scrape(pg.client)
    async with pg.runtime.sessions() as session, session.begin():
        for kind in ("tests.ops.succeeds", "tests.ops.succeeds", "tests.ops.fails"):
            await jobs.enqueue(session, kind, {})
    claimed = await jobs.claim(pg.runtime, limit=10, kinds=kinds)
    assert len(claimed) == 3
    for item in claimed:
        await jobs.execute(pg.runtime, item)
    after = await scrape(pg.client)
    async with pg.runtime.sessions() as session, session.begin():
        await session.execute(delete(Job).where(Job.kind.in_(sorted(kinds))))

    assert added(before, after, "genie_jobs_run_total", kind="tests.ops.succeeds") == 2
    assert added(before, after, "genie_jobs_failed_total", kind="tests.ops.succeeds") == 0
    assert added(before, after, "genie_jobs_run_total", kind="tests.ops.fails") == 1
    assert added(before, after, "genie_jobs_failed_total", kind="tests.ops.fails") == 1


async def test_build_durations_and_the_pool_in_use(pg: Env) -> None:
    # The runtime is shared with the other tests of the session, whose builds count too.
    before = await scrape(pg.client)
    pg.runtime.metrics.build_finished("passed", 42.0)
    async with pg.runtime.reader.connect(), pg.runtime.reader.connect():
        text = await scrape(pg.client)

    assert added(before, text, "genie_build_duration_seconds_count", status="passed") == 1
    assert (
        added(before, text, "genie_build_duration_seconds_bucket", status="passed", le="60.0") == 1
    )
    assert (
        added(before, text, "genie_build_duration_seconds_bucket", status="passed", le="30.0") == 0
    )
    in_use = value(text, "genie_db_pool_in_use")
    assert in_use is not None and in_use >= 2
    assert value(text, "genie_db_pool_size") == pg.runtime.settings.pool_size
    assert value(text, "process_resident_memory_bytes")


async def test_a_database_down_still_gives_the_rest(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    nowhere = "postgresql://postgres@127.0.0.1:1/nowhere"
    async with app_from(nowhere, tmp_path, peer=("127.0.0.1", 5)) as (client, _):
        await client.get("/healthz")
        with caplog.at_level(logging.WARNING, logger="genie.metrics"):
            text = await scrape(client)
    found = {name for name, _labels in samples(text)}
    assert "genie_http_requests_total" in found
    assert not any(name.startswith("genie_jobs_") for name in found)
    assert "metrics: job queue not read" in caplog.text


# Who may scrape: (token configured, client, Authorization header) -> status.
ACCESS = [
    (True, "loopback", None, 200),
    (True, "loopback", f"Bearer {TOKEN}", 200),
    (True, "loopback", "Bearer wrong-token-of-some-length", 200),
    (True, "loopback", "Basic dXNlcjpwYXNz", 401),
    (True, "remote", None, 401),
    (True, "remote", f"Bearer {TOKEN}", 200),
    (True, "remote", f"bearer {TOKEN}", 200),
    (True, "remote", f"Bearer {TOKEN}x", 401),
    (True, "remote", f"Bearer {TOKEN[:-1]}", 401),
    (True, "remote", "Basic dXNlcjpwYXNz", 401),
    (False, "loopback", None, 200),
    (False, "loopback", f"Bearer {TOKEN}", 200),
    (False, "remote", None, 403),
    (False, "remote", f"Bearer {TOKEN}", 403),
]


@pytest.mark.parametrize(("configured", "where", "authorization", "status"), ACCESS)
async def test_access(
    pg_url: str,
    tmp_path: Path,
    configured: bool,
    where: str,
    authorization: str | None,
    status: int,
) -> None:
    peer = ("127.0.0.1", 5) if where == "loopback" else REMOTE
    token = TOKEN if configured else None
    headers = {"Authorization": authorization} if authorization else {}
    async with app_from(pg_url, tmp_path, peer=peer, metrics_token=token) as (client, _):
        response = await client.get("/metrics", headers=headers)
    assert response.status_code == status, response.text
    if status == 200:
        assert "genie_http_requests_total" in response.text
        return
    assert "genie_" not in response.text
    if status == 401:
        assert response.json() == {"message": "Unauthorized"}
        assert response.headers["www-authenticate"] == "Bearer"
    else:
        assert response.json()["message"].startswith("Forbidden: metrics are open to loopback")


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.8.9.10", True),
        ("::1", True),
        ("::ffff:127.0.0.1", True),
        ("10.0.0.1", False),
        ("203.0.113.7", False),
        ("::ffff:10.0.0.1", False),
        ("localhost", False),
        ("", False),
        (None, False),
    ],
)
def test_loopback(host: str | None, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_refusal_compares_the_whole_token() -> None:
    assert refusal("203.0.113.7", TOKEN, TOKEN) is None
    assert refusal("203.0.113.7", TOKEN + " ", TOKEN) == 401
    assert refusal("203.0.113.7", "", TOKEN) == 401
    assert refusal("203.0.113.7", "", None) == 403
    assert refusal("203.0.113.7", "anything", "") == 403


def _call(app: Any, path: str, remote: str, authorization: str | None = None) -> tuple[str, bytes]:
    environ = {"PATH_INFO": path, "REMOTE_ADDR": remote}
    if authorization:
        environ["HTTP_AUTHORIZATION"] = authorization
    started: list[str] = []
    body = b"".join(app(environ, lambda status, _headers: started.append(status)))
    return started[0], body


def test_the_worker_exporter_applies_the_same_rule() -> None:
    metrics = Metrics()
    metrics.job_finished("webhook.deliver", ok=False)
    app = wsgi_app(metrics, TOKEN)
    status, body = _call(app, "/metrics", "203.0.113.7", f"Bearer {TOKEN}")
    assert status == "200 OK"
    assert b'genie_jobs_failed_total{kind="webhook.deliver"} 1.0' in body
    assert _call(app, "/metrics", "203.0.113.7")[0] == "401 Unauthorized"
    assert _call(app, "/metrics", "203.0.113.7", "Bearer nope")[0] == "401 Unauthorized"
    assert _call(wsgi_app(metrics, None), "/metrics", "203.0.113.7")[0] == "403 Forbidden"
    assert _call(app, "/other", "127.0.0.1")[0] == "404 Not Found"


def test_the_worker_exporter_serves_over_http() -> None:
    metrics = Metrics()
    metrics.job_finished("deploy.run", ok=True)
    server = serve_metrics(metrics, "127.0.0.1", free_port(), token=None)
    try:
        host, port = server.server_address[:2]
        response = httpx.get(f"http://{host}:{port}/metrics", timeout=10)
    finally:
        server.shutdown()
        server.server_close()
    assert response.status_code == 200
    assert response.headers["content-type"] == CONTENT_TYPE
    assert 'genie_jobs_run_total{kind="deploy.run"} 1.0' in response.text
