from __future__ import annotations

import asyncio
import hashlib
from abc import ABC, abstractmethod
from collections import deque
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

#: Bytes handed to the worker lanes at a time: large enough that the thread
#: hand-off is noise next to hashing, small enough to keep memory flat.
BUFFER_SIZE = 1024 * 1024
#: Buffers that may be queued in the lanes at once (memory bound: 8 MiB).
MAX_IN_FLIGHT = 8
#: Bytes kept from the start of an upload, for content-type detection.
HEAD_SIZE = 8192


class TooLarge(Exception):
    def __init__(self, limit: int) -> None:
        super().__init__(f"upload exceeds {limit} bytes")
        self.limit = limit


@dataclass(frozen=True)
class Blob:
    """A stored file, as seen by a reader."""

    size: int
    path: Path | None  # a local path when the backend has one


class _Lane:
    """One worker thread that runs its tasks in submission order."""

    def __init__(self, name: str) -> None:
        self._name = name
        self._pool: ThreadPoolExecutor | None = None

    def run(self, fn: Callable[[bytes], object], data: bytes) -> asyncio.Future[object]:
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix=self._name)
        return asyncio.get_running_loop().run_in_executor(self._pool, fn, data)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False)
            self._pool = None


class Upload(ABC):
    """A file being written. Exactly one of ``commit`` or ``abort`` ends it.

    Each buffer goes to three lanes that run in parallel, each in order: MD5,
    SHA-256, and the backend's write. hashlib and file writes release the GIL, so
    the lanes overlap each other and the event loop receiving the next buffers.
    """

    def __init__(self) -> None:
        self.size = 0
        self.head = b""
        self._md5 = hashlib.md5(usedforsecurity=False)
        self._sha256 = hashlib.sha256()
        self._lanes = (_Lane("genie-md5"), _Lane("genie-sha256"), _Lane("genie-write"))

    @property
    def md5(self) -> str:
        return self._md5.hexdigest()

    @property
    def sha256(self) -> str:
        return self._sha256.hexdigest()

    @abstractmethod
    def _write(self, data: bytes) -> None:
        """Write a buffer (runs in the write lane, in order)."""

    @abstractmethod
    async def commit(self, key: str) -> None:
        """Make the written bytes visible under ``key``."""

    @abstractmethod
    async def abort(self) -> None:
        """Remove everything written so far. Safe to call more than once."""

    def _consume(self, data: bytes) -> asyncio.Future[tuple[object, object, object]]:
        md5, sha256, write = self._lanes
        return asyncio.gather(
            md5.run(self._md5.update, data),
            sha256.run(self._sha256.update, data),
            write.run(self._write, data),
        )

    def _close_lanes(self) -> None:
        for lane in self._lanes:
            lane.close()


async def ingest(stream: AsyncIterator[bytes], upload: Upload, *, limit: int | None) -> None:
    """Stream ``stream`` into ``upload``, hashing as it goes.

    Up to ``MAX_IN_FLIGHT`` buffers are hashed and written while the next ones
    arrive. Raises :class:`TooLarge` as soon as more than ``limit`` bytes arrive;
    the caller aborts the upload.
    """
    in_flight: deque[asyncio.Future[tuple[object, object, object]]] = deque()
    chunks: list[bytes] = []
    buffered = 0
    head = bytearray()
    try:
        async for chunk in stream:
            if not chunk:
                continue
            upload.size += len(chunk)
            if limit and upload.size > limit:
                raise TooLarge(limit)
            if len(head) < HEAD_SIZE:
                head += chunk[: HEAD_SIZE - len(head)]
            chunks.append(chunk)
            buffered += len(chunk)
            if buffered >= BUFFER_SIZE:
                if len(in_flight) >= MAX_IN_FLIGHT:
                    await in_flight.popleft()
                in_flight.append(upload._consume(b"".join(chunks)))
                chunks.clear()
                buffered = 0
        if chunks:
            in_flight.append(upload._consume(b"".join(chunks)))
        while in_flight:
            await in_flight.popleft()
        upload.head = bytes(head)
    finally:
        # Let the lanes finish before the caller aborts and removes the file.
        if in_flight:
            await asyncio.gather(*in_flight, return_exceptions=True)


class Storage(ABC):
    @abstractmethod
    def begin(self) -> Upload: ...

    @abstractmethod
    async def stat(self, key: str) -> Blob | None:
        """The stored file, or ``None`` when it is missing."""

    @abstractmethod
    async def delete(self, key: str) -> None:
        """Remove the file; a missing file is not an error."""

    @abstractmethod
    async def probe(self) -> None:
        """Raise when the backend cannot store files now (``/readyz``). Cheap: a
        stat or a one-key listing, never a write."""
