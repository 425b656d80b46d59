"""Files in an S3-compatible bucket (AWS S3, MinIO, Ceph RGW, R2…), with aiobotocore.

``GENIE_STORAGE_URL=s3://bucket/prefix`` puts each key at ``prefix/key``. An
upload streams into a multipart upload: parts of :data:`PART_SIZE` (the last one
smaller) are sent as they fill, at most :data:`PARTS_IN_FLIGHT` at a time, while
the upload's lanes hash the same bytes; ``commit`` completes it, and ``abort``
(any failure, a rejected or interrupted body) aborts it, so no part stays billed
in the bucket. A file smaller than one part is a single ``PutObject`` at commit,
and never starts a multipart upload at all. A multipart upload is also recorded
with the storage's :attr:`S3Storage.guard` (the job queue, :mod:`genie.uploads`),
so that one whose node is killed is aborted by another process.

Credentials and region come from the standard ``AWS_*`` variables (or any source
botocore reads: profile, instance role); ``GENIE_S3_ENDPOINT_URL`` names a
non-AWS endpoint, which is then addressed path-style (``endpoint/bucket/key``).
"""

from __future__ import annotations

import asyncio
import io
import logging
from collections.abc import AsyncGenerator
from typing import Any

from aiobotocore.config import AioConfig
from aiobotocore.session import get_session
from botocore.exceptions import ClientError

from genie.settings import S3Location
from genie.storage.base import READ_SIZE, Blob, LoopLane, Storage, Upload, UploadGuard

#: Bytes per part (S3's minimum is 5 MiB, except for the last part). Grows by
#: this much every :data:`PARTS_PER_STEP` parts, so that S3's 10,000 parts
#: reach about 430 GiB.
PART_SIZE = 8 * 1024 * 1024
PARTS_PER_STEP = 1000
#: Parts sent at once. An upload holds this many parts, the one filling (and,
#: a moment, its joined copy), and the 8 MiB the lanes have in flight: about
#: 40 MiB at most.
PARTS_IN_FLIGHT = 2
#: How long a presigned download URL is valid (``GENIE_S3_PRESIGN``).
PRESIGN_SECONDS = 300
_MISSING = {"404", "NoSuchKey", "NotFound"}
_NO_UPLOAD = "NoSuchUpload"

log = logging.getLogger("genie.storage")


class _PartBody(io.RawIOBase):
    """A part as a seekable file. aiohttp sends a file 64 KiB at a time, while a
    bytes body is copied whole on its way to the socket (a slice, then the
    transport's buffer): three copies of each part in flight instead of one."""

    def __init__(self, data: bytearray) -> None:
        super().__init__()
        self._data = memoryview(data)
        self._position = 0

    def __len__(self) -> int:
        return len(self._data)

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        start = self._position
        size = min(len(buffer), len(self._data) - start)
        buffer[:size] = self._data[start : start + size]
        self._position += size
        return size

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._position, io.SEEK_END: len(self._data)}
        self._position = max(0, base[whence] + offset)
        return self._position

    def tell(self) -> int:
        return self._position


class S3Upload(Upload):
    def __init__(self, storage: S3Storage, key: str) -> None:
        super().__init__(key)
        self._storage = storage
        self._lane = LoopLane()
        self._pending: list[bytes] = []
        self._pending_size = 0
        self._upload_id: str | None = None
        self._parts: list[asyncio.Task[dict[str, Any]]] = []
        self._slots = asyncio.Semaphore(PARTS_IN_FLIGHT)
        #: The guard's handle for this multipart upload, and the task renewing it.
        self._guarded: tuple[int, asyncio.Task[None]] | None = None

    def _write(self, data: bytes) -> asyncio.Future[object]:
        return self._lane.run(self._buffer, data)

    async def _buffer(self, data: bytes) -> None:
        self._pending.append(data)
        self._pending_size += len(data)
        if self._pending_size >= PART_SIZE * (1 + len(self._parts) // PARTS_PER_STEP):
            await self._send_part()

    def _take(self) -> _PartBody:
        body = _PartBody(bytearray().join(self._pending))
        self._pending.clear()
        self._pending_size = 0
        return body

    async def _send_part(self) -> None:
        client, bucket, key = await self._storage.target(self.key)
        if self._upload_id is None:
            await self._create(client, bucket, key)
        await self._slots.acquire()
        for sent in self._parts:
            if sent.done() and sent.exception() is not None:
                self._slots.release()
                sent.result()  # a failed part fails the upload now, not at commit
        number = len(self._parts) + 1
        body = self._take()
        self._parts.append(asyncio.create_task(self._upload_part(client, number, body)))

    async def _create(self, client: Any, bucket: str, key: str) -> None:
        """Start the multipart upload, recorded with the guard first: a process
        killed between the two leaves a record of the key, and the upload is
        aborted by the key alone."""
        guard = self._storage.guard
        if guard is not None:
            handle = await guard.opened(self.key)
            self._guarded = (handle, asyncio.create_task(guard.keep(handle)))
        try:
            created = await client.create_multipart_upload(Bucket=bucket, Key=key)
        except ClientError:  # S3 answered: nothing was created
            await self._unguard(forget=True)
            raise
        except BaseException:  # S3 may have created it and the answer been lost
            await self._unguard(forget=False)
            raise
        self._upload_id = created["UploadId"]
        if guard is not None and self._guarded is not None:
            try:
                await guard.named(self._guarded[0], self.key, self._upload_id)
            except Exception as exc:  # the record of the key alone still aborts it
                log.warning("could not name upload record: %s", type(exc).__name__)

    async def _unguard(self, *, forget: bool) -> None:
        """Stop renewing the guard's record; ``forget`` it too (the upload is over;
        otherwise it stays, and another process aborts the upload later)."""
        guarded, self._guarded = self._guarded, None
        if guarded is None or self._storage.guard is None:
            return
        handle, keeper = guarded
        keeper.cancel()
        await asyncio.gather(keeper, return_exceptions=True)
        if forget:
            try:
                await self._storage.guard.closed(handle)
            except Exception as exc:  # its job later finds the upload gone: no harm
                log.warning("could not forget upload record %s: %s", handle, type(exc).__name__)

    async def _upload_part(self, client: Any, number: int, body: _PartBody) -> dict[str, Any]:
        try:
            _, bucket, key = await self._storage.target(self.key)
            sent = await client.upload_part(
                Bucket=bucket, Key=key, UploadId=self._upload_id, PartNumber=number, Body=body
            )
        finally:
            self._slots.release()
        return {"PartNumber": number, "ETag": sent["ETag"]}

    async def commit(self) -> None:
        try:
            client, bucket, key = await self._storage.target(self.key)
            if self._upload_id is None:
                await client.put_object(Bucket=bucket, Key=key, Body=self._take())
                return
            if self._pending:
                await self._send_part()
            parts = await asyncio.gather(*self._parts)
            await client.complete_multipart_upload(
                Bucket=bucket, Key=key, UploadId=self._upload_id, MultipartUpload={"Parts": parts}
            )
            self._upload_id = None
            await self._unguard(forget=True)
        finally:
            self._close_lanes()

    async def abort(self) -> None:
        self._close_lanes()
        self._pending.clear()
        for part in self._parts:
            part.cancel()
        await asyncio.gather(*self._parts, return_exceptions=True)
        self._parts.clear()
        upload_id, self._upload_id = self._upload_id, None
        if upload_id is not None:
            # Even when the request that owns it is being cancelled.
            await asyncio.shield(self._abort_remote(upload_id))

    async def _abort_remote(self, upload_id: str) -> None:
        try:
            await self._storage.abort_upload(self.key, upload_id)
        except BaseException:
            await self._unguard(forget=False)  # another process aborts it later
            raise
        await self._unguard(forget=True)


class S3Storage(Storage):
    def __init__(
        self,
        location: S3Location,
        *,
        endpoint_url: str | None = None,
        region: str | None = None,
        presign: bool = False,
    ) -> None:
        self.location = location
        self.endpoint_url = endpoint_url
        self.region = region
        self.presigns = presign
        self._client: Any = None
        self._client_context: Any = None
        self._lock = asyncio.Lock()
        #: Where unfinished multipart uploads are recorded (:meth:`guard_uploads`).
        self.guard: UploadGuard | None = None

    async def client(self) -> Any:
        """The aiobotocore client, made on first use (on the running loop)."""
        if self._client is not None:
            return self._client
        async with self._lock:
            if self._client is None:
                s3: dict[str, Any] = {"addressing_style": "path"} if self.endpoint_url else {}
                config = AioConfig(
                    s3=s3,
                    signature_version="s3v4",
                    # The upload's own lanes hash every byte already; S3 checks
                    # each part's signed SHA-256 (or TLS does).
                    request_checksum_calculation="when_required",
                    response_checksum_validation="when_required",
                    max_pool_connections=32,
                )
                self._client_context = get_session().create_client(
                    "s3", endpoint_url=self.endpoint_url, region_name=self.region, config=config
                )
                self._client = await self._client_context.__aenter__()
        return self._client

    async def target(self, key: str) -> tuple[Any, str, str]:
        """The client, the bucket, and the object key of ``key``."""
        return await self.client(), self.location.bucket, self.location.key(key)

    def begin(self, key: str) -> S3Upload:
        return S3Upload(self, key)

    def guard_uploads(self, guard: UploadGuard) -> None:
        self.guard = guard

    async def abort_upload(self, key: str, upload_id: str | None) -> None:
        client, bucket, name = await self.target(key)
        ids = [upload_id] if upload_id is not None else await _uploads_of(client, bucket, name)
        for one in ids:
            try:
                await client.abort_multipart_upload(Bucket=bucket, Key=name, UploadId=one)
            except ClientError as exc:
                if exc.response.get("Error", {}).get("Code") != _NO_UPLOAD:
                    raise

    async def stat(self, key: str) -> Blob | None:
        client, bucket, name = await self.target(key)
        try:
            head = await client.head_object(Bucket=bucket, Key=name)
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in _MISSING:
                return None
            raise
        return Blob(size=int(head["ContentLength"]), modified=head["LastModified"].timestamp())

    async def read(self, key: str, start: int, end: int) -> AsyncGenerator[bytes, None]:
        if start >= end:
            return
        client, bucket, name = await self.target(key)
        got = await client.get_object(Bucket=bucket, Key=name, Range=f"bytes={start}-{end - 1}")
        async with got["Body"] as body:
            async for chunk in body.iter_chunks(READ_SIZE):
                yield chunk

    async def delete(self, key: str) -> None:
        client, bucket, name = await self.target(key)
        await client.delete_object(Bucket=bucket, Key=name)  # S3: missing is no error

    async def probe(self) -> None:
        """The bucket answers and the credentials may list it (``/readyz``): one
        ``ListObjectsV2`` of at most one key under the prefix, never a write."""
        client, bucket, prefix = await self.target("")
        await client.list_objects_v2(Bucket=bucket, Prefix=prefix, MaxKeys=1)

    async def presign(self, key: str, *, media_type: str, disposition: str) -> str | None:
        if not self.presigns:
            return None
        client, bucket, name = await self.target(key)
        url: str = await client.generate_presigned_url(
            "get_object",
            Params={
                "Bucket": bucket,
                "Key": name,
                "ResponseContentType": media_type,
                "ResponseContentDisposition": disposition,
            },
            ExpiresIn=PRESIGN_SECONDS,
        )
        return url

    async def close(self) -> None:
        context, self._client_context, self._client = self._client_context, None, None
        if context is not None:
            await context.__aexit__(None, None, None)


async def _uploads_of(client: Any, bucket: str, name: str) -> list[str]:
    """The ids of the unfinished multipart uploads of exactly ``name``."""
    pages = client.get_paginator("list_multipart_uploads").paginate(Bucket=bucket, Prefix=name)
    return [
        u["UploadId"] async for page in pages for u in page.get("Uploads", []) if u["Key"] == name
    ]
