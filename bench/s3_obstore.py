"""The other S3 client of the A/B (bench/README.md): genie's S3 uploads through
obstore instead of aiobotocore, for the benchmark only.

    python -m bench.s3_obstore serve --port 8001   # genie serve, uploads via obstore

Only the upload path is replaced (what the A/B measures): each upload feeds
``obstore.put_async`` from an async iterator, through a small queue; obstore
sends the multipart upload (parts of ``PART_SIZE``, ``PARTS_IN_FLIGHT`` at a time,
as genie's own backend) and aborts it when the iterator raises. Reads, deletes
and presigning stay genie's (aiobotocore).
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator
from typing import Any

import obstore
from obstore.store import S3Store

from genie.settings import Settings
from genie.storage import base
from genie.storage import s3 as genie_s3


class _Aborted(Exception):
    """Raised into obstore's iterator: it then aborts the multipart upload."""


class ObstoreUpload(base.Upload):
    def __init__(self, store: S3Store, key: str) -> None:
        super().__init__(key)
        self._store = store
        self._lane = base.LoopLane()
        self._queue: asyncio.Queue[bytes | BaseException | None] = asyncio.Queue(maxsize=2)
        self._put: asyncio.Future[Any] | None = None

    def _write(self, data: bytes) -> asyncio.Future[object]:
        return self._lane.run(self._feed, data)

    async def _feed(self, data: bytes) -> None:
        if self._put is None:
            self._put = asyncio.ensure_future(
                obstore.put_async(
                    self._store,
                    self.key,
                    self._chunks(),
                    chunk_size=genie_s3.PART_SIZE,
                    max_concurrency=genie_s3.PARTS_IN_FLIGHT,
                )
            )
        await self._queue.put(data)
        if self._put.done():
            self._put.result()

    async def _chunks(self) -> AsyncIterator[bytes]:
        while True:
            item = await self._queue.get()
            if item is None:
                return
            if isinstance(item, BaseException):
                raise item
            yield item

    async def commit(self) -> None:
        try:
            if self._put is None:
                await obstore.put_async(self._store, self.key, b"")
                return
            await self._queue.put(None)
            await self._put
        finally:
            self._close_lanes()

    async def abort(self) -> None:
        self._close_lanes()
        if self._put is not None and not self._put.done():
            await self._queue.put(_Aborted())
            await asyncio.gather(self._put, return_exceptions=True)


class ObstoreUploads(genie_s3.S3Storage):
    """genie's S3 storage, with uploads sent by obstore."""

    def __init__(self, settings: Settings) -> None:
        assert settings.s3 is not None
        super().__init__(
            settings.s3, endpoint_url=settings.s3_endpoint_url, region=settings.s3_region
        )
        self._obstore = S3Store(
            settings.s3.bucket,
            prefix=settings.s3.prefix or None,
            endpoint=settings.s3_endpoint_url,
            region=settings.s3_region or "us-east-1",
            client_options={"allow_http": True},
        )

    def begin(self, key: str) -> ObstoreUpload:  # type: ignore[override]
        return ObstoreUpload(self._obstore, key)


def main() -> None:
    from genie import cli, runtime

    def storage(settings: Settings) -> base.Storage:
        return ObstoreUploads(settings)

    runtime.from_settings = storage  # type: ignore[assignment]
    cli.main(sys.argv[1:])


if __name__ == "__main__":
    main()
