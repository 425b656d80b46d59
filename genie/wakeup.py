"""Cross-node wake-ups on PostgreSQL: ``LISTEN``/``NOTIFY``.

:func:`notify` (inside a transaction) is delivered when that transaction
commits; :class:`Listener` holds one dedicated asyncpg connection (outside the
pool) and calls a callback per notification, reconnecting after a failure. On
SQLite both do nothing: workers there poll.

Channels: :data:`JOBS` (a job was enqueued: idle workers claim at once) and
:data:`BUILD_KILL` (a running build is to be killed; payload: its id).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
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
    """Calls ``callback(channel, payload)`` for every notification on ``channels``."""

    def __init__(
        self, database_url: str, channels: tuple[str, ...], callback: Callable[[str, str], None]
    ) -> None:
        self.url = database_url
        self.channels = channels
        self.callback = callback
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
        while True:
            try:
                await self._listen(await asyncpg.connect(dsn))
            except asyncio.CancelledError:
                raise
            except Exception:
                log.warning("LISTEN connection failed; retrying", exc_info=True)
            await asyncio.sleep(RETRY)

    async def _listen(self, conn: Any) -> None:
        """Until the connection ends."""
        closed = asyncio.Event()
        try:
            for channel in self.channels:
                await conn.add_listener(channel, self._heard)
            conn.add_termination_listener(lambda _c: closed.set())
            await closed.wait()
        finally:
            with contextlib.suppress(Exception):
                await asyncio.shield(conn.close())

    def _heard(self, _conn: object, _pid: int, channel: str, payload: str) -> None:
        self.callback(channel, payload)
