"""The DjaoDjin commands: ``genie apikeys`` and ``genie orgs``, and the personal
organization ``genie users create`` makes, against PostgreSQL and the real app."""

from __future__ import annotations

import base64
import re
import secrets

import pytest
from click.testing import CliRunner

from genie.cli import main
from models.api_keys import ALPHABET
from tests.conftest import Env


@pytest.fixture
def cli(pg: Env) -> CliRunner:
    # The app's data dir: the CLI MACs API keys with the same generated secret key.
    return CliRunner(
        env={
            "GENIE_DATABASE_URL": pg.runtime.settings.database_url,
            "GENIE_DATA_DIR": str(pg.data_dir),
        }
    )


def run(cli: CliRunner, *args: str, code: int = 0) -> str:
    result = cli.invoke(main, list(args))
    assert result.exit_code == code, result.output
    return str(result.output)


def auth(key: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{key}:".encode()).decode()}


def name(prefix: str) -> str:
    return f"{prefix}{secrets.token_hex(4)}"


async def test_a_user_gets_a_personal_organization_and_a_key_that_works(
    cli: CliRunner, pg: Env
) -> None:
    user = name("cli")
    run(cli, "users", "create", user, "--email", f"{user}@example.com")
    output = run(cli, "apikeys", "create", user, "--title", "laptop")
    assert re.fullmatch(f"[{ALPHABET}]{{64}}\n", output), "only the key is printed"
    key = output.strip()
    created = await pg.client.post(
        f"/api/containers/{user}/apps/", json={"slug": name("a")}, headers=auth(key)
    )
    assert created.status_code == 201, created.text

    run(cli, "apikeys", "revoke", key[:32])
    revoked = await pg.client.get(f"/api/containers/{user}/apps/", headers=auth(key))
    assert (revoked.status_code, revoked.json()) == (401, {"detail": "Invalid token"})
    assert "no such API key" in run(cli, "apikeys", "revoke", key[:32], code=1)


async def test_organizations_and_roles(cli: CliRunner, pg: Env) -> None:
    boss, helper, org = name("boss"), name("help"), name("org-")
    for user in (boss, helper):
        run(cli, "users", "create", user, "--email", f"{user}@example.com")
    boss_key = run(cli, "apikeys", "create", boss).strip()
    helper_key = run(cli, "apikeys", "create", helper).strip()
    assert run(cli, "orgs", "create", org, "--manager", boss) == f"{org}\n"
    url = f"/api/containers/{org}/apps/"
    assert (
        await pg.client.post(url, json={"slug": name("x")}, headers=auth(boss_key))
    ).status_code == 201
    assert (await pg.client.get(url, headers=auth(helper_key))).status_code == 403

    run(cli, "orgs", "add-role", org, helper, "--role", "contributor")
    assert (await pg.client.get(url, headers=auth(helper_key))).status_code == 200
    assert (
        await pg.client.post(url, json={"slug": name("y")}, headers=auth(helper_key))
    ).status_code == 403
    run(cli, "orgs", "add-role", org, helper, "--role", "manager")
    assert (
        await pg.client.post(url, json={"slug": name("z")}, headers=auth(helper_key))
    ).status_code == 201


def test_cli_refusals(cli: CliRunner) -> None:
    user = name("ref")
    run(cli, "users", "create", user, "--email", f"{user}@example.com")
    assert "no such user" in run(cli, "apikeys", "create", "nobody-here", code=1)
    assert "at most 100" in run(cli, "apikeys", "create", user, "--title", "t" * 101, code=2)
    assert "at most 50" in run(cli, "orgs", "create", "bad slug", "--manager", user, code=2)
    org = name("dup-")
    run(cli, "orgs", "create", org, "--manager", user)
    assert "already exists" in run(cli, "orgs", "create", org, "--manager", user, code=1)
    assert "no such organization" in run(
        cli, "orgs", "add-role", name("none-"), user, "--role", "manager", code=1
    )
    assert "is not one of 'manager', 'contributor'" in run(
        cli, "orgs", "add-role", org, user, "--role", "owner", code=2
    )
    # A username that an organization already carries cannot be given a personal one.
    clash = name("clash")
    run(cli, "orgs", "create", clash, "--manager", user)
    assert "already named" in run(
        cli, "users", "create", clash, "--email", f"{clash}@x.org", code=1
    )
