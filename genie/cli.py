"""The ``genie`` command: serve the APIs, and provision users and tokens.

Every command reads ``GENIE_*`` settings from the environment and brings the
database to the newest schema first, so a fresh database needs no other step.
The CLI uses the synchronous drivers (psycopg2 on PostgreSQL).
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from contextlib import contextmanager

import click
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from genie import migrate, scopes
from genie.db import create_sync
from genie.settings import Settings, SettingsError
from models import users

USERNAME = re.compile(r"^[a-zA-Z0-9.-]{3,30}$")


def _settings() -> Settings:
    try:
        return Settings.from_env()
    except SettingsError as exc:
        raise click.UsageError(str(exc)) from None


@contextmanager
def _session() -> Iterator[Session]:
    """A migrated database's session; commits when the block succeeds."""
    settings = _settings()
    migrate.upgrade(settings.database_url)
    engine = create_sync(settings.database_url)
    try:
        with Session(engine) as session, session.begin():
            yield session
    finally:
        engine.dispose()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="genie")
def main() -> None:
    """genie: the Djinn CI and DjaoDjin REST APIs, served from their OpenAPI specs.

    Configuration comes from the environment: GENIE_DATABASE_URL (default
    sqlite:///./genie.db), GENIE_DATA_DIR (default ./genie-data),
    GENIE_OBJECT_MAX_SIZE, GENIE_BASE_URL and GENIE_DEBUG.
    """


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option(
    "--log-level",
    default="info",
    show_default=True,
    type=click.Choice(["critical", "error", "warning", "info", "debug"]),
)
def serve(host: str, port: int, log_level: str) -> None:
    """Migrate the database, then serve both APIs with uvicorn.

    Djinn is under /djinn, DjaoDjin under /api; each has /openapi.json and a
    Swagger UI at /ui/. /healthz checks the database.
    """
    import uvicorn

    from genie.storage import FilesystemStorage

    settings = _settings()
    migrate.upgrade(settings.database_url)
    FilesystemStorage(settings.data_dir).clear_staging()
    uvicorn.run(
        "genie.app:create_app",
        factory=True,
        host=host,
        port=port,
        log_level=log_level,
        proxy_headers=True,
        server_header=False,
    )


@main.command()
def worker() -> None:
    """Run background jobs (webhook deliveries, deploys, downloads) until stopped.

    `genie serve` already runs a worker; run this one beside servers started with
    GENIE_JOBS_WORKER=0, or to add capacity. Several workers share one queue.
    """
    import asyncio

    from genie.runtime import Runtime

    settings = _settings()
    migrate.upgrade(settings.database_url)

    async def run() -> None:
        runtime = Runtime.build(settings)
        runtime.jobs.start()
        try:
            await asyncio.Event().wait()
        finally:
            await runtime.close()

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(run())


@main.command("migrate")
def migrate_command() -> None:
    """Bring the database to the newest schema."""
    migrate.upgrade(_settings().database_url)
    click.echo("database is up to date")


@main.group("users")
def users_group() -> None:
    """Manage users."""


@users_group.command("create")
@click.argument("username")
@click.option("--email", required=True, help="The user's email address.")
def users_create(username: str, email: str) -> None:
    """Create a user and print its id."""
    if not USERNAME.match(username):
        raise click.BadParameter(
            "must be 3-30 characters of letters, digits, '.' and '-'", param_hint="USERNAME"
        )
    if "@" not in email or len(email) > 254:
        raise click.BadParameter("must be an email address", param_hint="--email")
    try:
        with _session() as session:
            user = users.create_user(session, username, email)
            user_id = user.id
    except IntegrityError:
        raise click.ClickException(
            f"username or email already taken: {username}, {email}"
        ) from None
    click.echo(user_id)


@main.group("tokens")
def tokens_group() -> None:
    """Manage Djinn bearer tokens."""


def _parse_scopes(_ctx: click.Context, _param: click.Parameter, value: str) -> str:
    try:
        parsed = scopes.parse(value)
    except scopes.ScopeError as exc:
        raise click.BadParameter(str(exc)) from None
    if not parsed:
        raise click.BadParameter("at least one scope is needed, e.g. 'object:read,write'")
    return scopes.format_scopes(parsed)


@tokens_group.command("create")
@click.argument("username")
@click.option(
    "--scopes",
    "scope",
    required=True,
    callback=_parse_scopes,
    help='Space-separated resource:perm[,perm] items, e.g. "object:read,write namespace:read".',
)
@click.option("--name", default=None, help="A name for the token (default: generated).")
def tokens_create(username: str, scope: str, name: str | None) -> None:
    """Create a token for USERNAME and print only the token."""
    with _session() as session:
        user = users.user_by_username(session, username)
        if user is None:
            raise click.ClickException(f"no such user: {username}")
        token = users.create_token(session, user, scope, name)
    click.echo(token)


@tokens_group.command("revoke")
@click.argument("token")
def tokens_revoke(token: str) -> None:
    """Revoke TOKEN; it stops working at once."""
    with _session() as session:
        if not users.revoke_token(session, token):
            raise click.ClickException("no such token")
    click.echo("revoked")
