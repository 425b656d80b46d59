"""Fixtures of the storage suite, which runs once per backend: moto's S3 in server
mode, the app and ``genie serve`` with files in S3, and each backend on its own.
(A plugin of ``tests/conftest.py``.)"""

from __future__ import annotations

import dataclasses
import secrets
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from genie.settings import Settings
from genie.storage import FilesystemStorage, Storage, from_settings
from tests.conftest import Env, LiveServer, _live_server, _make_env
from tests.leaks import WATCH
from tests.storage import BucketView, FolderView, MotoS3, StorageView, moto_server


@pytest.fixture(scope="session")
def moto_s3() -> Iterator[MotoS3]:
    """moto's S3 in server mode, for the whole run; the standard AWS variables
    point at it (its secret key is watched for leaks)."""
    with moto_server() as s3, pytest.MonkeyPatch.context() as patch:
        for name, value in s3.environ().items():
            patch.setenv(name, value)
        WATCH.register(s3.secret_key)
        yield s3


@dataclass
class Backend:
    """A storage backend on its own, and what it holds."""

    storage: Storage
    files: StorageView


@pytest.fixture
async def s3_backend(moto_s3: MotoS3, tmp_path: Path) -> AsyncIterator[Backend]:
    """S3 storage on a prefix of its own in the moto bucket."""
    settings, files = on_s3(Settings(data_dir=tmp_path), moto_s3, "unit")
    storage = from_settings(settings)
    try:
        yield Backend(storage, files)
    finally:
        await storage.close()


@pytest.fixture(params=["folder", "s3"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Backend:
    """Each storage backend in turn: a folder, and a prefix of the moto bucket."""
    if request.param == "folder":
        return Backend(FilesystemStorage(tmp_path / "data"), FolderView(tmp_path / "data"))
    s3: Backend = request.getfixturevalue("s3_backend")
    return s3


def on_s3(settings: Settings, s3: MotoS3, prefix: str) -> tuple[Settings, BucketView]:
    """``settings`` with storage in the test bucket under ``prefix``, and its view."""
    location = s3.location(f"{prefix}-{secrets.token_hex(3)}")
    changed = dataclasses.replace(
        settings, s3=location, s3_endpoint_url=s3.endpoint, s3_region=s3.environ()["AWS_REGION"]
    )
    return changed, BucketView(s3, location)


@pytest.fixture(scope="session")
async def pg_s3_env(pg_env: Env, moto_s3: MotoS3) -> AsyncIterator[Env]:
    """As ``pg``, with files in S3 (moto)."""
    settings, files = on_s3(pg_env.runtime.settings, moto_s3, "pg")
    async for env in _make_env("postgres-s3", settings, files):
        yield env


@pytest.fixture(params=["postgres", "sqlite", "postgres-s3"], ids=["postgres", "sqlite", "s3"])
def storage_env(request: pytest.FixtureRequest) -> Env:
    """The storage suite's ``env``: PostgreSQL and SQLite with files in the folder,
    and PostgreSQL with files in S3. (S3 is for several nodes, which need
    PostgreSQL; SQLite adds nothing to what S3 is tested for.) A module of the
    suite makes it its ``env`` by overriding that fixture with this one."""
    name = {"postgres": "pg_env", "sqlite": "sqlite_env", "postgres-s3": "pg_s3_env"}
    fixture: Env = request.getfixturevalue(name[request.param])
    return fixture


@pytest.fixture(scope="session")
def live_s3_server(
    tmp_path_factory: pytest.TempPathFactory, moto_s3: MotoS3
) -> Iterator[LiveServer]:
    """As ``live_server``, with files in S3 (moto, in this process); ``files``
    lists the bucket's."""
    location = moto_s3.location(f"live-{secrets.token_hex(3)}")
    extra = {
        **moto_s3.environ(),
        "GENIE_STORAGE_URL": f"s3://{location.bucket}/{location.prefix}",
        "GENIE_S3_ENDPOINT_URL": moto_s3.endpoint,
    }
    with _live_server(tmp_path_factory, "live_s3", extra) as server:
        server.files = BucketView(moto_s3, location)
        yield server
