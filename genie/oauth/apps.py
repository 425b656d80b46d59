"""OAuth apps: made by ``genie apps create``, and the one the server registers for
its own Swagger UI on start (public, PKCE only, redirect on the server's origin).
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass

from sqlalchemy import Table, delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.orm import Session

from genie.crypto import Crypto
from genie.oauth import credentials
from genie.settings import Settings
from models.oauth import OAuthApp

logger = logging.getLogger("genie.oauth")

SWAGGER_UI_APP = "genie Swagger UI"
SWAGGER_UI_PURPOSE = "oauth-swagger-ui-client"


@dataclass(frozen=True)
class Created:
    id: int
    client_id: str
    #: Only for confidential apps, shown once.
    client_secret: str | None


def create(
    session: Session, crypto: Crypto, name: str, redirect_uri: str, *, public: bool
) -> Created:
    secret = None if public else credentials.new_client_secret()
    app = OAuthApp(
        name=name,
        client_id=secrets.token_hex(16),
        secret_hash=None if secret is None else credentials.client_secret_hash(crypto, secret),
        redirect_uri=redirect_uri,
        public=public,
    )
    session.add(app)
    session.flush()
    return Created(app.id, app.client_id, secret)


def listing(session: Session) -> list[OAuthApp]:
    return list(session.scalars(select(OAuthApp).order_by(OAuthApp.id)))


def revoke(session: Session, app_id: int) -> bool:
    """Delete the app; its tokens and codes go with it (ON DELETE CASCADE)."""
    result = session.execute(delete(OAuthApp).where(OAuthApp.id == app_id))
    return bool(getattr(result, "rowcount", 0))


def swagger_ui_client_id(crypto: Crypto) -> str:
    """The same on every node that shares the server key, without a database read."""
    return crypto.mac(SWAGGER_UI_APP, purpose=SWAGGER_UI_PURPOSE)[:16].hex()


def swagger_ui_redirect(settings: Settings) -> str:
    """``<base>/djinn/ui/oauth2-redirect.html``; a path (this server's origin) when
    no ``GENIE_BASE_URL`` is set."""
    return f"{settings.base_url or ''}{settings.djinn_prefix}/ui/oauth2-redirect.html"


async def register_swagger_ui(engine: AsyncEngine, settings: Settings, crypto: Crypto) -> None:
    """Insert, or bring up to date, the Swagger UI's public app (any node may)."""
    table: Table = OAuthApp.__table__  # type: ignore[assignment]
    values = {
        "name": SWAGGER_UI_APP,
        "client_id": swagger_ui_client_id(crypto),
        "secret_hash": None,
        "redirect_uri": swagger_ui_redirect(settings),
        "public": True,
    }
    insert = postgresql.insert if engine.dialect.name == "postgresql" else sqlite.insert
    statement = insert(table).values(**values)
    statement = statement.on_conflict_do_update(
        index_elements=[table.c.client_id],
        set_={"redirect_uri": statement.excluded.redirect_uri, "public": True, "secret_hash": None},
    )
    try:
        async with engine.begin() as conn:
            await conn.execute(statement)
    except (SQLAlchemyError, OSError) as exc:
        # The server still starts (health checks report the database); Swagger UI's
        # Authorize works once a node that can reach the database starts.
        logger.warning("Swagger UI's OAuth app not registered: %s", type(exc).__name__)
