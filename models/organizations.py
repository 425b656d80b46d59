"""DjaoDjin organizations (billing profiles) and the roles users hold on them.

An organization is named by its ``slug``. Every user has a *personal*
organization whose slug is their username, where they are manager. A role counts
only when it is accepted (no pending ``grant_key``/``request_key``) and not past
its ``ends_at``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ColumnElement,
    ForeignKey,
    Index,
    String,
    UniqueConstraint,
    and_,
    bindparam,
    or_,
    select,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.orm import Mapped, Session, mapped_column

from models.base import Base, UTCDateTime, utcnow

ROLES = ("manager", "contributor")
#: ``[-a-zA-Z0-9_]+``, at most 50 characters (djaodjin-saas ``SlugField``).
SLUG = re.compile(r"^[-a-zA-Z0-9_]{1,50}$")


class SlugTaken(Exception):
    """An organization already uses this slug."""


class Organization(Base):
    __tablename__ = "organizations"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(50), unique=True)
    full_name: Mapped[str] = mapped_column(String(100), default="")
    email: Mapped[str | None] = mapped_column(String(254))
    #: The organization of one user, named after them.
    is_personal: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Role(Base):
    __tablename__ = "roles"
    __table_args__ = (
        UniqueConstraint("organization_id", "user_id"),
        CheckConstraint("role IN ('manager', 'contributor')", name="role"),
        # "Which organizations may this user reach?" (GET /domains/).
        Index("ix_roles_user_id", "user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(16))
    #: A role granted but not yet accepted, or requested but not yet granted, does
    #: not count.
    grant_key: Mapped[str | None] = mapped_column(String(40))
    request_key: Mapped[str | None] = mapped_column(String(40))
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


_orgs = Organization.__table__
_roles = Role.__table__


def role_counts(roles: Any = _roles) -> ColumnElement[bool]:
    """The role is accepted and current (``now`` is a bind parameter)."""
    return and_(
        roles.c.grant_key.is_(None),
        roles.c.request_key.is_(None),
        or_(roles.c.ends_at.is_(None), roles.c.ends_at > bindparam("now")),
    )


@dataclass(frozen=True, slots=True)
class Membership:
    """An organization, and the caller's role on it (``None`` when they hold none)."""

    organization_id: int
    slug: str
    role: str | None


_MEMBERSHIP = (
    select(_orgs.c.id, _orgs.c.slug, _roles.c.role)
    .select_from(
        _orgs.outerjoin(
            _roles,
            and_(
                _roles.c.organization_id == _orgs.c.id,
                _roles.c.user_id == bindparam("user_id"),
                role_counts(),
            ),
        )
    )
    .where(_orgs.c.slug == bindparam("slug"))
)


async def membership(conn: AsyncConnection, user_id: int, slug: str) -> Membership | None:
    """The organization ``slug`` with the user's current role; ``None`` if it does not exist."""
    if "\x00" in slug:
        return None  # no slug holds one (and PostgreSQL text cannot)
    row = (
        await conn.execute(_MEMBERSHIP, {"user_id": user_id, "slug": slug, "now": utcnow()})
    ).first()
    return Membership(row.id, row.slug, row.role) if row else None


def reachable_organization_ids() -> Any:
    """``organizations.id`` where ``user_id`` holds a current role, as a subquery."""
    return select(_roles.c.organization_id).where(
        _roles.c.user_id == bindparam("user_id"), role_counts()
    )


# Synchronous helpers for the CLI and test factories.


def create_organization(
    session: Session, slug: str, *, full_name: str = "", personal: bool = False
) -> Organization:
    """Insert an organization; :class:`SlugTaken` when the slug is used."""
    organization = Organization(slug=slug, full_name=full_name, is_personal=personal)
    try:
        with session.begin_nested():
            session.add(organization)
    except IntegrityError:
        raise SlugTaken(slug) from None
    return organization


def organization_by_slug(session: Session, slug: str) -> Organization | None:
    return session.scalars(select(Organization).where(Organization.slug == slug)).first()


def grant_role(session: Session, organization: Organization, user_id: int, role: str) -> Role:
    """Give ``user_id`` ``role`` on ``organization``, replacing any role they held there."""
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    found = session.scalars(
        select(Role).where(Role.organization_id == organization.id, Role.user_id == user_id)
    ).first()
    if found is None:
        found = Role(organization_id=organization.id, user_id=user_id, role=role)
        session.add(found)
    found.role = role
    found.grant_key = found.request_key = None
    found.ends_at = None
    session.flush()
    return found


def create_personal_organization(session: Session, user_id: int, username: str) -> Organization:
    """The user's own organization (slug = username), with them as manager."""
    organization = create_organization(session, username, full_name=username, personal=True)
    grant_role(session, organization, user_id, "manager")
    return organization
