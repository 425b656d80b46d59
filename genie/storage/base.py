from __future__ import annotations

import asyncio
import hashlib
from abc import ABC, abstractmethod
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

#: Bytes handed to the worker threads at a time: large enough that the thread
#: hand-off is noise next to hashing, small enough to keep memory flat.
BUFFER_SIZE = 1024 * 1024
#: Bytes kept from the start of an upload, for content-type detection.
HEAD_SIZE = 8192

# hashlib releases the GIL on large buffers, so MD5 and SHA-256 run in parallel.
_HASH_POOL = ThreadPoolExecutor(max_workers=4, thread_name_prefix="genie-hash")


class TooLarge(Exception):
    def __init__(self, limit: int) -> None:
        super().__init__(f"upload exceeds {limit} bytes")
        self.limit = limit


@dataclass(frozen=True)
class Blob:
    """A stored file, as seen by a reader."""

    size: int
    path: Path | None  # a local path when the backend has one


class Upload(ABC):
    """A file being written. Exactly one of ``commit`` or ``abort`` ends it."""

    def __init__(self) -> None:
        self.size = 0
        self.head = b""
        self._md5 = hashlib.md5(usedforsecurity=False)
        self._sha256 = hashlib.sha256()

    @property
    def md5(self) -> str:
        return self._md5.hexdigest()

    @property
    def sha256(self) -> str:
        return self._sha256.hexdigest()

    @abstractmethod
    def _write(self, data: bytes) -> None:
        """Write a buffer (runs in a worker thread)."""

    @abstractmethod
    async def commit(self, key: str) -> None:
        """Make the written bytes visible under ``key``."""

    @abstractmethod
    async def abort(self) -> None:
        """Remove everything written so far. Safe to call more than once."""

    def _hash_and_write(self, data: bytes) -> None:
        self._sha256.update(data)
        self._write(data)

    async def _consume(self, data: bytes) -> None:
        loop = asyncio.get_running_loop()
        await asyncio.gather(
            loop.run_in_executor(_HASH_POOL, self._md5.update, data),
            loop.run_in_executor(_HASH_POOL, self._hash_and_write, data),
        )


async def ingest(stream: AsyncIterator[bytes], upload: Upload, *, limit: int | None) -> None:
    """Stream ``stream`` into ``upload``, hashing as it goes.

    Receiving the next buffer overlaps with hashing and writing the previous one.
    Raises :class:`TooLarge` as soon as more than ``limit`` bytes arrive; the caller
    aborts the upload.
    """
    pending: asyncio.Future[None] | None = None
    buffer = bytearray()
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
            buffer += chunk
            if len(buffer) >= BUFFER_SIZE:
                if pending is not None:
                    await pending
                pending = asyncio.ensure_future(upload._consume(bytes(buffer)))
                buffer.clear()
        if pending is not None:
            await pending
            pending = None
        if buffer:
            await upload._consume(bytes(buffer))
        upload.head = bytes(head)
    finally:
        if pending is not None and not pending.done():
            # Let the worker finish before the caller aborts and removes the file.
            await asyncio.gather(pending, return_exceptions=True)


class Storage(ABC):
    @abstractmethod
    def begin(self) -> Upload: ...

    @abstractmethod
    async def stat(self, key: str) -> Blob | None:
        """The stored file, or ``None`` when it is missing."""

    @abstractmethod
    async def delete(self, key: str) -> None:
        """Remove the file; a missing file is not an error."""
