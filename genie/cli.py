"""The ``genie`` command: serve the APIs, and provision users, tokens, API keys
and organizations.

Every command reads ``GENIE_*`` settings from the environment and brings the
database to the newest schema first, so a fresh database needs no other step.
The CLI uses the synchronous drivers (psycopg2 on PostgreSQL).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import click
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

import genie
from genie import migrate, scopes
from genie.crypto import Crypto
from genie.db import create_sync
from genie.settings import Settings, SettingsError
from models import api_keys, organizations, users

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
@click.version_option(genie.__version__, prog_name="genie")
def main() -> None:
    """genie: the Djinn CI and DjaoDjin REST APIs, served from their OpenAPI specs.

    Configuration comes from the environment: GENIE_DATABASE_URL (default
    sqlite:///./genie.db), GENIE_DATA_DIR (default ./genie-data),
    GENIE_OBJECT_MAX_SIZE, GENIE_BASE_URL and GENIE_DEBUG.
    """


_LOG_LEVEL = click.option(
    "--log-level",
    default="info",
    show_default=True,
    type=click.Choice(["critical", "error", "warning", "info", "debug"]),
    help="Least severe log lines written (access lines are info).",
)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@_LOG_LEVEL
def serve(host: str, port: int, log_level: str) -> None:
    """Migrate the database, then serve both APIs with uvicorn.

    Djinn is under /djinn, DjaoDjin under /api; each has /openapi.json and a
    Swagger UI at /ui/. /healthz checks the database, /readyz the database and
    the storage; /metrics is for Prometheus. SIGTERM stops gracefully, within
    GENIE_SHUTDOWN_GRACE seconds.
    """
    from genie import process

    process.serve(_settings(), host, port, log_level)


@main.command()
@click.option(
    "--kind",
    "kinds",
    multiple=True,
    help="Run only jobs of this kind (repeatable), e.g. deploy.run or webhook.deliver.",
)
@click.option(
    "--metrics-port",
    type=click.IntRange(0, 65535),
    default=None,
    help="Serve this worker's /metrics on this port (loopback, or GENIE_METRICS_TOKEN).",
)
@click.option("--metrics-host", default="127.0.0.1", show_default=True)
@_LOG_LEVEL
def worker(
    kinds: tuple[str, ...], metrics_port: int | None, metrics_host: str, log_level: str
) -> None:
    """Run background jobs (webhook deliveries, deploys, downloads) until stopped.

    `genie serve` already runs a worker; run this one beside servers started with
    GENIE_JOBS_WORKER=0, or to add capacity. Several workers share one queue;
    --kind dedicates one to some kinds of jobs. SIGTERM or SIGINT stops it:
    running jobs get GENIE_SHUTDOWN_GRACE seconds, then go back to the queue.
    """
    from genie import process

    metrics = None if metrics_port is None else (metrics_host, metrics_port)
    process.work(_settings(), frozenset(kinds) or None, metrics=metrics, log_level=log_level)


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
@click.option(
    "--password-stdin",
    is_flag=True,
    help="Read the user's password (to sign in at /login) from the first line of stdin.",
)
def users_create(username: str, email: str, password_stdin: bool) -> None:
    """Create a user and print its id."""
    from genie.cli_oauth import read_password

    hashed = read_password(from_stdin=True) if password_stdin else None
    if not USERNAME.fullmatch(username):
        raise click.BadParameter(
            "must be 3-30 characters of letters, digits, '.' and '-'", param_hint="USERNAME"
        )
    if "@" not in email or len(email) > 254:
        raise click.BadParameter("must be an email address", param_hint="--email")
    try:
        with _session() as session:
            user = users.create_user(session, username, email)
            user.password_hash = hashed
            user_id = user.id
            organizations.create_personal_organization(session, user.id, username)
    except IntegrityError:
        raise click.ClickException(
            f"username or email already taken: {username}, {email}"
        ) from None
    except organizations.SlugTaken:
        raise click.ClickException(
            f"an organization is already named {username}, and every user's personal "
            "organization is named after them: choose another username"
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


def _user(session: Session, username: str) -> users.User:
    user = users.user_by_username(session, username)
    if user is None:
        raise click.ClickException(f"no such user: {username}")
    return user


@main.group("apikeys")
def apikeys_group() -> None:
    """Manage DjaoDjin API keys (HTTP Basic usernames: `curl -u KEY:`)."""


@apikeys_group.command("create")
@click.argument("username")
@click.option("--title", default=None, help="What the key is for (at most 100 characters).")
@click.option(
    "--days",
    default=365,
    show_default=True,
    type=click.IntRange(1, 3650),
    help="Days until the key expires.",
)
def apikeys_create(username: str, title: str | None, days: int) -> None:
    """Create an API key for USERNAME and print only the key (64 characters).

    The key is shown once: only a keyed hash of its secret half is stored.
    """
    if title is not None and len(title) > 100:
        raise click.BadParameter("at most 100 characters", param_hint="--title")
    settings = _settings()
    crypto = Crypto.from_settings(settings)
    public_id, secret = api_keys.new_key()
    with _session() as session:
        user = _user(session, username)
        api_keys.insert_key(
            session,
            user.id,
            public_id,
            crypto.mac(secret, purpose=api_keys.KEY_PURPOSE),
            title=title,
            lifetime=timedelta(days=days),
        )
    click.echo(public_id + secret)


@apikeys_group.command("revoke")
@click.argument("public_id")
def apikeys_revoke(public_id: str) -> None:
    """Revoke the key whose public id (its first 32 characters) is PUBLIC_ID."""
    with _session() as session:
        if not api_keys.revoke_key(session, public_id[: api_keys.PUBLIC_LENGTH]):
            raise click.ClickException("no such API key")
    click.echo("revoked")


@main.group("orgs")
def orgs_group() -> None:
    """Manage DjaoDjin organizations and the roles users hold on them."""


@orgs_group.command("create")
@click.argument("slug")
@click.option("--manager", "manager", required=True, help="The user who manages it.")
@click.option("--name", "full_name", default="", help="A display name.")
def orgs_create(slug: str, manager: str, full_name: str) -> None:
    """Create organization SLUG with MANAGER as its manager; print the slug."""
    if not organizations.SLUG.fullmatch(slug):
        raise click.BadParameter("at most 50 letters, digits, '-' and '_'", param_hint="SLUG")
    with _session() as session:
        user = _user(session, manager)
        try:
            organization = organizations.create_organization(session, slug, full_name=full_name)
        except organizations.SlugTaken:
            raise click.ClickException(f"organization {slug} already exists") from None
        organizations.grant_role(session, organization, user.id, "manager")
    click.echo(slug)


@orgs_group.command("add-role")
@click.argument("slug")
@click.argument("username")
@click.option(
    "--role",
    required=True,
    type=click.Choice(organizations.ROLES),
    help="manager: read and write; contributor: read only.",
)
def orgs_add_role(slug: str, username: str, role: str) -> None:
    """Give USERNAME a role on organization SLUG (replacing any role they had)."""
    with _session() as session:
        organization = organizations.organization_by_slug(session, slug)
        if organization is None:
            raise click.ClickException(f"no such organization: {slug}")
        user = _user(session, username)
        organizations.grant_role(session, organization, user.id, role)
    click.echo(f"{username} is {role} of {slug}")


# Passwords and OAuth apps (genie.cli_oauth uses the helpers above).
from genie.cli_oauth import apps_group, users_set_password  # noqa: E402

main.add_command(apps_group)
users_group.add_command(users_set_password)

# doctor, backup and restore register themselves on ``main``.
from genie import cli_ops  # noqa: E402, F401
