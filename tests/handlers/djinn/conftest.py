"""Fixtures for namespaced Djinn resources: namespaces, collaborators, a webhook
receiver. Resources of later issues build their worlds from these helpers."""

from __future__ import annotations

import dataclasses
import json
import threading
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from genie import webhooks
from tests.conftest import Account, Env, _make_env

#: The jobs a webhook test runs: the queue is the session's, and other tests'
#: jobs (builds among them) are not these tests' to run.
DELIVERIES = frozenset({webhooks.KIND})


@pytest.fixture(scope="session")
async def private_env(pg_env: Env) -> AsyncIterator[Env]:
    """The app on the same PostgreSQL database, data directory and secret key as
    ``pg``, with ``allow_private_urls=True``: webhooks may point at 127.0.0.1."""
    settings = dataclasses.replace(pg_env.runtime.settings, allow_private_urls=True)
    async for env in _make_env("postgres-private-urls", settings):
        yield env


@pytest.fixture(scope="session")
async def private_s3_env(pg_s3_env: Env) -> AsyncIterator[Env]:
    """As ``private_env``, with files in S3 (the bucket prefix of ``pg_s3_env``)."""
    settings = dataclasses.replace(pg_s3_env.runtime.settings, allow_private_urls=True)
    async for env in _make_env("postgres-s3-private-urls", settings, pg_s3_env.files):
        yield env


async def create_namespace(
    env: Env,
    account: Account,
    name: str,
    *,
    parent: str | None = None,
    visibility: str | None = None,
    description: str | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {"name": name}
    if parent is not None:
        body["parent"] = parent
    if visibility is not None:
        body["visibility"] = visibility
    if description is not None:
        body["description"] = description
    response = await env.client.post("/djinn/namespaces", json=body, headers=account.auth)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def ns_url(account: Account, path: str, suffix: str = "") -> str:
    """``/djinn/n/<owner>/<path>[/-/<suffix>]``."""
    url = f"/djinn/n/{account.user.username}/{path}"
    return f"{url}/-/{suffix}" if suffix else url


async def invite(env: Env, owner: Account, path: str, invitee: Account) -> dict[str, Any]:
    response = await env.client.post(
        ns_url(owner, path, "invites"),
        json={"handle": invitee.user.username},
        headers=owner.auth,
    )
    assert response.status_code == 201, response.text
    sent: dict[str, Any] = response.json()
    return sent


async def add_collaborator(env: Env, owner: Account, path: str, collaborator: Account) -> None:
    """Invite ``collaborator`` to the tree of ``path`` and accept, through the API."""
    sent = await invite(env, owner, path, collaborator)
    accepted = await env.client.patch(f"/djinn/invites/{sent['id']}", headers=collaborator.auth)
    assert accepted.status_code == 200, accepted.text


@dataclass
class Delivery:
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Receiver:
    """A real HTTP server on 127.0.0.1 that records every POST it gets."""

    url: str
    deliveries: list[Delivery] = field(default_factory=list)
    #: Status codes to answer with, in turn; 200 once they run out.
    statuses: list[int] = field(default_factory=list)

    def for_hook(self, hook_id: int) -> list[Delivery]:
        return [d for d in self.deliveries if d.headers.get("x-djinn-ci-hook-id") == str(hook_id)]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    state = Receiver(url="")
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            with lock:
                state.deliveries.append(
                    Delivery(self.path, {k.lower(): v for k, v in self.headers.items()}, body)
                )
                status = state.statuses.pop(0) if state.statuses else 200
            self.send_response(status)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, format: str, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
