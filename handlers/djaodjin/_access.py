"""DjaoDjin access, decided in one place: who may do what on which organization.

* A ``manager`` of the organization may read and write; a ``contributor`` may
  only read (``GET``/``HEAD``). Managers of the broker organization
  (``GENIE_BROKER_ORGANIZATION``, the platform's own) may do everything anywhere.
* No role on the organization, or an organization that does not exist, is 403
  ``Permission denied`` (a broker manager gets 404 for one that does not exist):
  whether an organization exists is never revealed to outsiders.
* An app or domain that does not exist inside an organization the caller may
  see is 404 ``Not found.`` (the handlers raise it).

For every operation with ``{organization}`` in its path, :func:`authorize` runs
in the security step (``handlers._auth``), right after the API key is checked and
before the body is validated, as DRF checks permissions before it parses: a caller
without the right role learns nothing from a 400. Handlers read the result with
:func:`organization`. ``POST /domains/``, whose organization is in its body, calls
:func:`check` itself.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from genie.runtime import Runtime
from handlers._errors import Forbidden, NotFound
from models.api_keys import ApiUser
from models.organizations import Membership, membership

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
ORGANIZATION_PARAMETER = "organization"


async def is_broker(conn: AsyncConnection, rt: Runtime, user: ApiUser) -> bool:
    broker = rt.settings.broker_organization
    if not broker:
        return False
    found = await membership(conn, user.id, broker)
    return found is not None and found.role == "manager"


async def check(
    conn: AsyncConnection, rt: Runtime, user: ApiUser, slug: str, *, write: bool
) -> Membership:
    """The organization ``slug``, if ``user`` may read it (or write, when ``write``)."""
    found = await membership(conn, user.id, slug)
    if found is not None and (found.role == "manager" or (found.role and not write)):
        return found
    if await is_broker(conn, rt, user):
        if found is None:
            raise NotFound()
        return found
    raise Forbidden()


async def authorize(
    conn: AsyncConnection, rt: Runtime, user: ApiUser, scope: dict[str, Any], method: str
) -> Membership | None:
    """The security step's check of ``{organization}``, when the path has one."""
    slug = scope.get("path_params", {}).get(ORGANIZATION_PARAMETER)
    if slug is None:
        return None
    return await check(conn, rt, user, str(slug), write=method.upper() not in SAFE_METHODS)


def user(token_info: dict[str, Any]) -> ApiUser:
    found: ApiUser = token_info["user"]
    return found


def organization(token_info: dict[str, Any]) -> Membership:
    """The organization of the path, as the security step authorized it."""
    found: Membership | None = token_info.get("organization")
    if found is None:
        raise Forbidden()
    return found
