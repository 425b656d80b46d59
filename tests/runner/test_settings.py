"""DriverSettings from the environment and from genie's Settings."""

from __future__ import annotations

from pathlib import Path

import pytest

from genie.runner import DriverSettings
from genie.settings import Settings


def test_drivers_network_and_host_from_the_environment(tmp_path: Path) -> None:
    settings = DriverSettings.from_env(
        {
            "GENIE_DRIVERS": "os, ssh",
            "DOCKER_HOST": "unix:///run/d.sock",
            "GENIE_DOCKER_NETWORK": "none",
            "GENIE_OS_NETWORK": "none",
            "GENIE_BWRAP": "0",
        },
        data_dir=tmp_path,
    )
    assert settings.enabled == {"os", "ssh"}
    assert settings.docker_host == "unix:///run/d.sock"
    assert settings.docker_network == "none"
    assert settings.isolate_network
    assert settings.bwrap is None


def test_os_is_off_unless_listed() -> None:
    assert DriverSettings.from_env({}).enabled == {"ssh", "docker"}
    assert "os" not in DriverSettings().enabled


def test_an_unknown_driver_is_refused() -> None:
    with pytest.raises(ValueError, match="GENIE_DRIVERS: unknown driver podman"):
        DriverSettings.from_env({"GENIE_DRIVERS": "os podman"})


def test_genies_own_paths_are_hidden(tmp_path: Path) -> None:
    data = tmp_path / "data"
    db = tmp_path / "db" / "genie.db"
    settings = DriverSettings.from_settings(
        Settings(database_url=f"sqlite:///{db}", data_dir=data),
        {"HOME": str(tmp_path / "home"), "GENIE_BUILD_HIDDEN_PATHS": "/srv/a:/srv/b"},
    )
    hidden = set(settings.hidden_paths)
    expected = {data, db.parent, tmp_path / "home", Path("/root"), Path("/srv/a"), Path("/srv/b")}
    assert {p.resolve() for p in expected} <= hidden
    root = DriverSettings.from_env({"HOME": "/", "GENIE_DATABASE_URL": "sqlite:////genie.db"})
    assert Path("/") not in root.hidden_paths
