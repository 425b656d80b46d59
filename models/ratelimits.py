"""Rate-limit counters, shared by every node through the database.

One row per limited key (``signin:user:alice``, ``auth:addr:203.0.113.7``): how
many hits its current window has seen and when that window started. A hit is one
atomic upsert (``INSERT ... ON CONFLICT DO UPDATE ... RETURNING``, on PostgreSQL
and SQLite alike), so concurrent hits on several nodes count exactly.
:mod:`genie.ratelimit` holds the policy.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Integer, String, Table, case, delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UTCDateTime


class RateLimit(Base):
    __tablename__ = "rate_limits"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    window_start: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    hits: Mapped[int] = mapped_column(Integer)


_TABLE: Table = RateLimit.__table__  # type: ignore[assignment]


async def hit(
    conn: AsyncConnection, key: str, now: datetime, window: timedelta
) -> tuple[int, datetime]:
    """Count one hit on ``key``; the hits of its window so far (a window older than
    ``window`` starts again at 1) and when that window started."""
    insert = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
    upsert = insert(_TABLE).values(key=key, window_start=now, hits=1)
    expired = _TABLE.c.window_start <= now - window
    statement = upsert.on_conflict_do_update(
        index_elements=[_TABLE.c.key],
        set_={
            "hits": case((expired, 1), else_=_TABLE.c.hits + 1),
            "window_start": case(
                (expired, upsert.excluded.window_start), else_=_TABLE.c.window_start
            ),
        },
    ).returning(_TABLE.c.hits, _TABLE.c.window_start)
    count, started = (await conn.execute(statement)).one()
    return int(count), started


async def current(
    conn: AsyncConnection, key: str, now: datetime, window: timedelta
) -> tuple[int, datetime] | None:
    """The hits of ``key``'s current window and its start, without counting one."""
    statement = select(_TABLE.c.hits, _TABLE.c.window_start).where(
        _TABLE.c.key == key, _TABLE.c.window_start > now - window
    )
    row = (await conn.execute(statement)).first()
    return None if row is None else (int(row[0]), row[1])


async def clear(conn: AsyncConnection, key: str) -> None:
    await conn.execute(delete(_TABLE).where(_TABLE.c.key == key))


async def prune(conn: AsyncConnection, before: datetime) -> int:
    """Drop the counters whose window started before ``before``."""
    result = await conn.execute(delete(_TABLE).where(_TABLE.c.window_start < before))
    return int(result.rowcount or 0)
