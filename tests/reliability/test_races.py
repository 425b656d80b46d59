"""Races on PostgreSQL through real HTTP: 100 concurrent creates of one name, and
deletes racing updates of the same row.

Every create with a uniqueness rule must give exactly one 201 and the documented
400 to the other 99 (a field map, or DRF's ``{"detail"}``), never a 500, and
leave one row.
"""

from __future__ import annotations

import asyncio
import base64
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import psycopg2
import pytest

from tests.conftest import LiveServer, _live_server
from tests.handlers.djinn.test_access_matrix import CRON_MANIFEST, QCOW2
from tests.handlers.djinn.test_keys import ed25519_key
from tests.reliability.conftest import record

CONCURRENCY = 100


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with _live_server(tmp_path_factory, "races", {}) as live:
        live.genie("users", "create", "racer-guest", "--email", "guest@example.com")
        yield live


@dataclass
class Create:
    name: str
    method: str
    path: str
    #: (table, where) counting the rows the race may leave: one.
    rows: tuple[str, str]
    kwargs: dict[str, Any] = field(default_factory=dict)
    djaodjin: bool = False


def _count(server: LiveServer, table: str, where: str) -> int:
    conn = psycopg2.connect(server.database_url)
    try:
        with conn.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {table} WHERE {where}")
            return int(cursor.fetchone()[0])
    finally:
        conn.close()


def _headers(server: LiveServer, djaodjin: bool) -> dict[str, str]:
    if djaodjin:
        return {
            "Authorization": "Basic " + base64.b64encode(f"{server.api_key}:".encode()).decode()
        }
    return server.auth


async def _burst(server: LiveServer, create: Create) -> list[httpx.Response]:
    limits = httpx.Limits(max_connections=CONCURRENCY)
    headers = _headers(server, create.djaodjin)
    async with httpx.AsyncClient(
        base_url=server.url, headers=headers, limits=limits, timeout=60
    ) as client:
        return await asyncio.gather(
            *(
                client.request(create.method, create.path, **create.kwargs)
                for _ in range(CONCURRENCY)
            )
        )


def _creates() -> list[Create]:
    manifest = CRON_MANIFEST.replace("proj/sub@{owner}", "race@live")
    ns = "/djinn/n/live/race"
    return [
        Create("namespaces", "POST", "/djinn/namespaces", ("namespaces", "name = 'race2'"),
               {"json": {"name": "race2"}}),
        Create("objects", "POST", "/djinn/objects", ("objects", "name = 'race.bin'"),
               {"params": {"name": "race.bin", "namespace": "race"}, "content": b"x" * 1000}),
        Create("variables", "POST", "/djinn/variables", ("variables", "key = 'RACE'"),
               {"json": {"key": "RACE", "value": "v"}}),
        Create("keys", "POST", "/djinn/keys", ("ssh_keys", "name = 'race-key'"),
               {"json": {"name": "race-key", "key": ed25519_key()}}),
        Create("cron", "POST", "/djinn/cron", ("cron", "name = 'race-cron'"),
               {"json": {"name": "race-cron", "manifest": manifest}}),
        Create("images", "POST", "/djinn/images", ("images", "name = 'race-image'"),
               {"params": {"name": "race-image", "namespace": "race"}, "content": QCOW2}),
        Create("invites", "POST", f"{ns}/-/invites", ("namespace_invites", "true"),
               {"json": {"handle": "racer-guest"}}),
        Create("containers", "POST", "/api/containers/cowork/apps/",
               ("containers", "slug = 'race-app'"), {"json": {"slug": "race-app"}}, True),
        Create("domains", "POST", "/api/domains/cowork/",
               ("domains", "container_id = (SELECT id FROM containers WHERE slug = 'race-dom')"),
               {"json": {"slug": "race-dom"}}, True),
    ]  # fmt: skip


@pytest.fixture(scope="module")
def prepared(server: LiveServer) -> LiveServer:
    with httpx.Client(base_url=server.url, headers=server.auth) as client:
        assert client.post("/djinn/namespaces", json={"name": "race"}).status_code == 201
    with httpx.Client(base_url=server.url, headers=_headers(server, True)) as client:
        made = client.post("/api/containers/cowork/apps/", json={"slug": "race-dom"})
        assert made.status_code == 201, made.text
    return server


@pytest.mark.parametrize("create", _creates(), ids=lambda c: c.name)
def test_a_hundred_concurrent_creates_of_one_name(prepared: LiveServer, create: Create) -> None:
    responses = asyncio.run(_burst(prepared, create))
    statuses = Counter(r.status_code for r in responses)
    assert statuses == {201: 1, 400: CONCURRENCY - 1}, (statuses, _bodies(responses))
    for response in responses:
        if response.status_code == 400:
            body = response.json()
            # A field map, Djinn's {"message"} for a business rule, or DRF's {"detail"}.
            messages = {k: v for k, v in body.items() if k not in ("detail", "message")}
            assert body and all(isinstance(v, list) for v in messages.values()), body
    assert _count(prepared, *create.rows) == 1
    record(
        f"race: {CONCURRENCY} concurrent creates of one {create.name}",
        f"{create.method} {create.path.replace('/live/', '/<user>/')}, the same name, "
        f"{CONCURRENCY} connections at once (PostgreSQL)",
        f"one 201, {CONCURRENCY - 1} x 400 ({_first_400(responses)}), no 500; one row",
        0,
    )


def _bodies(responses: list[httpx.Response]) -> list[str]:
    return sorted({r.text[:200] for r in responses if r.status_code not in (201, 400)})


def _first_400(responses: list[httpx.Response]) -> str:
    return next(r.text for r in responses if r.status_code == 400)[:80]


@dataclass
class Edit:
    name: str
    create: tuple[str, dict[str, Any]]
    #: The row's URL, from the create's response body.
    url: str
    update: tuple[str, dict[str, Any]]
    #: Acceptable answers to the update: before the delete, or after it.
    update_ok: frozenset[int]
    djaodjin: bool = False


EDITS = [
    Edit("key", ("/djinn/keys", {}), "/djinn/keys/{id}",
         ("PATCH", {"json": {"config": "Host example.com"}}), frozenset({200, 404})),
    Edit("container", ("/api/containers/cowork/apps/", {}), "/api/containers/cowork/apps/{slug}/",
         ("PUT", {"json": {"version": "v2"}}), frozenset({200, 404}), True),
]  # fmt: skip
ROUNDS = 20
UPDATES = 5


async def _edit_round(client: httpx.AsyncClient, edit: Edit, index: int) -> list[int]:
    path, _ = edit.create
    body: dict[str, Any] = (
        {"slug": f"edit-{index}"}
        if edit.djaodjin
        else {"name": f"edit-{index}", "key": ed25519_key()}
    )
    created = await client.post(path, json=body)
    assert created.status_code == 201, created.text
    url = edit.url.format(**created.json())
    method, kwargs = edit.update
    answers = await asyncio.gather(
        client.delete(url), *(client.request(method, url, **kwargs) for _ in range(UPDATES))
    )
    after = await client.get(url)
    assert after.status_code == 404, after.text
    return [r.status_code for r in answers]


@pytest.mark.parametrize("edit", EDITS, ids=lambda e: e.name)
def test_a_delete_racing_updates_of_the_same_row(prepared: LiveServer, edit: Edit) -> None:
    async def run() -> list[list[int]]:
        headers = _headers(prepared, edit.djaodjin)
        async with httpx.AsyncClient(base_url=prepared.url, headers=headers, timeout=60) as client:
            return [await _edit_round(client, edit, i) for i in range(ROUNDS)]

    rounds = asyncio.run(run())
    for deleted, *updates in rounds:
        assert deleted == 204
        assert set(updates) <= edit.update_ok, updates
    seen = Counter(status for _, *updates in rounds for status in updates)
    record(
        f"race: a delete against {UPDATES} updates of one {edit.name}",
        f"{ROUNDS} rounds: create, then DELETE and {UPDATES} x {edit.update[0]} at once",
        f"every delete 204; updates {dict(sorted(seen.items()))}; no 500; the row gone",
        0,
    )
