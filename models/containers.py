"""DjaoDjin containers (apps), their deployments and deploy log lines.

A container's ``slug`` is also its subdomain, so it is unique across every
organization, case-insensitively (a unique index on ``lower(slug)``). Each
deploy request is a :class:`Deployment` that walks ``queued → pulling →
running`` or ends ``failed`` with a reason; every step writes one
:class:`DeployLog` line, which is what the API's ``logs/`` returns.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    Row,
    Select,
    String,
    Subquery,
    Table,
    Text,
    bindparam,
    delete,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, BigInt, UTCDateTime, utcnow
from models.rows import Listing, listing_statements

DATASETS = ("production", "testing")
DEPLOY_STATES = ("queued", "pulling", "running", "failed")
DEPLOY_REASONS = ("create", "redeploy", "update")
#: Fields a PUT or a redeploy may change; a change to a ``RESTART_FIELDS`` one restarts.
UPDATABLE = ("version", "location", "role_name", "external_id", "env", "dataset")
RESTART_FIELDS = ("location", "role_name", "external_id", "env")
#: What ``logs/`` returns at most, and what is kept per container.
LOG_LINES = 1000


class SlugTaken(Exception):
    """Another container (in any organization) has this slug."""


class Container(Base):
    __tablename__ = "containers"
    __table_args__ = (
        CheckConstraint("dataset IN ('production', 'testing')", name="dataset"),
        # Lists: WHERE organization_id = ? ORDER BY slug.
        Index("ix_containers_organization_id_slug", "organization_id", "slug"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"))
    slug: Mapped[str] = mapped_column(String(25))
    version: Mapped[str | None] = mapped_column(String(50))
    location: Mapped[str | None] = mapped_column(String(1024))
    role_name: Mapped[str | None] = mapped_column(String(2048))
    external_id: Mapped[str | None] = mapped_column(String(1224))
    #: Ordered ``[{"name": ..., "value": ...}]``.
    env: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    dataset: Mapped[str] = mapped_column(String(16), default="testing")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


# The slug is a subdomain: unique whatever its case.
Index("uq_containers_lower_slug", func.lower(Container.slug), unique=True)


class Deployment(Base):
    __tablename__ = "deployments"
    __table_args__ = (
        CheckConstraint("state IN ('queued', 'pulling', 'running', 'failed')", name="state"),
        CheckConstraint("reason IN ('create', 'redeploy', 'update')", name="reason"),
        Index("ix_deployments_container_id_id", "container_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    container_id: Mapped[int] = mapped_column(ForeignKey("containers.id", ondelete="CASCADE"))
    requested_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: The image deployed, as it was when requested.
    location: Mapped[str | None] = mapped_column(String(1024))
    reason: Mapped[str] = mapped_column(String(16))
    state: Mapped[str] = mapped_column(String(16), default="queued")
    failure: Mapped[str | None] = mapped_column(String(1000))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class DeployLog(Base):
    __tablename__ = "deploy_logs"
    __table_args__ = (Index("ix_deploy_logs_container_id_id", "container_id", "id"),)

    id: Mapped[int] = mapped_column(BigInt, primary_key=True)
    container_id: Mapped[int] = mapped_column(ForeignKey("containers.id", ondelete="CASCADE"))
    deployment_id: Mapped[int | None] = mapped_column(
        ForeignKey("deployments.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    line: Mapped[str] = mapped_column(Text)


_containers: Table = Container.__table__  # type: ignore[assignment]
_deployments: Table = Deployment.__table__  # type: ignore[assignment]
_logs: Table = DeployLog.__table__  # type: ignore[assignment]

CONTAINER_ROWS: Select[Any] = select(
    _containers.c.id,
    _containers.c.organization_id,
    _containers.c.slug,
    _containers.c.version,
    _containers.c.location,
    _containers.c.role_name,
    _containers.c.external_id,
    _containers.c.env,
    _containers.c.dataset,
)


def _page(keys: Subquery) -> Select[Any]:
    return CONTAINER_ROWS.join(keys, keys.c.id == _containers.c.id).order_by(
        _containers.c.slug, _containers.c.id
    )


_OF_ORGANIZATION = listing_statements(
    select(_containers.c.id)
    .where(_containers.c.organization_id == bindparam("organization_id"))
    .order_by(_containers.c.slug, _containers.c.id),
    _page,
)
_ONE = CONTAINER_ROWS.where(
    _containers.c.organization_id == bindparam("organization_id"),
    func.lower(_containers.c.slug) == func.lower(bindparam("slug")),
)


def of_organization(organization_id: int) -> Listing:
    """The organization's containers, by slug."""
    return Listing(*_OF_ORGANIZATION, {"organization_id": organization_id})


async def get(
    conn: AsyncConnection, organization_id: int, slug: str, *, lock: bool = False
) -> Row[Any] | None:
    """The container ``slug`` (any case) of the organization, or ``None``.

    ``lock`` holds its row until the transaction ends: a write that read it is not
    undone by a delete that commits in between (the delete waits, or went first)."""
    if "\x00" in slug:
        return None  # no slug holds one (and PostgreSQL text cannot)
    params = {"organization_id": organization_id, "slug": slug}
    statement = _ONE.with_for_update(of=_containers) if lock else _ONE
    return (await conn.execute(statement, params)).first()


async def insert_container(conn: AsyncConnection, values: dict[str, Any]) -> Row[Any]:
    """Insert and return the container; :class:`SlugTaken` when the slug is used.

    Runs in a savepoint, so the caller's transaction survives a refusal.
    """
    now = utcnow()
    try:
        async with conn.begin_nested():
            new_id = (
                await conn.execute(
                    insert(_containers)
                    .values(**values, created_at=now, updated_at=now)
                    .returning(_containers.c.id)
                )
            ).scalar_one()
    except IntegrityError:
        raise SlugTaken(values["slug"]) from None
    return (await conn.execute(CONTAINER_ROWS.where(_containers.c.id == new_id))).one()


async def update_container(
    conn: AsyncConnection, container_id: int, values: dict[str, Any]
) -> Row[Any]:
    await conn.execute(
        update(_containers)
        .where(_containers.c.id == container_id)
        .values(**values, updated_at=utcnow())
    )
    return (await conn.execute(CONTAINER_ROWS.where(_containers.c.id == container_id))).one()


async def delete_container(conn: AsyncConnection, container_id: int) -> None:
    """Delete the container; its domain, deployments and logs go with it."""
    await conn.execute(delete(_containers).where(_containers.c.id == container_id))


# Deployments and their log.


async def insert_deployment(
    conn: AsyncConnection,
    container_id: int,
    *,
    requested_by_id: int | None,
    location: str | None,
    reason: str,
) -> int:
    now = utcnow()
    result = await conn.execute(
        insert(_deployments)
        .values(
            container_id=container_id,
            requested_by_id=requested_by_id,
            requested_at=now,
            location=location,
            reason=reason,
            state="queued",
            updated_at=now,
        )
        .returning(_deployments.c.id)
    )
    deployment_id: int = result.scalar_one()
    return deployment_id


_DEPLOYMENT: Select[Any] = (
    select(
        _deployments.c.id,
        _deployments.c.container_id,
        _deployments.c.state,
        _deployments.c.reason,
        _deployments.c.location,
        _containers.c.slug,
        _containers.c.role_name,
        _containers.c.external_id,
        _containers.c.env,
        _containers.c.dataset,
    )
    .join_from(_deployments, _containers, _containers.c.id == _deployments.c.container_id)
    .where(_deployments.c.id == bindparam("id"))
)
_LATEST = select(func.max(_deployments.c.id)).where(
    _deployments.c.container_id == bindparam("container_id")
)


async def get_deployment(conn: AsyncConnection, deployment_id: int) -> Row[Any] | None:
    """The deployment with what its container looks like now (credentials, env)."""
    return (await conn.execute(_DEPLOYMENT, {"id": deployment_id})).first()


async def latest_deployment_id(conn: AsyncConnection, container_id: int) -> int | None:
    value = await conn.scalar(_LATEST, {"container_id": container_id})
    return int(value) if value is not None else None


async def set_deployment_state(
    conn: AsyncConnection, deployment_id: int, state: str, failure: str | None = None
) -> None:
    await conn.execute(
        update(_deployments)
        .where(_deployments.c.id == deployment_id)
        .values(state=state, failure=failure, updated_at=utcnow())
    )


async def add_log_line(
    conn: AsyncConnection, container_id: int, deployment_id: int | None, line: str
) -> None:
    """Append one line, and forget lines older than the last :data:`LOG_LINES`."""
    await conn.execute(
        insert(_logs).values(
            container_id=container_id,
            deployment_id=deployment_id,
            created_at=utcnow(),
            line=line,
        )
    )
    oldest_kept = (
        select(_logs.c.id)
        .where(_logs.c.container_id == container_id)
        .order_by(_logs.c.id.desc())
        .offset(LOG_LINES - 1)
        .limit(1)
        .scalar_subquery()
    )
    await conn.execute(
        delete(_logs).where(_logs.c.container_id == container_id, _logs.c.id < oldest_kept)
    )


_TAIL = (
    select(_logs.c.created_at, _logs.c.line)
    .where(_logs.c.container_id == bindparam("container_id"))
    .order_by(_logs.c.id.desc())
    .limit(bindparam("limit"))
)


async def tail_log(
    conn: AsyncConnection, container_id: int, lines: int = LOG_LINES
) -> list[Row[Any]]:
    """The last ``lines`` log lines, oldest first."""
    rows = (await conn.execute(_TAIL, {"container_id": container_id, "limit": lines})).all()
    return list(reversed(rows))
