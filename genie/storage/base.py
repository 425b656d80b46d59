from __future__ import annotations

import asyncio
import hashlib
from abc import ABC, abstractmethod
from collections import deque
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Protocol

#: Bytes handed to the worker lanes at a time: large enough that the thread
#: hand-off is noise next to hashing, small enough to keep memory flat.
BUFFER_SIZE = 1024 * 1024
#: Buffers that may be queued in the lanes at once (memory bound: 8 MiB).
MAX_IN_FLIGHT = 8
#: Bytes kept from the start of an upload, for content-type detection.
HEAD_SIZE = 8192
#: Bytes a reader gets at a time from :meth:`Storage.read`.
READ_SIZE = 64 * 1024


class TooLarge(Exception):
    def __init__(self, limit: int) -> None:
        super().__init__(f"upload exceeds {limit} bytes")
        self.limit = limit


@dataclass(frozen=True)
class Blob:
    """A stored file, as seen by a reader."""

    size: int
    #: When it was written, in seconds since the epoch (``Last-Modified``).
    modified: float


@dataclass(frozen=True)
class Stored:
    """What :meth:`Storage.put` kept."""

    key: str
    size: int
    md5: str
    sha256: str


class ThreadLane:
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


class LoopLane:
    """Coroutines run on the event loop, one after the other in submission order;
    once one fails, the ones after it fail with the same error."""

    def __init__(self) -> None:
        self._last: asyncio.Future[object] | None = None

    def run(self, fn: Callable[[bytes], Awaitable[object]], data: bytes) -> asyncio.Future[object]:
        before = self._last

        async def step() -> object:
            if before is not None:
                await before
            return await fn(data)

        self._last = asyncio.ensure_future(step())
        return self._last


class Upload(ABC):
    """A file being written to ``key``. Exactly one of ``commit`` or ``abort`` ends
    it; until ``commit`` nobody can read it.

    Each buffer goes to three lanes that run in parallel, each in order: MD5,
    SHA-256, and the backend's write (:meth:`_write`). hashlib and file writes
    release the GIL, so the lanes overlap each other and the event loop receiving
    the next buffers.
    """

    def __init__(self, key: str) -> None:
        self.key = key
        self.size = 0
        self.head = b""
        self._md5 = hashlib.md5(usedforsecurity=False)
        self._sha256 = hashlib.sha256()
        self._lanes = (ThreadLane("genie-md5"), ThreadLane("genie-sha256"))

    @property
    def md5(self) -> str:
        return self._md5.hexdigest()

    @property
    def sha256(self) -> str:
        return self._sha256.hexdigest()

    @abstractmethod
    def _write(self, data: bytes) -> asyncio.Future[object]:
        """Start writing a buffer after the ones before it: in a
        :class:`ThreadLane` for blocking writes, a :class:`LoopLane` for async ones."""

    @abstractmethod
    async def commit(self) -> None:
        """Make the written bytes visible under ``key``."""

    @abstractmethod
    async def abort(self) -> None:
        """Remove everything written so far. Safe to call more than once."""

    def _consume(self, data: bytes) -> asyncio.Future[tuple[object, object, object]]:
        md5, sha256 = self._lanes
        return asyncio.gather(
            md5.run(self._md5.update, data),
            sha256.run(self._sha256.update, data),
            self._write(data),
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


class UploadGuard(Protocol):
    """A record, outside this process, of each unfinished upload a backend keeps
    remotely (an S3 multipart upload), so that one whose node dies is aborted by
    another process (:mod:`genie.uploads`: a deferred job in the queue)."""

    async def opened(self, key: str) -> int:
        """Record an upload of ``key`` before the remote upload is created (a
        process killed right after creating it must leave a record); the handle
        to pass on."""

    async def named(self, handle: int, key: str, upload_id: str) -> None:
        """Add the remote upload's id to its record, once it is known."""

    async def keep(self, handle: int) -> None:
        """Renew the record until cancelled: this process is still uploading."""

    async def closed(self, handle: int) -> None:
        """Forget the record: the upload was completed or aborted."""


class Storage(ABC):
    """Where files live: a folder (:class:`~genie.storage.FilesystemStorage`) or an
    S3 bucket (:class:`~genie.storage.S3Storage`). Keys are relative paths such
    as ``objects/ab/ab12…``."""

    @abstractmethod
    def begin(self, key: str) -> Upload:
        """A new upload, that :meth:`Upload.commit` makes visible under ``key``."""

    @abstractmethod
    async def stat(self, key: str) -> Blob | None:
        """The stored file, or ``None`` when it is missing."""

    @abstractmethod
    def read(self, key: str, start: int, end: int) -> AsyncGenerator[bytes, None]:
        """Bytes ``start`` to ``end`` (exclusive) of the file, a chunk at a time."""

    @abstractmethod
    async def delete(self, key: str) -> None:
        """Remove the file; a missing file is not an error."""

    @abstractmethod
    async def probe(self) -> None:
        """Raise when the backend cannot store files now (``/readyz``). Cheap: a
        stat or a one-key listing, never a write."""

    async def presign(self, key: str, *, media_type: str, disposition: str) -> str | None:
        """A short-lived URL a client may GET the file from directly, answered with
        this ``Content-Type`` and ``Content-Disposition``; ``None``: serve it here."""
        return None

    async def close(self) -> None:
        """Release connections (the app's shutdown)."""
        return None

    def guard_uploads(self, guard: UploadGuard) -> None:
        """Record unfinished remote uploads with ``guard`` (a folder has none: its
        staging area is cleared when ``genie serve`` starts)."""
        return None

    async def abort_upload(self, key: str, upload_id: str | None) -> None:
        """Abort an unfinished remote upload that its process left; one already
        completed or aborted is no error. Without ``upload_id`` (its process died
        before it learnt the id), every unfinished upload of ``key`` is aborted:
        each upload has a key of its own."""
        return None

    async def receive(self, key: str, chunks: AsyncIterator[bytes], *, limit: int | None) -> Upload:
        """Stream ``chunks`` into a new upload for ``key``, not yet committed: the
        caller commits it (or aborts it). On any failure, :class:`TooLarge`
        included, nothing is kept and the error is raised."""
        upload = self.begin(key)
        try:
            await ingest(chunks, upload, limit=limit)
        except BaseException:
            await upload.abort()
            raise
        return upload

    async def put(
        self, key: str, chunks: AsyncIterator[bytes], *, limit: int | None = None
    ) -> Stored:
        """Store ``chunks`` under ``key`` at once, for writers that are not
        requests (build artifacts, logs); all or nothing."""
        upload = await self.receive(key, chunks, limit=limit)
        try:
            await upload.commit()
        except BaseException:
            await upload.abort()
            raise
        return Stored(key, upload.size, upload.md5, upload.sha256)
