"""Files into and out of a build, shared by the drivers.

* :func:`inside` turns an object destination or an artifact source into a path
  relative to the workspace, or refuses it (``..``, or an absolute path outside
  the workspace's mount point): nothing a manifest says can reach beyond it.
* :func:`key_files` lays out ``$HOME/.ssh``: each key (mode 0600) and one
  ``config`` joined from every key's snippet.
* :func:`read_local` streams a file from a host directory without following a
  link out of it (a build may leave ``out -> /etc/shadow`` behind).
* :func:`iterate_in_thread` turns a blocking iterator (the docker SDK's streams)
  into an async one, with back-pressure.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import posixpath
import stat
import threading
from collections.abc import AsyncGenerator, AsyncIterator, Callable, Iterable, Iterator
from pathlib import Path
from typing import Final, TypeVar

from genie.runner.plan import KeyFile

CHUNK: Final = 64 * 1024
T = TypeVar("T")


class BuildError(Exception):
    """Something the build caused: its message goes into the job's output."""


def inside(path: str, mount: str | None = None) -> str:
    """``path`` relative to the workspace (``""`` for the workspace itself).

    ``mount`` is where the workspace appears to the job (docker's ``workspace``);
    an absolute path must lie under it."""
    if posixpath.isabs(path):
        if mount is None:
            raise BuildError(f"{path}: an absolute path needs a workspace mount point")
        base = posixpath.normpath(mount)
        rel = posixpath.relpath(posixpath.normpath(path), base)
    else:
        rel = posixpath.normpath(path)
    if rel == ".":
        return ""
    if rel == ".." or rel.startswith("../"):
        raise BuildError(f"{path}: outside the workspace")
    return rel


def key_files(keys: Iterable[KeyFile]) -> list[tuple[str, bytes]]:
    """``(path relative to HOME, content)``, every one to be written mode 0600."""
    keys = list(keys)
    if not keys:
        return []
    files: list[tuple[str, bytes]] = []
    for key in keys:
        if "/" in key.name or key.name in ("", ".", "..", "config"):
            raise BuildError(f"key {key.name!r}: not a usable file name")
        files.append((f".ssh/{key.name}", key.material.encode()))
    config = "\n\n".join(k.config.strip() for k in keys if k.config.strip())
    files.append((".ssh/config", (config + "\n").encode() if config else b""))
    return files


def write_private(path: Path, data: bytes, mode: int = 0o600) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, mode)
    with os.fdopen(fd, "wb") as file:
        file.write(data)
    os.chmod(path, mode)


def open_local(root: Path, rel: str) -> int | None:
    """A read descriptor for the regular file ``root/rel`` whose real path stays
    under ``root``; None when there is no such file."""
    base = os.path.realpath(root)
    real = os.path.realpath(os.path.join(base, rel))
    if os.path.commonpath([base, real]) != base:
        return None
    try:
        fd = os.open(real, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        return None
    return fd


async def read_fd(fd: int) -> AsyncIterator[bytes]:
    """The file's bytes in chunks, read in a thread; the descriptor is closed."""
    try:
        while chunk := await asyncio.to_thread(os.read, fd, CHUNK):
            yield chunk
    finally:
        os.close(fd)


async def iterate_in_thread(
    make: Callable[[], Iterator[T]], depth: int = 16
) -> AsyncGenerator[T, None]:
    """Items of a blocking iterator, produced in a thread, at most ``depth`` ahead.

    Leaving the loop early stops the producer at its next item (a blocked
    ``next()`` ends when its source does: a killed container, a closed stream)."""
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[tuple[bool, object]] = asyncio.Queue(depth)
    stop = threading.Event()
    thread = loop.run_in_executor(None, _produce, make, queue, stop, loop)
    try:
        while True:
            done, value = await queue.get()
            if done:
                if isinstance(value, BaseException):
                    raise value
                break
            yield value  # type: ignore[misc]
    finally:
        stop.set()
        while not queue.empty():
            queue.get_nowait()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(asyncio.shield(thread), 0.01)


def _produce(
    make: Callable[[], Iterator[T]],
    queue: asyncio.Queue[tuple[bool, object]],
    stop: threading.Event,
    loop: asyncio.AbstractEventLoop,
) -> None:
    """The thread's side: ``(False, item)`` each, then ``(True, None or the error)``."""

    def put(item: tuple[bool, object]) -> None:
        asyncio.run_coroutine_threadsafe(queue.put(item), loop).result()

    try:
        for item in make():
            if stop.is_set():
                return
            put((False, item))
        put((True, None))
    except BaseException as exc:  # handed to the consumer, which raises it
        if not stop.is_set():
            put((True, exc))
