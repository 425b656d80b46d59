"""The background job worker: claims due jobs of the queue (:mod:`genie.jobs`) and
runs them, a few at a time, in the process that started it.

``genie serve`` runs one in its lifespan (``GENIE_JOBS_WORKER=0`` turns it off,
e.g. when ``genie worker`` runs separately), ``genie worker`` runs one alone.
It claims with ``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so several workers
share one queue, renews the leases of what it runs every third of the shortest
lease, and wakes at once when a job is enqueued: in this task (:meth:`Worker.wake`)
or, on PostgreSQL, on any node (its one ``LISTEN`` connection,
:class:`genie.wakeup.Listener`, which also carries what :meth:`Worker.listen`
adds); otherwise it polls every :data:`POLL_INTERVAL` seconds.

What runs beside a worker that runs some kind is in :data:`BESIDE` (the cron
scheduler and build kills beside one that runs builds: :func:`genie.build_worker.beside`).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import importlib
import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from sqlalchemy import update

from genie import wakeup
from genie.jobs import (
    SHORT_LEASES,
    claim,
    execute,
    lease,
    lease_until,
    load_handlers,
    take_enqueued,
)
from models.base import utcnow
from models.jobs import Job

if TYPE_CHECKING:
    from genie.runtime import Runtime

log = logging.getLogger("genie.jobs")

POLL_INTERVAL = 1.0
CONCURRENCY = 4
#: What starts beside a worker that runs a kind: the module's ``beside(worker)``
#: starts it and returns the coroutine function that stops it.
BESIDE: dict[str, str] = {"build": "genie.build_worker"}


class Worker:
    """Runs due jobs in the background of a server process."""

    def __init__(
        self,
        runtime: Runtime,
        *,
        concurrency: int = CONCURRENCY,
        kinds: frozenset[str] | None = None,
    ) -> None:
        self.runtime = runtime
        #: Run only these job kinds (a dedicated worker); None runs every kind.
        self.kinds = kinds
        self.concurrency = concurrency
        self._lease = lease(runtime)
        #: How often this worker renews the leases of what it runs.
        self._heartbeat_every = min([self._lease, *SHORT_LEASES.values()]) / 3
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        #: Stops what :data:`BESIDE` started with this worker.
        self._beside: list[Callable[[], Awaitable[None]]] = []
        #: This process's one LISTEN connection (PostgreSQL): wakes this worker when
        #: another node enqueues, and what :meth:`listen` adds.
        self._channels: dict[str, Callable[[str], None]] = {wakeup.JOBS: self._heard}
        #: Run after each (re)connection: what was enqueued meanwhile was not heard.
        self._connected: list[Callable[[], None]] = [self._wake.set]
        self._listener = wakeup.Listener(
            runtime.settings.database_url, self._channels, on_connect=self._reconnected
        )
        self._running: dict[int, asyncio.Task[bool]] = {}
        #: When draining: the loop time by which running jobs must be done.
        self._deadline: float | None = None

    def wake(self) -> None:
        """Have the worker claim, now, what this task enqueued (call it once the
        transaction has committed). When the task enqueued nothing, as on most
        writes (no webhook listens), it does nothing: a claim is a transaction of
        its own, and a poll after every write cost the JSON create a tenth of its
        throughput under load (203 -> 230 req/s with this check, same run)."""
        if take_enqueued():
            self._wake.set()

    def _heard(self, _payload: str) -> None:
        self._wake.set()

    def _reconnected(self) -> None:
        for callback in self._connected:
            callback()

    def listen(self, channel: str, callback: Callable[[str], None]) -> None:
        """Call ``callback(payload)`` for each notification on ``channel`` (call it
        before :meth:`start`)."""
        self._channels[channel] = callback

    def on_connect(self, callback: Callable[[], None]) -> None:
        """Call ``callback()`` each time the LISTEN connection is (re)made."""
        self._connected.append(callback)

    @property
    def listening(self) -> bool:
        """Whether this worker's LISTEN connection is up (never on SQLite)."""
        return self._listener.connected

    def start(self) -> None:
        load_handlers()
        for kind, module in BESIDE.items():
            if self.kinds is None or kind in self.kinds:
                self._beside.append(importlib.import_module(module).beside(self))
        self._listener.start()
        self._task = asyncio.create_task(self._loop(), name="genie-jobs")

    def drain(self, grace: float) -> None:
        """Stop claiming jobs now; those running may finish within ``grace``
        seconds from now (the first call sets the deadline). :meth:`stop` then
        hands back whatever is still running."""
        if self._deadline is None:
            self._deadline = asyncio.get_running_loop().time() + grace
        if self._task is not None:
            self._task.cancel()

    async def stop(self, grace: float = 10.0) -> None:
        """Stop claiming, let running jobs finish until the drain's deadline
        (``grace`` seconds from now when :meth:`drain` was not called), then
        cancel the rest: each cancelled job goes back to ``queued``, its attempt
        not counted (:func:`execute`), for any worker to claim at once."""
        await self._listener.stop()
        while self._beside:
            await self._beside.pop()()
        if self._task is None:
            return
        self.drain(grace)
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
        if self._running:
            assert self._deadline is not None
            left = max(0.0, self._deadline - asyncio.get_running_loop().time())
            _done, pending = await asyncio.wait(self._running.values(), timeout=left)
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
        self._task = None
        self._deadline = None

    async def _loop(self) -> None:
        last_heartbeat = utcnow()
        while True:
            # Cleared before claiming, never after: a wake-up that arrives while a
            # claim runs (its snapshot may predate the job's commit) must not be lost.
            self._wake.clear()
            try:
                free = self.concurrency - len(self._running)
                claimed = (
                    await claim(self.runtime, limit=free, kinds=self.kinds) if free > 0 else []
                )
                for item in claimed:
                    task = asyncio.create_task(execute(self.runtime, item))
                    self._running[item.id] = task
                    task.add_done_callback(functools.partial(self._done, item.id))
                if utcnow() - last_heartbeat > self._heartbeat_every and self._running:
                    await self._heartbeat()
                    last_heartbeat = utcnow()
                if claimed and len(self._running) < self.concurrency:
                    continue
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("job worker: could not claim jobs; retrying")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), POLL_INTERVAL)

    def _done(self, job_id: int, task: asyncio.Task[bool]) -> None:
        self._running.pop(job_id, None)
        self._wake.set()
        error = None if task.cancelled() else task.exception()
        if error is not None:  # its outcome could not be recorded (the database left)
            log.warning(
                "job %s: outcome not recorded (%s); it runs again when its lease ends",
                job_id,
                type(error).__name__,
            )

    async def _heartbeat(self) -> None:
        now = utcnow()
        async with self.runtime.engine.begin() as conn:
            await conn.execute(
                update(Job)
                .where(Job.id.in_(list(self._running)), Job.state == "running")
                .values(locked_until=lease_until(now, self._lease), updated_at=now)
            )
