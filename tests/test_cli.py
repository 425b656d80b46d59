"""The ``genie`` command line, against PostgreSQL."""

from __future__ import annotations

import re
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest
from click.testing import CliRunner

import genie
from genie.cli import main
from tests.conftest import Env


@pytest.fixture
def cli(pg_url: str, tmp_path) -> CliRunner:  # type: ignore[no-untyped-def]
    return CliRunner(env={"GENIE_DATABASE_URL": pg_url, "GENIE_DATA_DIR": str(tmp_path)})


def make_user(cli: CliRunner, name: str) -> int:
    result = cli.invoke(main, ["users", "create", name, "--email", f"{name}@example.com"])
    assert result.exit_code == 0, result.output
    assert re.fullmatch(r"\d+\n", result.output)
    return int(result.output)


async def test_token_from_cli_works_and_revoke_stops_it(cli: CliRunner, pg: Env) -> None:
    make_user(cli, "clialice")
    result = cli.invoke(
        main, ["tokens", "create", "clialice", "--scopes", "object:read,write namespace:read"]
    )
    assert result.exit_code == 0, result.output
    assert re.fullmatch(r"[0-9a-f]{32}\n", result.output), "only the token is printed"
    token = result.output.strip()
    headers = {"Authorization": f"Bearer {token}"}
    assert (await pg.client.get("/djinn/objects", headers=headers)).status_code == 200
    denied = await pg.client.delete("/djinn/objects/1", headers=headers)
    assert denied.status_code == 403

    revoked = cli.invoke(main, ["tokens", "revoke", token])
    assert revoked.exit_code == 0
    assert (await pg.client.get("/djinn/objects", headers=headers)).status_code == 401
    again = cli.invoke(main, ["tokens", "revoke", token])
    assert again.exit_code == 1
    assert "no such token" in again.output


@pytest.mark.parametrize(
    ("scopes", "message"),
    [
        ("object:reed", "unknown permission: reed"),
        ("objects:read", "unknown resource: objects"),
        ("objectread", "expected resource:perm"),
        ("object:", "no permission given"),
        ("", "at least one scope"),
    ],
)
def test_bad_scopes_exit_2_with_a_clear_error(cli: CliRunner, scopes: str, message: str) -> None:
    result = cli.invoke(main, ["tokens", "create", "anyone", "--scopes", scopes])
    assert result.exit_code == 2
    assert message in result.output
    assert "--scopes" in result.output


def test_duplicate_and_bad_users(cli: CliRunner) -> None:
    make_user(cli, "clibob")
    dup = cli.invoke(main, ["users", "create", "clibob", "--email", "other@example.com"])
    assert dup.exit_code == 1
    assert "already taken" in dup.output
    bad = cli.invoke(main, ["users", "create", "no spaces", "--email", "x@example.com"])
    assert bad.exit_code == 2
    bad_email = cli.invoke(main, ["users", "create", "carol", "--email", "nope"])
    assert bad_email.exit_code == 2
    unknown = cli.invoke(main, ["tokens", "create", "nobody", "--scopes", "object:read"])
    assert unknown.exit_code == 1
    assert "no such user" in unknown.output


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["serve"],
        ["migrate"],
        ["users"],
        ["users", "create"],
        ["tokens"],
        ["tokens", "create"],
        ["tokens", "revoke"],
    ],
)
def test_help_everywhere(args: list[str]) -> None:
    result = CliRunner().invoke(main, [*args, "--help"])
    assert result.exit_code == 0
    assert "Usage: " in result.output


@pytest.mark.parametrize(
    "argv", [[str(Path(sys.executable).parent / "genie")], [sys.executable, "-m", "genie"]]
)
def test_version_prints_the_package_version(argv: list[str]) -> None:
    result = subprocess.run(
        [*argv, "--version"], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout == f"genie, version {version('genie')}\n"
    assert version("genie") == genie.__version__


def test_the_server_freezes_start_up_and_collects_the_young_generation_less_often() -> None:
    """``genie serve`` tunes the cyclic collector once its app is built
    (genie.process.tune_gc); the test process gets its own settings back."""
    import gc

    from genie.process import GC_THRESHOLDS, tune_gc

    before = gc.get_threshold()
    try:
        tune_gc()
        assert gc.get_threshold() == GC_THRESHOLDS
        assert GC_THRESHOLDS[0] > before[0]
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)
