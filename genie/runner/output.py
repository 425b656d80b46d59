"""One job's output on its way to the reporter: decoded, masked, capped, batched.

Every driver writes raw bytes (a pipe, a docker log stream, an ssh channel) and
its own messages into a :class:`JobOutput`. It decodes UTF-8 incrementally (a
character split across reads survives; invalid bytes become U+FFFD), masks
(:mod:`genie.runner.masking`), stops keeping text past ``limit`` bytes with one
notice line (the rest is read and dropped, so the process never blocks on a full
pipe), and hands the reporter large batches: when ``BATCH`` bytes are waiting,
and otherwise every ``FLUSH_INTERVAL`` seconds, so a slow job still shows its
lines within about a second. Calls to the reporter are serialised, in order.
"""

from __future__ import annotations

import asyncio
import codecs
import contextlib
from collections.abc import AsyncIterator
from typing import Final

from genie.runner.masking import Masker
from genie.runner.plan import Reporter

BATCH: Final = 64 * 1024
FLUSH_INTERVAL: Final = 0.25


class JobOutput:
    def __init__(self, reporter: Reporter, job: str, secrets: tuple[str, ...], limit: int) -> None:
        self._reporter = reporter
        self.job = job
        self._masker = Masker(secrets)
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._limit = limit
        self._kept = 0
        self.capped = False
        self._parts: list[str] = []
        self._size = 0
        self._lock = asyncio.Lock()

    async def write(self, data: bytes) -> None:
        """Raw bytes from the job."""
        if not self.capped:
            await self._add(self._decoder.decode(data))

    async def line(self, text: str) -> None:
        """A message of the runner's or the driver's own, as a line."""
        if not self.capped:
            await self._add(self._decoder.decode(b"") + text + "\n")

    async def _add(self, text: str, *, final: bool = False) -> None:
        text = self._masker.feed(text) + (self._masker.close() if final else "")
        if not text:
            return
        size = len(text.encode())
        if self._kept + size > self._limit:
            room = self._limit - self._kept
            text = text.encode()[:room].decode(errors="ignore")
            text += f"\n[output truncated: over {self._limit} bytes; the rest is discarded]\n"
            self.capped = True
            size = len(text.encode())
        self._kept += size
        self._parts.append(text)
        self._size += size
        if self._size >= BATCH or self.capped:
            await self.flush()

    async def flush(self) -> None:
        async with self._lock:
            if not self._parts:
                return
            text = "".join(self._parts)
            self._parts.clear()
            self._size = 0
            await self._reporter.output(self.job, text)

    async def close(self) -> None:
        """The end of the stream: what the masker held back, then a last flush."""
        if not self.capped:
            await self._add(self._decoder.decode(b"", final=True), final=True)
        await self.flush()

    @contextlib.asynccontextmanager
    async def ticking(self) -> AsyncIterator[JobOutput]:
        """Flush every ``FLUSH_INTERVAL`` while the block runs; close at its end.

        The ticker is stopped, never cancelled: a batch it is handing to the
        reporter has left ``_parts`` already, so cancelling that call (a database
        write) would lose those lines, and the ones written after would still come.
        """
        stop = asyncio.Event()
        ticker = asyncio.create_task(self._tick(stop))
        try:
            yield self
        finally:
            stop.set()
            await ticker
            await self.close()

    async def _tick(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), FLUSH_INTERVAL)
            if not stop.is_set():
                await self.flush()
