"""Prometheus metrics of one process (``GET /metrics``, ``genie worker --metrics-port``).

Each :class:`~genie.runtime.Runtime` has one :class:`Metrics`, with a registry of
its own. What is counted where:

============================================  =========================================
``genie_http_requests_total``                 requests, by ``operation`` (the API and
                                              operationId, ``djinn.objects.index``;
                                              ``unmatched`` for none) and ``status``:
                                              :mod:`genie.observe`
``genie_http_request_duration_seconds``       their latency, same labels (histogram)
``genie_jobs_run_total``                      job attempts finished, by ``kind``: the
                                              worker (:func:`genie.jobs.execute`)
``genie_jobs_failed_total``                   of those, attempts that raised (retried
                                              or given up), by ``kind``
``genie_jobs_queued``                         jobs waiting, by ``kind`` (read from
                                              the ``jobs`` table when scraped)
``genie_jobs_running``                        jobs claimed by some worker, by ``kind``
``genie_jobs_oldest_age_seconds``             how long the oldest *due* waiting job
                                              of the kind has waited for a worker
``genie_build_duration_seconds``              builds, by final ``status``:
                                              :meth:`Metrics.build_finished`
``genie_db_pool_in_use``, ``_size``           this process's connection pool
``process_*``, ``python_*``                   prometheus-client's own collectors
============================================  =========================================

Counters and histograms are per process: Prometheus scrapes every node and sums.
The job-queue gauges come from the shared database, so every node reports the
same values: aggregate them with ``max``, not ``sum``.

Who may scrape (:func:`refusal`): clients on loopback, or anyone presenting
``Authorization: Bearer <GENIE_METRICS_TOKEN>`` (compared in constant time).
Otherwise 401 when a token is configured, 403 when none is.
"""

from __future__ import annotations

import asyncio
import functools
import hmac
import ipaddress
import logging
import threading
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from typing import Any
from wsgiref.simple_server import WSGIServer, make_server

import orjson
from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    GCCollector,
    Histogram,
    PlatformCollector,
    ProcessCollector,
    disable_created_metrics,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.exposition import (
    CONTENT_TYPE_PLAIN_0_0_4,
    ThreadingWSGIServer,
    _SilentHandler,
)
from prometheus_client.registry import Collector
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from models import jobs as job_rows
from models.base import utcnow

log = logging.getLogger("genie.metrics")

# No ``*_created`` sample beside every counter and histogram: twice the series
# for a start time that ``process_start_time_seconds`` already gives.
disable_created_metrics()

CONTENT_TYPE = CONTENT_TYPE_PLAIN_0_0_4
FORBIDDEN = "Forbidden: metrics are open to loopback clients only (see GENIE_METRICS_TOKEN)"
#: Seconds a scrape waits for the job-queue query before answering without it.
QUEUE_TIMEOUT = 2.0
UNMATCHED = "unmatched"
REQUEST_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300)
BUILD_BUCKETS = (1, 5, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200, 14400)


class _Pool(Collector):
    """The connection pool's use, read when scraped."""

    def __init__(self, engine: AsyncEngine, kept: Callable[[], int]) -> None:
        self.pool = engine.pool
        #: Connections checked out but idle, kept for reads (:mod:`genie.readers`).
        self.kept = kept

    def collect(self) -> Iterator[GaugeMetricFamily]:
        checked_out = getattr(self.pool, "checkedout", None)
        size = getattr(self.pool, "size", None)
        if checked_out is not None:
            yield GaugeMetricFamily(
                "genie_db_pool_in_use",
                "Database connections of this process checked out of its pool",
                value=checked_out() - self.kept(),
            )
        if size is not None:
            yield GaugeMetricFamily(
                "genie_db_pool_size",
                "Connections this process's pool keeps (it may open as many more)",
                value=size(),
            )


class Metrics:
    """The metrics of one process, and the calls that count them."""

    def __init__(self) -> None:
        registry = self.registry = CollectorRegistry()
        for collector in (ProcessCollector, PlatformCollector, GCCollector):
            collector(registry=registry)
        counter = functools.partial(Counter, registry=registry)
        gauge = functools.partial(Gauge, registry=registry)
        histogram = functools.partial(Histogram, registry=registry)
        http = ("operation", "status")
        self._requests = counter("genie_http_requests", "HTTP requests answered", http)
        self._latency = histogram(
            "genie_http_request_duration_seconds",
            "Time from a request's arrival to the end of its response",
            http,
            buckets=REQUEST_BUCKETS,
        )
        #: (operation, status) -> the two children to count it in.
        self._children: dict[tuple[str | None, int], tuple[Any, Any]] = {}
        self._jobs_run = counter("genie_jobs_run", "Job attempts finished", ("kind",))
        self._jobs_failed = counter("genie_jobs_failed", "Job attempts that raised", ("kind",))
        self._queued = gauge("genie_jobs_queued", "Jobs waiting to run", ("kind",))
        self._running = gauge("genie_jobs_running", "Jobs claimed by a worker", ("kind",))
        self._oldest = gauge(
            "genie_jobs_oldest_age_seconds",
            "How long the oldest due job has waited for a worker",
            ("kind",),
        )
        self._builds = histogram(
            "genie_build_duration_seconds",
            "Build durations, by final status",
            ("status",),
            buckets=BUILD_BUCKETS,
        )

    def request(self, operation: str | None, status: int, seconds: float) -> None:
        """Count one answered request (:mod:`genie.observe`)."""
        children = self._children.get((operation, status))
        if children is None:
            values = (operation or UNMATCHED, str(status))
            children = (self._requests.labels(*values), self._latency.labels(*values))
            self._children[(operation, status)] = children
        children[0].inc()
        children[1].observe(seconds)

    def job_finished(self, kind: str, *, ok: bool) -> None:
        """Count one job attempt that ran to its end, successful or not."""
        self._jobs_run.labels(kind).inc()
        if not ok:
            self._jobs_failed.labels(kind).inc()

    def build_finished(self, status: str, seconds: float) -> None:
        """Record a build that ended with ``status`` after ``seconds``."""
        self._builds.labels(status).observe(seconds)

    def watch_pool(self, engine: AsyncEngine, kept: Callable[[], int] = lambda: 0) -> None:
        """Report the pool's use; ``kept`` counts the connections checked out but idle."""
        self.registry.register(_Pool(engine, kept))

    async def read_queue(self, conn: AsyncConnection, now: datetime | None = None) -> None:
        """Set the job-queue gauges from the ``jobs`` table (one grouped query)."""
        now = now or utcnow()
        rows = await job_rows.queue_stats(conn, now)
        for gauge in (self._queued, self._running, self._oldest):
            gauge.clear()
        for row in rows:
            self._queued.labels(row.kind).set(row.queued)
            self._running.labels(row.kind).set(row.running)
            waited = (now - row.oldest_due).total_seconds() if row.oldest_due else 0.0
            self._oldest.labels(row.kind).set(max(0.0, waited))

    async def scrape(self, engine: AsyncEngine) -> bytes:
        """Every metric in the Prometheus text format (:data:`CONTENT_TYPE`), the
        job-queue gauges read first. A database that does not answer leaves them
        out rather than failing the scrape: that is when the rest matters most."""
        try:
            async with asyncio.timeout(QUEUE_TIMEOUT), engine.connect() as conn:
                await self.read_queue(conn)
        except Exception as exc:
            log.warning("metrics: job queue not read: %s", type(exc).__name__)
            for gauge in (self._queued, self._running, self._oldest):
                gauge.clear()
        return self.exposition()

    def exposition(self) -> bytes:
        """Every metric in the Prometheus text format, as they stand."""
        return generate_latest(self.registry)


def is_loopback(host: str | None) -> bool:
    """Whether ``host`` (a client address) is a loopback address."""
    if not host:
        return False
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    mapped = getattr(address, "ipv4_mapped", None)
    return bool(address.is_loopback or (mapped is not None and mapped.is_loopback))


def token_matches(presented: str, token: str | None) -> bool:
    """Whether ``presented`` is the metrics token (constant-time comparison)."""
    if not token:
        return False
    return hmac.compare_digest(presented.encode("utf-8"), token.encode("utf-8"))


def refusal(host: str | None, bearer: str | None, token: str | None) -> int | None:
    """``None`` when a client at ``host`` presenting ``bearer`` may scrape; else
    the status to refuse with: 401 when a token could open it, 403 when none can."""
    if bearer is not None and token_matches(bearer, token):
        return None
    if is_loopback(host):
        return None
    return 401 if token else 403


def bearer(authorization: str | None) -> str | None:
    """The token of an ``Authorization: Bearer ...`` header, if that is what it is."""
    scheme, _, token = (authorization or "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


_REFUSALS = {
    401: ("401 Unauthorized", {"message": "Unauthorized"}, [("WWW-Authenticate", "Bearer")]),
    403: ("403 Forbidden", {"message": FORBIDDEN}, []),
    404: ("404 Not Found", {"message": "Not Found"}, []),
}


def wsgi_app(metrics: Metrics, token: str | None) -> Callable[..., Iterable[bytes]]:
    """``GET /metrics`` of a process without the API (``genie worker``), on the
    same terms as the API's (:func:`refusal`)."""

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        status = 404 if environ.get("PATH_INFO") != "/metrics" else None
        status = status or refusal(
            environ.get("REMOTE_ADDR"), bearer(environ.get("HTTP_AUTHORIZATION")), token
        )
        if status is not None:
            line, body, headers = _REFUSALS[status]
            start_response(line, [("Content-Type", "application/json"), *headers])
            return [orjson.dumps(body)]
        start_response("200 OK", [("Content-Type", CONTENT_TYPE)])
        return [metrics.exposition()]

    return app


def serve_metrics(metrics: Metrics, host: str, port: int, *, token: str | None) -> WSGIServer:
    """Serve :func:`wsgi_app` on ``host:port`` from a daemon thread."""
    server = make_server(
        host, port, wsgi_app(metrics, token), ThreadingWSGIServer, handler_class=_SilentHandler
    )
    threading.Thread(target=server.serve_forever, name="genie-metrics", daemon=True).start()
    return server
