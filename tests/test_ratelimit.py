"""Failure rate limits, counted in the database, on PostgreSQL and SQLite."""

from __future__ import annotations

import asyncio
import secrets
from datetime import timedelta

import pytest

from genie.ratelimit import Limit, Limited, RateLimiter
from models.base import utcnow
from tests.conftest import Env

LIMIT = Limit("test", hits=3, window=timedelta(minutes=1))


def subject() -> str:
    return f"203.0.113.{secrets.randbelow(250)}-{secrets.token_hex(4)}"


async def test_the_limit_refuses_the_attempt_after_the_allowed_failures(env: Env) -> None:
    limiter, who = env.runtime.limiter, subject()
    for _ in range(LIMIT.hits):
        await limiter.check(LIMIT, who)
        await limiter.failure(LIMIT, who)
    with pytest.raises(Limited) as refused:
        await limiter.check(LIMIT, who)
    assert 1 <= refused.value.retry_after <= 60
    with pytest.raises(Limited):
        await limiter.failure(LIMIT, who)  # counting past the limit refuses too
    await limiter.check(LIMIT, subject())  # another subject is untouched


async def test_the_state_is_shared_through_the_database(env: Env) -> None:
    """A second node (a limiter with no memory of its own) sees the block."""
    who = subject()
    for _ in range(LIMIT.hits):
        await env.runtime.limiter.failure(LIMIT, who)
    other_node = RateLimiter(env.runtime.reader)
    other_node.blocked_here(LIMIT, who)  # knows nothing yet, so lets it through...
    with pytest.raises(Limited):
        await other_node.check(LIMIT, who)  # ...but the database says no
    with pytest.raises(Limited):
        other_node.blocked_here(LIMIT, who)  # and now it remembers


async def test_a_new_window_starts_again(env: Env) -> None:
    limiter, who, now = RateLimiter(env.runtime.reader), subject(), utcnow()
    for _ in range(LIMIT.hits):
        await limiter.failure(LIMIT, who, now=now)
    with pytest.raises(Limited):
        await limiter.check(LIMIT, who, now=now + timedelta(seconds=59))
    later = now + LIMIT.window + timedelta(seconds=1)
    await limiter.check(LIMIT, who, now=later)
    await limiter.failure(LIMIT, who, now=later)  # the first of a new window
    await limiter.check(LIMIT, who, now=later)


async def test_clear_forgets_the_failures(env: Env) -> None:
    limiter, who = env.runtime.limiter, subject()
    for _ in range(LIMIT.hits):
        await limiter.failure(LIMIT, who)
    await limiter.clear(LIMIT, who)
    await limiter.check(LIMIT, who)


async def test_concurrent_failures_count_exactly(pg: Env) -> None:
    """50 failures at once on PostgreSQL: every one counted, none lost to a race."""
    who, limit = subject(), Limit("race", hits=50, window=timedelta(minutes=5))
    limiter = pg.runtime.limiter
    await asyncio.gather(*(limiter.failure(limit, who) for _ in range(limit.hits)))
    with pytest.raises(Limited):
        await RateLimiter(pg.runtime.reader).check(limit, who)
    with pytest.raises(Limited):
        await limiter.failure(limit, who)


@pytest.mark.parametrize("who", ["x" * 500, "nul\x00byte"])
async def test_a_subject_too_long_or_holding_u0000_is_hashed_into_the_key(
    env: Env, who: str
) -> None:
    """PostgreSQL text cannot hold U+0000: such a subject is counted by its hash."""
    who = f"{who}{secrets.token_hex(3)}"
    for _ in range(LIMIT.hits):
        await env.runtime.limiter.failure(LIMIT, who)
    with pytest.raises(Limited):
        await RateLimiter(env.runtime.reader).check(LIMIT, who)
