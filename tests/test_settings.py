from __future__ import annotations

from pathlib import Path

import pytest

from genie.build_worker import limits
from genie.db import async_url, sync_url
from genie.settings import S3Location, Settings, SettingsError


def test_defaults_are_the_embedded_ones() -> None:
    settings = Settings.from_env({})
    assert settings.database_url == "sqlite:///./genie.db"
    assert settings.data_dir == Path("./genie-data")
    assert settings.object_max_size == 5 * 1024 * 1024
    assert settings.image_max_size == 0
    assert settings.debug is False
    assert settings.base_url is None
    assert settings.validate_responses is False


def test_environment_overrides() -> None:
    settings = Settings.from_env(
        {
            "GENIE_DATABASE_URL": "postgresql://postgres@127.0.0.1/x",
            "GENIE_DATA_DIR": "/srv/files",
            "GENIE_OBJECT_MAX_SIZE": "1048576",
            "GENIE_IMAGE_MAX_SIZE": "4294967296",
            "GENIE_DEBUG": "1",
            "GENIE_BASE_URL": "https://genie.example.com/",
        }
    )
    assert settings.database_url == "postgresql://postgres@127.0.0.1/x"
    assert settings.data_dir == Path("/srv/files")
    assert settings.object_max_size == 1048576
    assert settings.image_max_size == 4 * 1024**3
    assert settings.debug is True
    assert settings.base_url == "https://genie.example.com"


@pytest.mark.parametrize("variable", ["GENIE_OBJECT_MAX_SIZE", "GENIE_IMAGE_MAX_SIZE"])
@pytest.mark.parametrize("value", ["5MB", "-1", "1.5"])
def test_bad_size_is_refused(variable: str, value: str) -> None:
    with pytest.raises(SettingsError, match=variable):
        Settings.from_env({variable: value})


@pytest.mark.parametrize(
    ("url", "async_driver", "sync_driver"),
    [
        ("postgresql://u@h/db", "postgresql+asyncpg", "postgresql+psycopg2"),
        ("postgres://u@h/db", "postgresql+asyncpg", "postgresql+psycopg2"),
        ("postgresql+psycopg2://u@h/db", "postgresql+asyncpg", "postgresql+psycopg2"),
        ("sqlite:///./genie.db", "sqlite+aiosqlite", "sqlite+pysqlite"),
    ],
)
def test_one_url_serves_both_drivers(url: str, async_driver: str, sync_driver: str) -> None:
    assert async_url(url).drivername == async_driver
    assert sync_url(url).drivername == sync_driver
    assert async_url(url).database == sync_url(url).database


def test_unsupported_database() -> None:
    with pytest.raises(ValueError, match="unsupported database"):
        async_url("mysql://u@h/db")


def test_settings_refuse_unknown_formats_and_short_tokens() -> None:
    assert Settings.from_env({}).log_format == "text"
    assert Settings.from_env({"GENIE_LOG_FORMAT": "JSON"}).log_format == "json"
    with pytest.raises(SettingsError, match="GENIE_LOG_FORMAT"):
        Settings.from_env({"GENIE_LOG_FORMAT": "xml"})
    with pytest.raises(SettingsError, match="GENIE_METRICS_TOKEN"):
        Settings.from_env({"GENIE_METRICS_TOKEN": "short"})
    assert Settings.from_env({}).metrics_token is None
    assert "metrics_token" not in repr(Settings(metrics_token="x" * 20))
    assert Settings.from_env({}).shutdown_grace == 20
    assert Settings.from_env({"GENIE_SHUTDOWN_GRACE": "0"}).shutdown_grace == 0
    for bad in ("-1", "1.5", "soon"):
        with pytest.raises(SettingsError, match="GENIE_SHUTDOWN_GRACE"):
            Settings.from_env({"GENIE_SHUTDOWN_GRACE": bad})


def test_job_lease_is_five_minutes_unless_set_and_never_under_five_seconds() -> None:
    assert Settings.from_env({}).job_lease == 300
    assert Settings.from_env({"GENIE_JOB_LEASE": "5"}).job_lease == 5
    for bad in ("4", "0", "-1", "soon"):
        with pytest.raises(SettingsError, match="GENIE_JOB_LEASE"):
            Settings.from_env({"GENIE_JOB_LEASE": bad})


def test_storage_is_the_folder_unless_an_s3_url_is_given() -> None:
    assert Settings.from_env({}).s3 is None
    settings = Settings.from_env(
        {
            "GENIE_STORAGE_URL": "s3://genie-files/prod/eu/",
            "GENIE_S3_ENDPOINT_URL": "http://127.0.0.1:9000",
            "AWS_DEFAULT_REGION": "eu-west-3",
            "GENIE_S3_PRESIGN": "1",
        }
    )
    assert settings.s3 == S3Location("genie-files", "prod/eu")
    assert settings.s3.key("objects/ab/abc") == "prod/eu/objects/ab/abc"
    assert settings.s3_endpoint_url == "http://127.0.0.1:9000"
    assert settings.s3_region == "eu-west-3"
    assert settings.s3_presign is True
    bare = Settings.from_env({"GENIE_STORAGE_URL": "s3://bucket", "AWS_REGION": "us-west-2"})
    assert bare.s3 == S3Location("bucket", "")
    assert bare.s3.key("objects/x") == "objects/x"
    assert (bare.s3_region, bare.s3_presign, bare.s3_endpoint_url) == ("us-west-2", False, None)


@pytest.mark.parametrize("url", ["/srv/files", "file:///srv", "s3://", "s3:///prefix", "gs://b/p"])
def test_a_storage_url_that_is_not_s3_is_refused(url: str) -> None:
    with pytest.raises(SettingsError, match="GENIE_STORAGE_URL must be s3://bucket/prefix"):
        Settings.from_env({"GENIE_STORAGE_URL": url})


def test_build_limits_are_on_by_default_and_zero_turns_one_off() -> None:
    default = limits(Settings.from_env({}))
    assert (default.cpu_seconds, default.memory_bytes, default.file_size_bytes) == (
        3600,
        8 * 1024**3,
        4 * 1024**3,
    )
    given = {"GENIE_BUILD_CPU": "60", "GENIE_BUILD_MEMORY": "0", "GENIE_BUILD_FILE_SIZE": "1024"}
    chosen = limits(Settings.from_env(given))
    assert (chosen.cpu_seconds, chosen.memory_bytes, chosen.file_size_bytes) == (60, None, 1024)
    with pytest.raises(SettingsError, match="GENIE_BUILD_MEMORY cannot be negative"):
        Settings.from_env({"GENIE_BUILD_MEMORY": "-1"})
    with pytest.raises(SettingsError, match="GENIE_BUILD_CPU must be a whole number of seconds"):
        Settings.from_env({"GENIE_BUILD_CPU": "1h"})
