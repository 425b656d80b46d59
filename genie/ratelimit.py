"""Rate limits on failures (sign-ins, bad credentials), shared by every node.

A :class:`Limit` allows ``hits`` failures per ``window`` for one subject (an
account, a client address). The counters live in the database
(:mod:`models.ratelimits`), so a limit holds across nodes and restarts; each
node also remembers, until its window ends, a subject it has seen over the limit,
so a blocked client is refused without a database round trip.

Two ways to use it:

* **Check first** (sign-in forms, where a query per attempt is cheap):
  ``await limiter.check(limit, subject)`` raises :class:`Limited` while the
  subject is blocked, before the password is even looked at; ``failure`` after
  a wrong one, ``clear`` after a right one.
* **Count failures only** (API credentials, on every request): nothing is read
  on the success path. ``failure`` counts a bad credential and raises
  :class:`Limited` once the subject is past the limit; ``blocked_here`` refuses
  what this node already knows is blocked. A node that has not seen the subject
  fail yet lets one attempt through to learn it: across N nodes a client gets at
  most N - 1 extra attempts per window.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncEngine

from models import ratelimits
from models.base import utcnow

#: Counters older than this are pruned (no limit uses a longer window).
MAX_WINDOW = timedelta(days=1)
#: Prune once every this many counted failures.
PRUNE_EVERY = 256
#: Blocks a node remembers at most (an attacker with many addresses cannot grow it).
MAX_REMEMBERED = 10_000


@dataclass(frozen=True)
class Limit:
    #: What is limited, the first part of the key (``signin-user``, ``auth-addr``).
    name: str
    #: Failures allowed per window; the next one is refused.
    hits: int
    window: timedelta


class Limited(Exception):
    """Too many failures: try again in ``retry_after`` seconds (HTTP 429)."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"too many failed attempts; retry in {retry_after} s")
        self.retry_after = retry_after


def _key(limit: Limit, subject: str) -> str:
    key = f"{limit.name}:{subject}"
    # Long subjects, and those PostgreSQL text cannot hold (U+0000), by their hash.
    if len(key) > 200 or "\x00" in key:
        key = f"{limit.name}:sha256:{hashlib.sha256(subject.encode()).hexdigest()}"
    return key


def _seconds_left(started: datetime, window: timedelta, now: datetime) -> int:
    return max(1, math.ceil((started + window - now).total_seconds()))


@dataclass
class RateLimiter:
    """One per process (``Runtime.limiter``). ``engine`` must be the autocommit one
    (``Runtime.reader``): each hit is committed on its own, whatever the request
    does next."""

    engine: AsyncEngine
    #: key -> when this node stops refusing it without asking the database.
    _blocked: dict[str, datetime] = field(default_factory=dict)
    _counted: int = 0

    def blocked_here(self, limit: Limit, subject: str, *, now: datetime | None = None) -> None:
        """Raise :class:`Limited` if this node knows ``subject`` is blocked."""
        key = _key(limit, subject)
        until = self._blocked.get(key)
        if until is None:
            return
        now = now or utcnow()
        if until <= now:
            del self._blocked[key]
            return
        raise Limited(_seconds_left(until, timedelta(0), now))

    async def check(self, limit: Limit, subject: str, *, now: datetime | None = None) -> None:
        """Raise :class:`Limited` while ``subject`` has used up its failures."""
        now = now or utcnow()
        self.blocked_here(limit, subject, now=now)
        async with self.engine.connect() as conn:
            seen = await ratelimits.current(conn, _key(limit, subject), now, limit.window)
        if seen is not None and seen[0] >= limit.hits:
            self._remember(limit, subject, seen[1])
            raise Limited(_seconds_left(seen[1], limit.window, now))

    async def failure(self, limit: Limit, subject: str, *, now: datetime | None = None) -> None:
        """Count a failure; raise :class:`Limited` when it went past the limit."""
        now = now or utcnow()
        async with self.engine.connect() as conn:
            count, started = await ratelimits.hit(conn, _key(limit, subject), now, limit.window)
            self._counted += 1
            if self._counted % PRUNE_EVERY == 0:
                await ratelimits.prune(conn, now - MAX_WINDOW)
        if count >= limit.hits:
            self._remember(limit, subject, started)
        if count > limit.hits:
            raise Limited(_seconds_left(started, limit.window, now))

    async def clear(self, limit: Limit, subject: str) -> None:
        """Forget ``subject``'s failures (a successful sign-in)."""
        key = _key(limit, subject)
        self._blocked.pop(key, None)
        async with self.engine.connect() as conn:
            await ratelimits.clear(conn, key)

    def _remember(self, limit: Limit, subject: str, started: datetime) -> None:
        if len(self._blocked) >= MAX_REMEMBERED:
            now = utcnow()
            self._blocked = {k: t for k, t in self._blocked.items() if t > now}
            while len(self._blocked) >= MAX_REMEMBERED:
                del self._blocked[next(iter(self._blocked))]
        self._blocked[_key(limit, subject)] = started + limit.window
