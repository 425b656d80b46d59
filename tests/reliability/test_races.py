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
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import psycopg2
import pytest

from tests.conftest import ALL_SCOPES, LiveServer, _live_server
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
class Clients:
    """The row's owner on each API, and the guest an invite is for."""

    djinn: httpx.AsyncClient
    djaodjin: httpx.AsyncClient
    guest: httpx.AsyncClient


async def _made(client: httpx.AsyncClient, path: str, **kwargs: Any) -> dict[str, Any]:
    created = await client.post(path, **kwargs)
    assert created.status_code == 201, created.text
    body: dict[str, Any] = created.json()
    return body


RACE_NS = "/djinn/n/live/race"
APPS = "/api/containers/cowork/apps/"


async def _key(c: Clients, i: int) -> dict[str, Any]:
    return await _made(c.djinn, "/djinn/keys", json={"name": f"edit-{i}", "key": ed25519_key()})


async def _container(c: Clients, i: int) -> dict[str, Any]:
    return await _made(c.djaodjin, APPS, json={"slug": f"edit-{i}"})


async def _cron(c: Clients, i: int) -> dict[str, Any]:
    manifest = CRON_MANIFEST.replace("proj/sub@{owner}", "race@live")
    return await _made(c.djinn, "/djinn/cron", json={"name": f"edit-{i}", "manifest": manifest})


async def _webhook(c: Clients, i: int) -> dict[str, Any]:
    url = f"http://hooks.example.com/edit-{i}"
    return await _made(c.djinn, f"{RACE_NS}/-/webhooks", json={"payload_url": url})


async def _namespace(c: Clients, i: int) -> dict[str, Any]:
    return await _made(c.djinn, "/djinn/namespaces", json={"name": f"editns{i}"})


async def _invite(c: Clients, i: int) -> dict[str, Any]:
    await _made(c.djinn, "/djinn/namespaces", json={"name": f"editinv{i}"})
    path = f"/djinn/n/live/editinv{i}/-/invites"
    return await _made(c.djinn, path, json={"handle": "racer-guest"})


async def _domain(c: Clients, i: int) -> dict[str, Any]:
    slug = {"slug": f"edit-dom-{i}"}
    await _made(c.djaodjin, APPS, json=slug)
    return {"i": i, **await _made(c.djaodjin, "/api/domains/cowork/", json=slug)}


async def _variable(c: Clients, i: int) -> dict[str, Any]:
    return await _made(c.djinn, "/djinn/variables", json={"key": f"EDIT_{i}", "value": "v"})


async def _object(c: Clients, i: int) -> dict[str, Any]:
    params = {"name": f"edit-{i}.bin", "namespace": "race"}
    return await _made(c.djinn, "/djinn/objects", params=params, content=b"x" * 1000)


@dataclass
class Edit:
    """One row's DELETE racing UPDATES writes of it (formatted with the create's
    response body): each answer must be documented, and the row gone after."""

    name: str
    make: Callable[[Clients, int], Awaitable[dict[str, Any]]]
    delete: str
    #: (method, URL, request arguments); variables and objects have no update
    #: operation: there the writes are further DELETEs.
    update: tuple[str, str, dict[str, Any]]
    #: (table, where): no such row may be left (none resurrected by an update).
    rows: tuple[tuple[str, str], ...]
    update_ok: frozenset[int] = frozenset({200, 404})
    delete_ok: frozenset[int] = frozenset({204})
    #: Which client deletes and which updates.
    deleter: str = "djinn"
    updater: str = "djinn"
    #: Exactly one request wins (an accepted invite is no longer there to refuse,
    #: a row is deleted once).
    one_winner: bool = False


OK_OR_GONE = frozenset({204, 404})
EDITS = [
    Edit("key", _key, "/djinn/keys/{id}", ("PATCH", "/djinn/keys/{id}",
         {"json": {"config": "Host example.com"}}), (("ssh_keys", "id = {id}"),)),
    Edit("container", _container, APPS + "{slug}/", ("PUT", APPS + "{slug}/",
         {"json": {"version": "v2"}}), (("containers", "slug = '{slug}'"),),
         deleter="djaodjin", updater="djaodjin"),
    Edit("cron", _cron, "/djinn/cron/{id}", ("PATCH", "/djinn/cron/{id}",
         {"json": {"schedule": "weekly"}}), (("cron", "id = {id}"),)),
    Edit("webhook", _webhook, RACE_NS + "/-/webhooks/{id}", ("PATCH",
         RACE_NS + "/-/webhooks/{id}", {"json": {"active": False}}),
         (("namespace_webhooks", "id = {id}"),)),
    Edit("namespace", _namespace, "/djinn/n/live/{path}", ("PATCH", "/djinn/n/live/{path}",
         {"json": {"visibility": "public"}}), (("namespaces", "id = {id}"),)),
    Edit("invite", _invite, "/djinn/invites/{id}", ("PATCH", "/djinn/invites/{id}", {}),
         (("namespace_invites", "id = {id}"),), delete_ok=OK_OR_GONE, updater="guest",
         one_winner=True),
    Edit("domain", _domain, APPS + "edit-dom-{i}/", ("PUT", "/api/domains/cowork/edit-dom-{i}/",
         {"json": {"domain": "edit-{i}.example.com"}}),
         (("containers", "slug = 'edit-dom-{i}'"), ("domains", "domain = 'edit-{i}.example.com'")),
         deleter="djaodjin", updater="djaodjin"),
    Edit("variable", _variable, "/djinn/variables/{id}", ("DELETE", "/djinn/variables/{id}", {}),
         (("variables", "id = {id}"),), OK_OR_GONE, OK_OR_GONE, one_winner=True),
    Edit("object", _object, "/djinn/objects/{id}", ("DELETE", "/djinn/objects/{id}", {}),
         (("objects", "id = {id}"),), OK_OR_GONE, OK_OR_GONE, one_winner=True),
]  # fmt: skip
ROUNDS = 20
UPDATES = 5


def _fill(template: str, values: dict[str, Any]) -> str:
    return template.format(**{k: v for k, v in values.items() if not isinstance(v, dict | list)})


async def _edit_round(server: LiveServer, clients: Clients, edit: Edit, index: int) -> list[int]:
    made = await edit.make(clients, index)
    method, url, kwargs = edit.update
    if "json" in kwargs:
        body = {k: _fill(v, made) if isinstance(v, str) else v for k, v in kwargs["json"].items()}
        kwargs = {**kwargs, "json": body}
    deleter, updater = getattr(clients, edit.deleter), getattr(clients, edit.updater)
    answers = await asyncio.gather(
        deleter.delete(_fill(edit.delete, made)),
        *(updater.request(method, _fill(url, made), **kwargs) for _ in range(UPDATES)),
    )
    left = sum(_count(server, table, _fill(where, made)) for table, where in edit.rows)
    return [r.status_code for r in answers] + [left]


def _clients(server: LiveServer, guest: str) -> Clients:
    def client(headers: dict[str, str]) -> httpx.AsyncClient:
        return httpx.AsyncClient(base_url=server.url, headers=headers, timeout=60)

    return Clients(
        client(server.auth),
        client(_headers(server, True)),
        client({"Authorization": f"Bearer {guest}"}),
    )


@pytest.fixture(scope="module")
def guest_token(prepared: LiveServer) -> str:
    return prepared.genie("tokens", "create", "racer-guest", "--scopes", ALL_SCOPES)


@pytest.mark.parametrize("edit", EDITS, ids=lambda e: e.name)
def test_a_delete_racing_updates_of_the_same_row(
    prepared: LiveServer, guest_token: str, edit: Edit
) -> None:
    async def run() -> list[list[int]]:
        clients = _clients(prepared, guest_token)
        try:
            return [await _edit_round(prepared, clients, edit, i) for i in range(ROUNDS)]
        finally:
            for client in (clients.djinn, clients.djaodjin, clients.guest):
                await client.aclose()

    rounds = asyncio.run(run())
    for *answers, left in rounds:
        deleted, *updates = answers
        assert deleted in edit.delete_ok, answers
        assert set(updates) <= edit.update_ok, answers
        assert left == 0, (answers, "a row is left")
        if edit.one_winner:
            assert sum(a < 300 for a in answers) == 1, answers
    deletes = Counter(answers[0] for *answers, _ in rounds)
    seen = Counter(status for *answers, _ in rounds for status in answers[1:])
    method = edit.update[0]
    record(
        f"race: a delete against {UPDATES} {'deletes' if method == 'DELETE' else 'updates'} "
        f"of one {edit.name}",
        f"{ROUNDS} rounds: create, then DELETE and {UPDATES} x {method} at once",
        f"deletes {dict(sorted(deletes.items()))}; the others {dict(sorted(seen.items()))}; "
        f"no 500; no row left",
        0,
    )
