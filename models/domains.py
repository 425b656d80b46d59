"""DjaoDjin domains: the public face of one container.

A domain is named by its container's slug (one domain per container, in the
container's organization) and goes with it when the container is deleted. The
private keys and the SMTP password are stored encrypted (the callers encrypt
with ``runtime.crypto``); the columns ending in ``_enc`` are never sent out.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    Row,
    Select,
    SmallInteger,
    String,
    Subquery,
    Table,
    Text,
    bindparam,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UTCDateTime, utcnow
from models.containers import Container
from models.organizations import Organization, reachable_organization_ids
from models.rows import Listing, listing_statements

#: Purposes for ``runtime.crypto.encrypt`` of the secrets kept here.
KEY_PURPOSE = "domain-ssl-key"
SMTP_PASSWORD_PURPOSE = "domain-smtp-password"  # noqa: S105 - a label, not a secret


class Taken(Exception):
    """A unique field is already used: ``field`` names which."""

    def __init__(self, field: str) -> None:
        super().__init__(field)
        self.field = field


class Domain(Base):
    __tablename__ = "domains"
    __table_args__ = (Index("ix_domains_organization_id", "organization_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"))
    container_id: Mapped[int] = mapped_column(
        ForeignKey("containers.id", ondelete="CASCADE"), unique=True
    )
    #: The custom host name, lower case; ``NULL`` serves ``<slug>.<site domain>``.
    domain: Mapped[str | None] = mapped_column(String(100), unique=True)
    #: Full-chain PEM of the custom certificate, leaf first.
    ssl_certificate: Mapped[str | None] = mapped_column(Text)
    ssl_key_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    #: The key of the last ``newcert`` CSR, until a matching certificate arrives.
    pending_key_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    cert_not_before: Mapped[datetime | None] = mapped_column(UTCDateTime())
    cert_not_after: Mapped[datetime | None] = mapped_column(UTCDateTime())
    from_email: Mapped[str | None] = mapped_column(String(254))
    email_host: Mapped[str | None] = mapped_column(String(255))
    email_port: Mapped[int | None] = mapped_column(Integer)
    email_host_user: Mapped[str | None] = mapped_column(String(128))
    email_host_password_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    #: 0 sign-in and registration enabled, 1 login only, 2 disabled.
    authentication: Mapped[int] = mapped_column(SmallInteger, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


_domains: Table = Domain.__table__  # type: ignore[assignment]
_containers: Table = Container.__table__  # type: ignore[assignment]
_orgs: Table = Organization.__table__  # type: ignore[assignment]

DOMAIN_ROWS = select(
    _domains,
    _containers.c.slug,
    _orgs.c.slug.label("billing"),
).select_from(
    _domains.join(_containers, _containers.c.id == _domains.c.container_id).join(
        _orgs, _orgs.c.id == _domains.c.organization_id
    )
)


def _page(keys: Subquery) -> Select[Any]:
    return DOMAIN_ROWS.join(keys, keys.c.id == _domains.c.id).order_by(
        _containers.c.slug, _domains.c.id
    )


def _keys() -> Select[Any]:
    return select(_domains.c.id).join(_containers, _containers.c.id == _domains.c.container_id)


_OF_ORGANIZATION = listing_statements(
    _keys()
    .where(_domains.c.organization_id == bindparam("organization_id"))
    .order_by(_containers.c.slug, _domains.c.id),
    _page,
)
_REACHABLE = listing_statements(
    _keys()
    .where(_domains.c.organization_id.in_(reachable_organization_ids()))
    .order_by(_containers.c.slug, _domains.c.id),
    _page,
)
_EVERY = listing_statements(_keys().order_by(_containers.c.slug, _domains.c.id), _page)
_ONE = DOMAIN_ROWS.where(
    _domains.c.organization_id == bindparam("organization_id"),
    func.lower(_containers.c.slug) == func.lower(bindparam("slug")),
)
_ONE_LOCKED = _ONE.with_for_update(of=_domains)


def of_organization(organization_id: int) -> Listing:
    return Listing(*_OF_ORGANIZATION, {"organization_id": organization_id})


def reachable_by(user_id: int, *, every: bool = False) -> Listing:
    """Domains of every organization where the user holds a current role (every
    domain for a broker manager)."""
    if every:
        return Listing(*_EVERY, {})
    return Listing(*_REACHABLE, {"user_id": user_id, "now": utcnow()})


async def get(
    conn: AsyncConnection, organization_id: int, slug: str, *, lock: bool = False
) -> Row[Any] | None:
    """The domain of the organization's container ``slug`` (any case), or ``None``.

    ``lock`` holds its row until the transaction ends: an update that read it is
    not undone by its container's delete committing in between (the delete waits,
    or went first and the domain is not found)."""
    if "\x00" in slug:
        return None  # no slug holds one (and PostgreSQL text cannot)
    params = {"organization_id": organization_id, "slug": slug}
    statement = _ONE_LOCKED if lock else _ONE
    return (await conn.execute(statement, params)).first()


def _taken(exc: IntegrityError) -> Taken:
    # uq_domains_container_id (PostgreSQL) or domains.container_id (SQLite).
    return Taken("slug" if "container_id" in str(exc.orig) else "domain")


async def insert_domain(conn: AsyncConnection, values: dict[str, Any]) -> Row[Any]:
    """Insert and return the domain; :class:`Taken` names the unique field refused."""
    now = utcnow()
    try:
        async with conn.begin_nested():
            new_id = (
                await conn.execute(
                    insert(_domains)
                    .values(**values, created_at=now, updated_at=now)
                    .returning(_domains.c.id)
                )
            ).scalar_one()
    except IntegrityError as exc:
        raise _taken(exc) from None
    return (await conn.execute(DOMAIN_ROWS.where(_domains.c.id == new_id))).one()


async def update_domain(conn: AsyncConnection, domain_id: int, values: dict[str, Any]) -> Row[Any]:
    try:
        async with conn.begin_nested():
            await conn.execute(
                update(_domains)
                .where(_domains.c.id == domain_id)
                .values(**values, updated_at=utcnow())
            )
    except IntegrityError as exc:
        raise _taken(exc) from None
    return (await conn.execute(DOMAIN_ROWS.where(_domains.c.id == domain_id))).one()
