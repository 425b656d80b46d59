"""One autocommit connection serves a request's authentication and its first read.

A GET takes one connection (it took two: one for the token, one for the handler),
from those kept between requests (:mod:`genie.readers`) or, when none is idle,
from the pool. A write gives the authentication's connection back before its
handler opens a session, so no request holds two. Whatever the outcome (401, 400,
404, 500), every connection is back, in the pool or idle among the kept ones,
when the response is sent.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncConnection

from genie.readers import Readers
from tests.conftest import Env


@dataclass
class PoolWatch:
    """Connections out of the pool, less those idle among the kept readers: what
    requests hold. ``takes`` counts the connections requests asked the readers for."""

    readers: Readers
    checkouts: int = 0
    takes: int = 0
    out: int = 0
    most_held: int = 0

    def checkout(self, *_: object) -> None:
        self.checkouts += 1
        self.out += 1
        self.most_held = max(self.most_held, self.held)

    def checkin(self, *_: object) -> None:
        self.out -= 1

    @property
    def held(self) -> int:
        return self.out - self.readers.idle


@contextmanager
def watch(env: Env) -> Iterator[PoolWatch]:
    pool = env.runtime.engine.sync_engine.pool
    readers = env.runtime.readers
    seen = PoolWatch(readers, out=readers.idle)
    take = readers.take

    async def counted_take() -> AsyncConnection:
        seen.takes += 1
        return await take()

    event.listen(pool, "checkout", seen.checkout)
    event.listen(pool, "checkin", seen.checkin)
    readers.take = counted_take  # type: ignore[method-assign]
    try:
        yield seen
    finally:
        del readers.take
        event.remove(pool, "checkout", seen.checkout)
        event.remove(pool, "checkin", seen.checkin)


async def test_an_authenticated_list_takes_one_connection(env: Env) -> None:
    alice = await env.account()
    with watch(env) as pool:
        response = await env.client.get("/djinn/objects", headers=alice.auth)
    assert response.status_code == 200
    assert pool.takes == 1
    assert pool.checkouts <= 1
    assert pool.held == 0


async def test_a_get_that_reads_twice_takes_a_second_connection(env: Env) -> None:
    """Only the first read takes the kept connection; later ones get their own."""
    alice = await env.account()
    name = f"ns{secrets.token_hex(3)}"
    created = await env.client.post("/djinn/namespaces", json={"name": name}, headers=alice.auth)
    assert created.status_code == 201, created.text
    with watch(env) as pool:
        response = await env.client.get(
            f"/djinn/n/{alice.user.username}/{name}", headers=alice.auth
        )
    assert response.status_code == 200
    assert pool.takes >= 1
    assert pool.held == 0


async def test_a_write_never_holds_two_connections(env: Env) -> None:
    alice = await env.account()
    with watch(env) as pool:
        response = await env.client.post(
            "/djinn/namespaces", json={"name": f"ns{secrets.token_hex(3)}"}, headers=alice.auth
        )
    assert response.status_code == 201, response.text
    # The token look-up, then the handler's transaction on the same kept connection
    # (genie.readers); without kept connections (SQLite) the writing engine's.
    assert pool.takes == (2 if env.runtime.readers.keep else 1)
    assert pool.most_held == 1
    assert pool.held == 0


async def test_every_outcome_returns_the_connection(env: Env) -> None:
    alice = await env.account()
    narrow = await env.token_for(alice, "namespace:read")
    outcomes = [
        (401, "/djinn/objects", {"Authorization": "Bearer nope"}),
        (403, "/djinn/objects", {"Authorization": f"Bearer {narrow}"}),
        (400, "/djinn/objects?page=x", alice.auth),
        (404, "/djinn/objects/987654321", alice.auth),
    ]
    for status, url, headers in outcomes:
        with watch(env) as pool:
            response = await env.client.get(url, headers=headers)
        assert response.status_code == status, (status, response.text)
        assert pool.takes >= 1, status
        assert pool.held == 0, f"a connection was left checked out after a {status}"
