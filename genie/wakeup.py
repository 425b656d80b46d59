"""Cross-node wake-ups on PostgreSQL: ``LISTEN``/``NOTIFY``.

:func:`notify` (inside a transaction) is delivered when that transaction
commits; :class:`Listener` holds one dedicated asyncpg connection (outside the
pool, ``application_name`` ``genie-listen-<pid>``) and calls each channel's
callback per notification, reconnecting after a failure (:attr:`Listener.connected`
says whether it hears now; ``on_connect`` runs after each (re)connection, so
its owner can look again for what it may have missed). On SQLite both do
nothing: workers there poll.

Channels: :data:`JOBS` (a job was enqueued: idle workers claim at once) and
:data:`BUILD_KILL` (a running build is to be killed; payload: its id).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from genie.db import is_sqlite

log = logging.getLogger("genie.jobs")

JOBS = "genie_jobs"
BUILD_KILL = "genie_build_kill"
RETRY = 2.0


def _dialect(db: AsyncSession | AsyncConnection) -> str:
    bind = db.get_bind() if isinstance(db, AsyncSession) else db
    return bind.dialect.name


async def notify(db: AsyncSession | AsyncConnection, channel: str, payload: str = "") -> None:
    if _dialect(db) == "postgresql":
        await db.execute(
            text("SELECT pg_notify(:channel, :payload)"), {"channel": channel, "payload": payload}
        )


class Listener:
    """Calls ``channels[channel](payload)`` for every notification on a channel
    (the mapping is read at each connection: add channels before :meth:`start`)."""

    def __init__(
        self,
        database_url: str,
        channels: Mapping[str, Callable[[str], None]],
        on_connect: Callable[[], None] = lambda: None,
    ) -> None:
        self.url = database_url
        self.channels = channels
        self.on_connect = on_connect
        #: Whether the connection is up and listening (notifications arrive).
        self.connected = False
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        if is_sqlite(self.url) or self._task is not None:
            return
        self._task = asyncio.create_task(self._run(), name="genie-listen")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _run(self) -> None:
        import asyncpg

        dsn = make_url(self.url).set(drivername="postgresql").render_as_string(hide_password=False)
        name = {"application_name": f"genie-listen-{os.getpid()}"}
        while True:
            try:
                await self._listen(await asyncpg.connect(dsn, server_settings=name))
            except asyncio.CancelledError:
                raise
            except Exception:
                log.warning("LISTEN connection failed; retrying", exc_info=True)
            else:
                log.warning("LISTEN connection lost; reconnecting")
            await asyncio.sleep(RETRY)

    async def _listen(self, conn: Any) -> None:
        """Until the connection ends."""
        closed = asyncio.Event()
        try:
            conn.add_termination_listener(lambda _c: closed.set())
            for channel in self.channels:
                await conn.add_listener(channel, self._heard)
            self.connected = True
            self.on_connect()
            await closed.wait()
        finally:
            self.connected = False
            with contextlib.suppress(Exception):
                await asyncio.shield(conn.close())

    def _heard(self, _conn: object, _pid: int, channel: str, payload: str) -> None:
        callback = self.channels.get(channel)
        if callback is not None:
            callback(payload)
