from __future__ import annotations

from pathlib import Path

import pytest

from genie.db import async_url, sync_url
from genie.settings import Settings, SettingsError


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
