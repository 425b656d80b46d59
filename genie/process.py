"""genie's two long-running processes, ``genie serve`` and ``genie worker``, and
how they stop.

**SIGTERM (or SIGINT) stops a node gracefully**, within ``GENIE_SHUTDOWN_GRACE``
seconds:

* ``genie serve`` stops accepting connections at once (uvicorn closes its
  sockets), lets in-flight requests finish, and cancels those still running when
  the grace is over (an upload cut that way leaves no row and no file). Its job
  worker stops claiming at the same moment, not after the requests.
* Running jobs, in either process, get what is left of the same grace to finish;
  the rest are cancelled and **handed back to the queue** (``queued`` again, the
  attempt not counted: :meth:`genie.job_worker.Worker.stop`), for another worker to
  claim at once rather than after their lease.

A second SIGINT to ``genie serve`` quits at once (uvicorn's behaviour).
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import signal
from collections.abc import Callable
from types import FrameType

import uvicorn

from genie import logs, migrate
from genie.bodyguard import MAX_HEADER_BYTES
from genie.metrics import serve_metrics
from genie.settings import Settings

log = logging.getLogger("genie.process")


class _Server(uvicorn.Server):
    """uvicorn's server, which also tells ``on_exit`` (from the event loop) that a
    stop was asked for, so the job worker drains alongside the requests."""

    def __init__(self, config: uvicorn.Config, on_exit: Callable[[], None]) -> None:
        super().__init__(config)
        self._on_exit = on_exit

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        super().handle_exit(sig, frame)
        with contextlib.suppress(RuntimeError):  # no loop running: nothing to drain
            asyncio.get_running_loop().call_soon_threadsafe(self._on_exit)


#: The cyclic collector's thresholds for a server: (young, middle, old generations).
GC_THRESHOLDS = (20_000, 20, 20)


def tune_gc() -> None:
    """Freeze what start-up built, and collect the young generation less often.

    A list request allocates thousands of container objects (rows, dicts), so with
    Python's default threshold of 700 the collector ran several young collections
    per request, and every tenth of those scanned the middle generation. Frozen
    start-up objects (the specs, the app, the modules) are never scanned again.
    Live A/B under wrk (bench/README.md, fifth round): 592 -> 563 µs of CPU per
    list request, and a shorter tail. Garbage in cycles still goes, in batches.
    """
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


def serve(settings: Settings, host: str, port: int, log_level: str) -> None:
    """``genie serve``: migrate, then serve both APIs with uvicorn until stopped."""
    from genie.app import create_app
    from genie.storage import FilesystemStorage

    migrate.upgrade(settings.database_url)
    if settings.s3 is None:
        FilesystemStorage(settings.data_dir).clear_staging()
    app = create_app(settings)
    tune_gc()
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level=log_level,
        log_config=logs.logging_config(settings.log_format, log_level),
        # genie.access replaces uvicorn's access line, which prints query strings.
        access_log=False,
        proxy_headers=True,
        server_header=False,
        timeout_graceful_shutdown=settings.shutdown_grace,
        # Slow and greedy clients (genie.bodyguard has the rest): 503 past this many
        # connections, idle keep-alives closed, header blocks capped.
        limit_concurrency=settings.limit_concurrency,
        timeout_keep_alive=settings.keep_alive,
        h11_max_incomplete_event_size=MAX_HEADER_BYTES,
    )
    jobs = app.runtime.jobs
    _Server(config, on_exit=lambda: jobs.drain(settings.shutdown_grace)).run()


async def _run_worker(
    settings: Settings, kinds: frozenset[str] | None, metrics: tuple[str, int] | None
) -> None:
    from genie.runtime import Runtime

    runtime = Runtime.build(settings)
    if kinds:
        runtime.jobs.kinds = kinds
    if metrics is not None:
        exporter = serve_metrics(runtime.metrics, *metrics, token=settings.metrics_token)
        log.info("worker metrics on http://%s:%d/metrics", *exporter.server_address[:2])
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    runtime.jobs.start()
    log.info("worker started (%s)", ", ".join(sorted(kinds)) if kinds else "every kind")
    try:
        await stop.wait()
        log.info("worker stopping: running jobs have %.0f s", settings.shutdown_grace)
    finally:
        await runtime.close()


def work(
    settings: Settings,
    kinds: frozenset[str] | None,
    *,
    metrics: tuple[str, int] | None = None,
    log_level: str = "info",
) -> None:
    """``genie worker``: run jobs until SIGTERM or SIGINT, then hand back the rest.
    ``metrics`` is the (host, port) to serve ``/metrics`` on, if any."""
    logs.configure(settings.log_format, log_level)
    migrate.upgrade(settings.database_url)
    asyncio.run(_run_worker(settings, kinds, metrics))
