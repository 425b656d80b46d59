"""The storage suite's two backends, as the tests see them.

:class:`FolderView` and :class:`BucketView` list what a backend holds, staging
included (a folder's ``.tmp/*.part``, a bucket's unfinished multipart uploads),
as :class:`StoredFile` entries that tests compare before and after a request,
read, or remove. :func:`moto_server` runs moto's S3 in server mode on a free
loopback port, in a thread of the test process.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import boto3
from botocore.config import Config

from genie.settings import S3Location

REGION = "us-east-1"


@dataclass(frozen=True, order=True)
class StoredFile:
    """One stored file (or unfinished upload), named so that lists compare."""

    name: str
    _read: Callable[[], bytes] = field(compare=False, repr=False)
    _remove: Callable[[], None] = field(compare=False, repr=False)

    def read_bytes(self) -> bytes:
        return self._read()

    def unlink(self) -> None:
        self._remove()


class StorageView(Protocol):
    def files(self) -> list[StoredFile]:
        """Every stored file, unfinished uploads included, sorted."""

    def staged(self) -> list[StoredFile]:
        """Only the unfinished uploads."""


@dataclass
class FolderView:
    root: Path
    #: Files of the data directory that are not storage (the master key).
    ignored: frozenset[str] = frozenset({"secret.key"})

    def _entry(self, path: Path) -> StoredFile:
        return StoredFile(str(path), path.read_bytes, path.unlink)

    def files(self) -> list[StoredFile]:
        found = (p for p in self.root.rglob("*") if p.is_file() and p.name not in self.ignored)
        return sorted(self._entry(p) for p in found)

    def staged(self) -> list[StoredFile]:
        return sorted(self._entry(p) for p in (self.root / ".tmp").glob("*"))


@dataclass
class MotoS3:
    """moto's S3 on 127.0.0.1, with one bucket and test credentials."""

    endpoint: str
    bucket: str
    access_key: str
    secret_key: str

    def client(self) -> Any:
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            region_name=REGION,
            aws_access_key_id=self.access_key,
            aws_secret_access_key=self.secret_key,
            config=Config(s3={"addressing_style": "path"}),
        )

    def environ(self) -> dict[str, str]:
        """The standard variables a server process reads its credentials from."""
        return {
            "AWS_ACCESS_KEY_ID": self.access_key,
            "AWS_SECRET_ACCESS_KEY": self.secret_key,
            "AWS_REGION": REGION,
        }

    def location(self, prefix: str) -> S3Location:
        return S3Location(self.bucket, prefix)


@dataclass
class BucketView:
    s3: MotoS3
    location: S3Location
    _client: Any = None

    @property
    def client(self) -> Any:
        if self._client is None:
            self._client = self.s3.client()
        return self._client

    def _object(self, key: str) -> StoredFile:
        def read() -> bytes:
            body: bytes = self.client.get_object(Bucket=self.s3.bucket, Key=key)["Body"].read()
            return body

        def remove() -> None:
            self.client.delete_object(Bucket=self.s3.bucket, Key=key)

        return StoredFile(f"s3://{self.s3.bucket}/{key}", read, remove)

    def _upload(self, key: str, upload_id: str) -> StoredFile:
        def remove() -> None:
            self.client.abort_multipart_upload(Bucket=self.s3.bucket, Key=key, UploadId=upload_id)

        return StoredFile(f"multipart:{key}:{upload_id}", lambda: b"", remove)

    def objects(self) -> list[StoredFile]:
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.s3.bucket, Prefix=self.location.key("")
        )
        return sorted(self._object(o["Key"]) for page in pages for o in page.get("Contents", []))

    def staged(self) -> list[StoredFile]:
        listed = self.client.list_multipart_uploads(
            Bucket=self.s3.bucket, Prefix=self.location.key("")
        )
        return sorted(self._upload(u["Key"], u["UploadId"]) for u in listed.get("Uploads", []))

    def files(self) -> list[StoredFile]:
        return sorted(self.objects() + self.staged())


@contextmanager
def moto_server() -> Iterator[MotoS3]:
    """moto in server mode on a free loopback port, with a bucket made for the run."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    s3 = MotoS3(
        endpoint=f"http://{host}:{port}",
        bucket=f"genie-test-{secrets.token_hex(4)}",
        access_key="AKIA" + secrets.token_hex(8).upper(),
        secret_key=secrets.token_urlsafe(30),
    )
    s3.client().create_bucket(Bucket=s3.bucket)
    try:
        yield s3
    finally:
        server.stop()
