"""The ``docker`` driver: each job in a new container of the manifest's ``image``.

Driver keys: ``image`` and ``workspace`` (an absolute path in the container). The
engine is ``DOCKER_HOST`` (:attr:`DriverSettings.docker_host`); containers join
``GENIE_DOCKER_NETWORK`` when it is set. A docker volume holds the workspace for
the whole build, so it works with a remote engine too: objects are copied into it
through a container that never starts, and artifacts out of the job's stopped
container. Each job's container gets the script at ``/.genie/job.sh`` and the
build's keys at ``/root/.ssh`` before it starts; its output, masking, kill and
artifact rules are the ``os`` driver's. Containers and the volume are removed at
the end, killed builds included. Output is read from the container's attached
stream (no log driver: the engine stores none of it). The docker SDK blocks, so every call runs in a
thread.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import tarfile
import tempfile
import time
from collections.abc import AsyncGenerator, AsyncIterator, Iterator
from typing import IO, Any, Final

import docker
import docker.errors
from docker.types import LogConfig, Mount, Ulimit

from genie.runner.files import BuildError, inside, iterate_in_thread, key_files
from genie.runner.output import JobOutput
from genie.runner.plan import JobSpec, Plan
from genie.runner.process import GRACE
from genie.runner.script import job_script, merged_env
from genie.runner.settings import DriverSettings

SCRIPT: Final = "/.genie/job.sh"
LABEL: Final = "genie.build"


def _reason(exc: Exception) -> str:
    explanation = getattr(exc, "explanation", None)
    return str(explanation or exc)


class DockerDriver:
    def __init__(self, plan: Plan, settings: DriverSettings) -> None:
        self.plan = plan
        self.settings = settings
        self.image = plan.driver_config.get("image", "")
        self.workspace = plan.driver_config.get("workspace", "")
        self.client: docker.DockerClient | None = None
        self.volume = ""
        self.containers: list[str] = []
        self.current: Any = None

    async def create(self, out: JobOutput) -> None:
        if not self.image or not self.workspace.startswith("/"):
            raise BuildError("driver docker requires image and an absolute workspace")
        await out.line("Running with driver docker...")
        self.client = client = await asyncio.to_thread(self._connect)
        image = await self._image(out)
        await out.line(f"Using image {self.image} - {image.id}")
        labels = {LABEL: self.plan.name}
        volume = await asyncio.to_thread(client.volumes.create, labels=labels)
        self.volume = volume.name
        if self.plan.objects:
            await self._place_objects(out)

    def _connect(self) -> docker.DockerClient:
        try:
            if self.settings.docker_host:
                return docker.DockerClient(base_url=self.settings.docker_host, version="auto")
            return docker.from_env(version="auto")
        except docker.errors.DockerException as exc:
            raise BuildError(f"driver docker: cannot reach the engine: {exc}") from None

    async def _image(self, out: JobOutput) -> Any:
        assert self.client is not None
        try:
            return await asyncio.to_thread(self.client.images.get, self.image)
        except docker.errors.ImageNotFound:
            pass
        await out.line(f"Pulling image {self.image}...")
        try:
            return await asyncio.to_thread(self.client.images.pull, self.image)
        except docker.errors.APIError as exc:
            raise BuildError(f"driver docker: cannot pull {self.image}: {_reason(exc)}") from None

    def _container(self, command: list[str], **extra: Any) -> Any:
        assert self.client is not None
        limits = self.plan.limits
        ulimits = [
            Ulimit(name=name, soft=value, hard=value)
            for name, value in (("cpu", limits.cpu_seconds), ("fsize", limits.file_size_bytes))
            if value is not None
        ]
        container = self.client.containers.create(
            self.image,
            command=command,
            working_dir=self.workspace,
            mounts=[Mount(self.workspace, self.volume, type="volume")],
            labels={LABEL: self.plan.name},
            network_mode=self.settings.docker_network,
            mem_limit=limits.memory_bytes,
            ulimits=ulimits or None,
            **extra,
        )
        self.containers.append(container.id)
        return container

    async def _place_objects(self, out: JobOutput) -> None:
        with tempfile.TemporaryFile() as spool:
            with tarfile.open(fileobj=spool, mode="w") as tar:
                for obj in self.plan.objects:
                    rel = inside(obj.dest, self.workspace)
                    await out.line(f"Placing object {obj.name} => {obj.dest}")
                    await _add_stream(tar, rel, obj.open())
            spool.seek(0)
            holder = await asyncio.to_thread(self._container, ["true"])
            await asyncio.to_thread(holder.put_archive, self.workspace, spool)

    async def execute(self, job: JobSpec, out: JobOutput) -> int:
        env = merged_env(self.plan.env)
        container = await asyncio.to_thread(
            self._container, ["sh", SCRIPT], environment=env, log_config=LogConfig(type="none")
        )
        self.current = container
        files = [(SCRIPT[1:], job_script(job.commands).encode(), 0o755)]
        files += [(f"root/{rel}", data, 0o600) for rel, data in key_files(self.plan.keys)]
        await asyncio.to_thread(container.put_archive, "/", _tar(files))
        try:
            # Attached before it starts, so nothing is missed; with no log driver,
            # the engine keeps none of it on its own disk (past the cap, too).
            stream = await asyncio.to_thread(container.attach, stream=True, logs=False)
            await asyncio.to_thread(container.start)
            async with contextlib.aclosing(iterate_in_thread(lambda: stream)) as chunks:
                async for chunk in chunks:
                    await out.write(chunk)
            result = await asyncio.to_thread(container.wait)
        except asyncio.CancelledError:
            await asyncio.shield(asyncio.to_thread(_stop, container))
            raise
        return int(result.get("StatusCode", -1))

    async def artifact(self, source: str) -> AsyncIterator[bytes] | None:
        if self.current is None:
            return None
        path = f"{self.workspace.rstrip('/')}/{inside(source, self.workspace)}"
        chunks = iterate_in_thread(lambda: _archive_file(self.current, path))
        first = await anext(chunks)
        if first is None:
            await chunks.aclose()
            return None
        return _rest(first, chunks)

    async def destroy(self) -> None:
        if self.client is not None:
            await asyncio.to_thread(self._remove)

    def _remove(self) -> None:
        assert self.client is not None
        for cid in self.containers:
            with contextlib.suppress(docker.errors.DockerException):
                self.client.api.remove_container(cid, force=True, v=True)
        if self.volume:
            with contextlib.suppress(docker.errors.DockerException):
                self.client.api.remove_volume(self.volume, force=True)
        self.client.close()


def _stop(container: Any) -> None:
    """SIGTERM, then SIGKILL after the grace (a shell as PID 1 ignores SIGTERM)."""
    with contextlib.suppress(docker.errors.DockerException):
        container.kill(signal="SIGTERM")
    deadline = time.monotonic() + GRACE
    while time.monotonic() < deadline:
        with contextlib.suppress(docker.errors.DockerException):
            container.reload()
            if container.status != "running":
                return
        time.sleep(0.05)
    with contextlib.suppress(docker.errors.DockerException):
        container.kill(signal="SIGKILL")


def _tar(files: list[tuple[str, bytes, int]]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        dirs = sorted({p for name, _, _ in files for p in _parents(name)})
        for directory in dirs:
            info = tarfile.TarInfo(directory)
            info.type, info.mode = tarfile.DIRTYPE, 0o700 if directory.startswith("root") else 0o755
            tar.addfile(info)
        for name, data, mode in files:
            info = tarfile.TarInfo(name)
            info.size, info.mode = len(data), mode
            tar.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def _parents(name: str) -> list[str]:
    parts = name.split("/")[:-1]
    return ["/".join(parts[: i + 1]) for i in range(len(parts))]


async def _add_stream(tar: tarfile.TarFile, name: str, chunks: AsyncIterator[bytes]) -> None:
    with tempfile.TemporaryFile() as data:
        async for chunk in chunks:
            await asyncio.to_thread(data.write, chunk)
        info = tarfile.TarInfo(name)
        info.size, info.mode = data.tell(), 0o644
        data.seek(0)
        await asyncio.to_thread(tar.addfile, info, data)


class _StreamReader(io.RawIOBase):
    """A file over the docker SDK's chunk generator, for ``tarfile``'s stream mode."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self._chunks = chunks
        self._left = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._left:
            self._left = next(self._chunks, b"")
            if not self._left:
                return 0
        size = min(len(buffer), len(self._left))
        buffer[:size], self._left = self._left[:size], self._left[size:]
        return size


def _archive_file(container: Any, path: str) -> Iterator[bytes | None]:
    """None first when ``path`` is not a regular file; else its bytes in chunks."""
    try:
        stream, _ = container.get_archive(path)
    except docker.errors.NotFound:
        yield None
        return
    with tarfile.open(fileobj=_StreamReader(iter(stream)), mode="r|") as tar:
        member = tar.next()
        file: IO[bytes] | None = tar.extractfile(member) if member and member.isreg() else None
        if file is None:
            yield None
            return
        yield b""
        while chunk := file.read(64 * 1024):
            yield chunk


async def _rest(first: bytes, chunks: AsyncGenerator[bytes | None, None]) -> AsyncIterator[bytes]:
    async with contextlib.aclosing(chunks):
        if first:
            yield first
        async for chunk in chunks:
            if chunk:
                yield chunk
