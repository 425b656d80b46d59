"""``genie users create --password-stdin``, ``genie users set-password`` and
``genie apps``, against the in-process app's database (and its server key)."""

from __future__ import annotations

import secrets

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from genie.cli import main
from genie.oauth import apps
from models.oauth import OAuthApp
from tests.conftest import Env
from tests.leaks import WATCH
from tests.oauth.conftest import Person, browser_for, sign_in


@pytest.fixture
def cli(pg: Env, pg_url: str) -> CliRunner:
    return CliRunner(env={"GENIE_DATABASE_URL": pg_url, "GENIE_DATA_DIR": str(pg.data_dir)})


async def _signs_in(pg: Env, who: Person) -> bool:
    async with browser_for(pg) as client:
        return (await sign_in(client, who)).status_code == 303


async def test_passwords_from_stdin_at_creation_and_later(pg: Env, cli: CliRunner) -> None:
    name, first, second = f"cli{secrets.token_hex(3)}", secrets.token_urlsafe(12), "s3cond-pass"
    WATCH.register(first)
    made = cli.invoke(
        main,
        ["users", "create", name, "--email", f"{name}@example.com", "--password-stdin"],
        input=first + "\n",
    )
    assert made.exit_code == 0, made.output
    assert first not in made.output
    assert await _signs_in(pg, Person(name, first))
    changed = cli.invoke(main, ["users", "set-password", name], input=second + "\n")
    assert changed.exit_code == 0 and changed.output == "password set\n"
    assert await _signs_in(pg, Person(name, second))
    assert not await _signs_in(pg, Person(name, first))


def test_short_passwords_and_unknown_users_are_refused(cli: CliRunner) -> None:
    short = cli.invoke(main, ["users", "set-password", "nobody"], input="short\n")
    assert short.exit_code == 2 and "8 to 1024" in short.output
    unknown = cli.invoke(main, ["users", "set-password", "nobody-at-all"], input="long-enough\n")
    assert unknown.exit_code == 1 and "no such user" in unknown.output


async def test_apps_create_list_and_revoke(pg: Env, cli: CliRunner) -> None:
    name = f"ci-{secrets.token_hex(3)}"
    made = cli.invoke(main, ["apps", "create", name, "--redirect-uri", "https://x.example/cb"])
    assert made.exit_code == 0, made.output
    fields = dict(line.split(": ", 1) for line in made.output.splitlines())
    WATCH.register(fields["client_secret"])
    assert len(fields["client_id"]) == 32 and len(fields["client_secret"]) == 64
    async with pg.runtime.sessions() as session:
        row = (await session.scalars(select(OAuthApp).where(OAuthApp.name == name))).one()
    assert row.secret_hash and fields["client_secret"] not in row.secret_hash
    public = cli.invoke(main, ["apps", "create", f"{name}-p", "--redirect-uri", "/cb", "--public"])
    assert "client_secret" not in public.output
    listed = cli.invoke(main, ["apps", "list"])
    assert f"{fields['client_id']}\tconfidential\thttps://x.example/cb\t{name}" in listed.output
    assert fields["client_secret"] not in listed.output
    again = cli.invoke(main, ["apps", "create", name, "--redirect-uri", "https://x.example/cb"])
    assert again.exit_code == 1 and "already named" in again.output
    assert cli.invoke(main, ["apps", "revoke", fields["id"]]).output == "revoked\n"
    assert cli.invoke(main, ["apps", "revoke", fields["id"]]).exit_code == 1


async def test_the_swagger_ui_app_is_registered_once_and_configured(pg: Env) -> None:
    rt = pg.runtime
    for _ in range(2):
        await apps.register_swagger_ui(rt.engine, rt.settings, rt.crypto)
    async with rt.sessions() as session:
        rows = (
            await session.scalars(select(OAuthApp).where(OAuthApp.name == apps.SWAGGER_UI_APP))
        ).all()
    assert len(rows) == 1
    assert rows[0].public and rows[0].secret_hash is None
    assert rows[0].redirect_uri == "/djinn/ui/oauth2-redirect.html"
    assert rows[0].client_id == apps.swagger_ui_client_id(rt.crypto)
    page = await pg.client.get("/djinn/ui/")
    assert rows[0].client_id in page.text
    assert '"usePkceWithAuthorizationCodeGrant": true' in page.text
