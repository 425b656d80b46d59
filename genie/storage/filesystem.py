from __future__ import annotations

import asyncio
import contextlib
import os
import secrets
from pathlib import Path
from typing import BinaryIO

from genie.storage.base import Blob, Storage, Upload


class FilesystemUpload(Upload):
    def __init__(self, root: Path, tmp: Path) -> None:
        super().__init__()
        self._root = root
        self._path = tmp / f"{secrets.token_hex(16)}.part"
        self._file: BinaryIO | None = open(self._path, "xb")  # noqa: SIM115 - closed in commit/abort

    def _write(self, data: bytes) -> None:
        assert self._file is not None
        self._file.write(data)

    def _finish(self, target: Path) -> None:
        assert self._file is not None
        self._file.flush()
        os.fsync(self._file.fileno())
        self._file.close()
        self._file = None
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(self._path, target)

    async def commit(self, key: str) -> None:
        await asyncio.to_thread(self._finish, self._root / key)

    def _discard(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
        with contextlib.suppress(FileNotFoundError):
            self._path.unlink()

    async def abort(self) -> None:
        await asyncio.to_thread(self._discard)


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

    def begin(self) -> FilesystemUpload:
        return FilesystemUpload(self.root, self.tmp)

    async def stat(self, key: str) -> Blob | None:
        path = self._path(key)
        try:
            st = await asyncio.to_thread(path.stat)
        except FileNotFoundError:
            return None
        return Blob(size=st.st_size, path=path)

    async def delete(self, key: str) -> None:
        path = self._path(key)
        with contextlib.suppress(FileNotFoundError):
            await asyncio.to_thread(path.unlink)

    def clear_staging(self) -> int:
        """Remove uploads left behind by a crash; returns how many were removed."""
        removed = 0
        for part in self.tmp.glob("*.part"):
            with contextlib.suppress(FileNotFoundError):
                part.unlink()
                removed += 1
        return removed
