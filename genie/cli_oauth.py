"""``genie users set-password`` and ``genie apps``: passwords for /login, and the
OAuth apps that may ask users for tokens (``openapi/oauth.yaml``)."""

from __future__ import annotations

import sys

import click
from sqlalchemy.exc import IntegrityError

from genie.crypto import Crypto
from genie.oauth import apps, credentials

MIN_PASSWORD = 8
MAX_PASSWORD = 1024


def _check(password: str) -> str:
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise click.BadParameter(f"a password has {MIN_PASSWORD} to {MAX_PASSWORD} characters")
    return credentials.hash_password(password)


def read_password(*, from_stdin: bool) -> str:
    """The bcrypt hash of a password read from stdin's first line, or prompted for
    without echo (twice) when stdin is a terminal and ``from_stdin`` is False."""
    if from_stdin or not sys.stdin.isatty():
        return _check(sys.stdin.readline().rstrip("\r\n"))
    password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    return _check(str(password))


@click.command("set-password")
@click.argument("username")
def users_set_password(username: str) -> None:
    """Set USERNAME's password: from stdin, or prompted for without echo."""
    from genie.cli import _session, _user

    hashed = read_password(from_stdin=False)
    with _session() as session:
        _user(session, username).password_hash = hashed
    click.echo("password set")


@click.group("apps")
def apps_group() -> None:
    """Manage OAuth apps (clients of /login/oauth/authorize and /login/oauth/token)."""


@apps_group.command("create")
@click.argument("name")
@click.option("--redirect-uri", required=True, help="The one URI codes are sent to (exact).")
@click.option("--public", is_flag=True, help="No client secret; the app must use PKCE.")
def apps_create(name: str, redirect_uri: str, public: bool) -> None:
    """Register an app; print its client_id and, unless --public, its client_secret.

    The secret is shown once: only a keyed hash of it is stored.
    """
    from genie.cli import _session, _settings

    if not 1 <= len(name) <= 100 or name == apps.SWAGGER_UI_APP:
        raise click.BadParameter("1-100 characters, not the Swagger UI's", param_hint="NAME")
    if not redirect_uri.startswith(("https://", "http://", "/")) or len(redirect_uri) > 2048:
        raise click.BadParameter("an http(s) URL or a path", param_hint="--redirect-uri")
    crypto = Crypto.from_settings(_settings())
    try:
        with _session() as session:
            created = apps.create(session, crypto, name, redirect_uri, public=public)
    except IntegrityError:
        raise click.ClickException(f"an app is already named {name}") from None
    click.echo(f"id: {created.id}")
    click.echo(f"client_id: {created.client_id}")
    if created.client_secret is not None:
        click.echo(f"client_secret: {created.client_secret}")


@apps_group.command("list")
def apps_list() -> None:
    """Print each app: id, client_id, public or confidential, redirect URI, name."""
    from genie.cli import _session

    with _session() as session:
        for app in apps.listing(session):
            kind = "public" if app.public else "confidential"
            click.echo(f"{app.id}\t{app.client_id}\t{kind}\t{app.redirect_uri}\t{app.name}")


@apps_group.command("revoke")
@click.argument("app_id", type=int)
def apps_revoke(app_id: int) -> None:
    """Delete app APP_ID and every token and code it was given."""
    from genie.cli import _session

    with _session() as session:
        if not apps.revoke(session, app_id):
            raise click.ClickException(f"no such app: {app_id}")
    click.echo("revoked")
