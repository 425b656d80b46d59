"""One pooled connection serves a request's authentication and its first read.

A GET costs one pool checkout (it cost two: one for the token, one for the
handler). A write returns the authentication's connection before its handler
opens a session, so no request holds two. Whatever the outcome (401, 400,
404, 500), every connection is back in the pool when the response is sent.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import event

from tests.conftest import Env


@dataclass
class PoolWatch:
    checkouts: int = 0
    out: int = 0
    most_out: int = 0
    log: list[str] = field(default_factory=list)

    def checkout(self, *_: object) -> None:
        self.checkouts += 1
        self.out += 1
        self.most_out = max(self.most_out, self.out)

    def checkin(self, *_: object) -> None:
        self.out -= 1


@contextmanager
def watch(env: Env) -> Iterator[PoolWatch]:
    pool = env.runtime.engine.sync_engine.pool
    seen = PoolWatch()
    event.listen(pool, "checkout", seen.checkout)
    event.listen(pool, "checkin", seen.checkin)
    try:
        yield seen
    finally:
        event.remove(pool, "checkout", seen.checkout)
        event.remove(pool, "checkin", seen.checkin)


async def test_an_authenticated_list_checks_out_one_connection(env: Env) -> None:
    alice = await env.account()
    with watch(env) as pool:
        response = await env.client.get("/djinn/objects", headers=alice.auth)
    assert response.status_code == 200
    assert pool.checkouts == 1
    assert pool.out == 0


async def test_a_get_that_reads_twice_checks_out_a_second_connection(env: Env) -> None:
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
    assert pool.checkouts >= 1
    assert pool.out == 0


async def test_a_write_never_holds_two_connections(env: Env) -> None:
    alice = await env.account()
    with watch(env) as pool:
        response = await env.client.post(
            "/djinn/namespaces", json={"name": f"ns{secrets.token_hex(3)}"}, headers=alice.auth
        )
    assert response.status_code == 201, response.text
    assert pool.checkouts >= 2  # the token look-up, then the handler's session
    assert pool.most_out == 1
    assert pool.out == 0


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
        assert pool.checkouts >= 1, status
        assert pool.out == 0, f"a connection was left checked out after a {status}"
