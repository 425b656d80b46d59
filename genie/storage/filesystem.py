from __future__ import annotations

import asyncio
import contextlib
import os
import secrets
from collections.abc import AsyncGenerator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import anyio

from genie.storage.base import READ_SIZE, Blob, Storage, ThreadLane, Upload

#: Start flushing written data to disk every this many bytes, so the final fsync
#: is short. Flushes run in their own thread, one at a time, while writing goes on.
FLUSH_EVERY = 16 * 1024 * 1024


class FilesystemUpload(Upload):
    """Written to ``<root>/.tmp/<random>.part``, moved to ``target`` by ``commit``."""

    def __init__(self, key: str, target: Path, tmp: Path) -> None:
        super().__init__(key)
        self._target = target
        self._path = tmp / f"{secrets.token_hex(16)}.part"
        self._writer = ThreadLane("genie-write")
        self._fd: int | None = os.open(self._path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        self._unflushed = 0
        self._flusher: ThreadPoolExecutor | None = None
        self._flushing: Future[None] | None = None

    def _write(self, data: bytes) -> asyncio.Future[object]:
        return self._writer.run(self._write_now, data)

    def _write_now(self, data: bytes) -> None:
        assert self._fd is not None
        view = memoryview(data)
        while view:
            view = view[os.write(self._fd, view) :]
        self._unflushed += len(data)
        if self._unflushed >= FLUSH_EVERY and (self._flushing is None or self._flushing.done()):
            if self._flusher is None:
                self._flusher = ThreadPoolExecutor(1, thread_name_prefix="genie-flush")
            self._flushing = self._flusher.submit(os.fdatasync, self._fd)
            self._unflushed = 0

    def _stop_flushing(self) -> None:
        if self._flusher is not None:
            self._flusher.shutdown(wait=True)
            self._flusher = None

    def _finish(self, target: Path) -> None:
        assert self._fd is not None
        self._stop_flushing()
        os.fsync(self._fd)
        os.close(self._fd)
        self._fd = None
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(self._path, target)

    async def commit(self) -> None:
        try:
            await asyncio.to_thread(self._finish, self._target)
        finally:
            self._close_lanes()

    def _discard(self) -> None:
        self._stop_flushing()
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
        with contextlib.suppress(FileNotFoundError):
            self._path.unlink()

    async def abort(self) -> None:
        try:
            await asyncio.to_thread(self._discard)
        finally:
            self._close_lanes()

    def _close_lanes(self) -> None:
        super()._close_lanes()
        self._writer.close()


class FilesystemStorage(Storage):
    """Files under one directory: ``<root>/<key>``; uploads are staged in ``<root>/.tmp``."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root).resolve()
        self.tmp = self.root / ".tmp"
        self.tmp.mkdir(parents=True, exist_ok=True)

    def _path(self, key: str) -> Path:
        path = (self.root / key).resolve()
        if self.root not in path.parents:
            raise ValueError(f"storage key escapes the root: {key!r}")
        return path

    def begin(self, key: str) -> FilesystemUpload:
        return FilesystemUpload(key, self._path(key), self.tmp)

    async def stat(self, key: str) -> Blob | None:
        path = self._path(key)
        try:
            st = await asyncio.to_thread(path.stat)
        except FileNotFoundError:
            return None
        return Blob(size=st.st_size, modified=st.st_mtime)

    async def read(self, key: str, start: int, end: int) -> AsyncGenerator[bytes, None]:
        async with await anyio.open_file(self._path(key), "rb") as file:
            await file.seek(start)
            while start < end:
                chunk = await file.read(min(READ_SIZE, end - start))
                if not chunk:
                    raise OSError(f"{key} is shorter than expected")
                start += len(chunk)
                yield chunk

    async def delete(self, key: str) -> None:
        path = self._path(key)
        with contextlib.suppress(FileNotFoundError):
            await asyncio.to_thread(path.unlink)

    async def probe(self) -> None:
        await asyncio.to_thread(self._probe)

    def _probe(self) -> None:
        """The root and staging folders exist, and uploads may be staged."""
        for folder in (self.root, self.tmp):
            if not folder.is_dir():
                raise FileNotFoundError(f"storage folder missing: {folder}")
        if not os.access(self.tmp, os.W_OK | os.X_OK):
            raise PermissionError(f"storage folder not writable: {self.tmp}")

    def clear_staging(self) -> int:
        """Remove uploads left behind by a crash; returns how many were removed."""
        removed = 0
        for part in self.tmp.glob("*.part"):
            with contextlib.suppress(FileNotFoundError):
                part.unlink()
                removed += 1
        return removed
