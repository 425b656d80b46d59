"""The Storage interface, on each backend: the folder, and S3 (moto in server mode)."""

from __future__ import annotations

import asyncio
import hashlib
import time
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from genie.settings import S3Location, Settings
from genie.storage import FilesystemStorage, TooLarge, from_settings
from genie.storage import s3 as s3_storage
from tests.storage_fixtures import Backend

MiB = 1024 * 1024
KEY = "objects/ab/abcdef"


async def chunks(*parts: bytes, fail: BaseException | None = None) -> AsyncIterator[bytes]:
    for part in parts:
        yield part
    if fail is not None:
        raise fail


def blocks(total: int, size: int = MiB) -> list[bytes]:
    """``total`` bytes in blocks of ``size``, each block a different byte."""
    return [
        bytes([i % 251]) * min(size, total - start) for i, start in enumerate(range(0, total, size))
    ]


async def read_all(backend: Backend, key: str, start: int, end: int) -> bytes:
    return b"".join([chunk async for chunk in backend.storage.read(key, start, end)])


async def test_put_stat_read_and_delete(backend: Backend) -> None:
    body = bytes(range(256)) * 1000
    before = time.time()
    stored = await backend.storage.put(KEY, chunks(body[:1000], body[1000:]))
    assert (stored.key, stored.size) == (KEY, len(body))
    assert stored.md5 == hashlib.md5(body).hexdigest()
    assert stored.sha256 == hashlib.sha256(body).hexdigest()
    blob = await backend.storage.stat(KEY)
    assert blob is not None and blob.size == len(body)
    assert before - 2 <= blob.modified <= time.time() + 2
    assert await read_all(backend, KEY, 0, len(body)) == body
    assert await read_all(backend, KEY, 10, 20) == body[10:20]
    assert await read_all(backend, KEY, len(body) - 1, len(body)) == body[-1:]
    [file] = backend.files.files()
    assert file.name.endswith(KEY) and file.read_bytes() == body
    await backend.storage.delete(KEY)
    assert await backend.storage.stat(KEY) is None
    assert backend.files.files() == []
    await backend.storage.delete(KEY)  # a missing file is not an error


async def test_an_empty_file(backend: Backend) -> None:
    stored = await backend.storage.put(KEY, chunks())
    assert stored.size == 0
    blob = await backend.storage.stat(KEY)
    assert blob is not None and blob.size == 0
    assert await read_all(backend, KEY, 0, 0) == b""


async def test_nothing_is_visible_before_commit(backend: Backend) -> None:
    upload = await backend.storage.receive(KEY, chunks(b"not yet"), limit=None)
    assert await backend.storage.stat(KEY) is None
    await upload.commit()
    assert await read_all(backend, KEY, 0, 7) == b"not yet"


@pytest.mark.parametrize("size", [100, 12 * MiB], ids=["small", "multipart"])
async def test_abort_leaves_nothing(backend: Backend, size: int) -> None:
    upload = await backend.storage.receive(KEY, chunks(*blocks(size)), limit=None)
    assert upload.size == size
    await upload.abort()
    await upload.abort()  # twice is harmless
    assert backend.files.files() == []
    assert await backend.storage.stat(KEY) is None


@pytest.mark.parametrize("size", [100, 12 * MiB], ids=["small", "multipart"])
async def test_a_failing_stream_leaves_nothing(backend: Backend, size: int) -> None:
    with pytest.raises(ConnectionResetError):
        await backend.storage.receive(
            KEY, chunks(*blocks(size), fail=ConnectionResetError("gone")), limit=None
        )
    assert backend.files.files() == []


async def test_too_large_is_refused_and_leaves_nothing(backend: Backend) -> None:
    with pytest.raises(TooLarge):
        await backend.storage.receive(KEY, chunks(*blocks(20 * MiB)), limit=18 * MiB)
    assert backend.files.files() == []


async def test_a_cancelled_upload_leaves_nothing(backend: Backend) -> None:
    """A worker stopping cancels its job mid-upload: the upload is aborted."""
    started = asyncio.Event()

    async def endless() -> AsyncIterator[bytes]:
        for block in blocks(12 * MiB):
            yield block
        started.set()
        await asyncio.sleep(60)
        yield b"never"

    task = asyncio.create_task(backend.storage.receive(KEY, endless(), limit=None))
    await asyncio.wait_for(started.wait(), 30)
    for _ in range(100):
        if backend.files.staged():
            break
        await asyncio.sleep(0.02)
    assert backend.files.staged(), "the upload was under way"
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert backend.files.files() == []


async def test_presigning_is_only_for_s3_when_asked(backend: Backend) -> None:
    await backend.storage.put(KEY, chunks(b"data"))
    url = await backend.storage.presign(KEY, media_type="text/plain", disposition="attachment")
    assert url is None


# S3 only


@pytest.fixture
def s3(s3_backend: Backend) -> s3_storage.S3Storage:
    assert isinstance(s3_backend.storage, s3_storage.S3Storage)
    return s3_backend.storage


async def test_s3_parts_are_at_least_5_mib_except_the_last(
    s3_backend: Backend, s3: s3_storage.S3Storage
) -> None:
    size = 2 * s3_storage.PART_SIZE + 3 * MiB + 1
    body = blocks(size, 64 * 1024)
    upload = await s3.receive(KEY, chunks(*body), limit=None)
    assert len(s3_backend.files.staged()) == 1  # the multipart upload, not yet complete
    await upload.commit()
    client, bucket, key = await s3.target(KEY)
    sizes = [
        (await client.head_object(Bucket=bucket, Key=key, PartNumber=n))["ContentLength"]
        for n in (1, 2, 3)
    ]
    assert sizes == [s3_storage.PART_SIZE, s3_storage.PART_SIZE, 3 * MiB + 1]
    assert s3_backend.files.staged() == []
    assert await read_all(s3_backend, KEY, size - 5, size) == b"".join(body)[-5:]


async def test_s3_a_small_file_is_one_put(s3_backend: Backend, s3: s3_storage.S3Storage) -> None:
    upload = await s3.receive(KEY, chunks(b"x" * MiB), limit=None)
    assert s3_backend.files.staged() == []  # no multipart upload begun
    await upload.commit()
    client, bucket, key = await s3.target(KEY)
    assert "-" not in (await client.head_object(Bucket=bucket, Key=key))["ETag"]


async def test_s3_keys_live_under_the_prefix(s3_backend: Backend, s3: s3_storage.S3Storage) -> None:
    await s3.put(KEY, chunks(b"data"))
    [file] = s3_backend.files.files()
    assert file.name == f"s3://{s3.location.bucket}/{s3.location.prefix}/{KEY}"


async def test_s3_presigned_urls(s3_backend: Backend, s3: s3_storage.S3Storage) -> None:
    await s3.put(KEY, chunks(b"presigned body"))
    s3.presigns = True
    disposition = "attachment; filename*=utf-8''na%C3%AFve.txt"
    url = await s3.presign(KEY, media_type="text/plain; charset=utf-8", disposition=disposition)
    assert url is not None and "X-Amz-Signature=" in url and "X-Amz-Expires=300" in url
    async with httpx.AsyncClient() as client:
        got = await client.get(url)
        ranged = await client.get(url, headers={"Range": "bytes=0-8"})
    assert got.status_code == 200 and got.content == b"presigned body"
    assert got.headers["content-type"] == "text/plain; charset=utf-8"
    assert got.headers["content-disposition"] == disposition
    assert ranged.status_code == 206 and ranged.content == b"presigned"


async def test_s3_a_failing_part_aborts_the_upload(
    s3_backend: Backend, s3: s3_storage.S3Storage, monkeypatch: pytest.MonkeyPatch
) -> None:
    """S3 failing mid-upload (a part refused): the error reaches the writer, and the
    multipart upload is aborted, with the parts already sent."""
    client = await s3.client()
    real = client.upload_part

    async def flaky(**kwargs: object) -> object:
        if kwargs["PartNumber"] == 2:
            raise OSError("connection reset by S3")
        return await real(**kwargs)

    monkeypatch.setattr(client, "upload_part", flaky)
    with pytest.raises(OSError, match="reset by S3"):
        await s3.put(KEY, chunks(*blocks(5 * s3_storage.PART_SIZE)))
    assert s3_backend.files.staged() == []
    monkeypatch.undo()
    assert s3_backend.files.files() == []


def test_the_settings_pick_the_backend(tmp_path: Path) -> None:
    folder = from_settings(Settings(data_dir=tmp_path))
    assert isinstance(folder, FilesystemStorage) and folder.root == tmp_path.resolve()
    s3 = from_settings(Settings(data_dir=tmp_path, s3=S3Location("b", "p"), s3_presign=True))
    assert isinstance(s3, s3_storage.S3Storage)
    assert (s3.location, s3.presigns) == (S3Location("b", "p"), True)
