"""A namespace deleted while a request that writes into it runs.

Before the fix, the write failed on the foreign key and answered 500 (or, for
invites, a misleading "Invite already sent"). Now the write transaction locks
the namespace row: a delete that commits first makes the request a 404 (path
addressed) or a 400 on ``namespace`` (placed by reference), with nothing
written and no file left behind; a delete that comes second waits.
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Awaitable, Callable
from typing import Any

import psycopg2
import pytest
from sqlalchemy import text

from handlers.djinn import webhooks as webhook_handlers
from models import access
from models.users import find_caller
from tests.conftest import Account, Env
from tests.handlers.djinn.conftest import create_namespace, ns_url


async def _delete_namespace(env: Env, namespace_id: int) -> None:
    async with env.runtime.engine.begin() as conn:
        await conn.execute(text("DELETE FROM namespaces WHERE id = :id"), {"id": namespace_id})


async def _count(env: Env, sql: str, **params: Any) -> int:
    async with env.runtime.engine.connect() as conn:
        return int((await conn.execute(text(sql), params)).scalar_one())


def _deleting_after(
    env: Env, namespace_id: int, step: Callable[..., Awaitable[Any]]
) -> Callable[..., Awaitable[Any]]:
    """``step``, then the namespace deleted by another transaction."""

    async def step_then_delete(*args: Any, **kwargs: Any) -> Any:
        result = await step(*args, **kwargs)
        await _delete_namespace(env, namespace_id)
        return result

    return step_then_delete


async def test_upload_into_a_namespace_deleted_meanwhile_is_a_400_and_leaves_nothing(
    env: Env, monkeypatch: pytest.MonkeyPatch
) -> None:
    alice = await env.account()
    name = f"ns{secrets.token_hex(3)}"
    ns = await create_namespace(env, alice, name)
    files_before = env.stored_files()
    monkeypatch.setattr(access, "plan", _deleting_after(env, ns["id"], access.plan))
    response = await env.client.post(
        f"/djinn/objects?name=data.txt&namespace={name}",
        content=b"hello " * 1000,
        headers={**alice.auth, "Content-Type": "text/plain"},
    )
    assert response.status_code == 400, response.text
    assert response.json() == {"namespace": ["Namespace no longer exists"]}
    assert (
        await _count(env, "SELECT count(*) FROM objects WHERE user_id = :u", u=alice.user.id) == 0
    )
    assert env.stored_files() == files_before


async def test_a_variable_placed_in_a_namespace_deleted_meanwhile_is_a_400(
    env: Env, monkeypatch: pytest.MonkeyPatch
) -> None:
    alice = await env.account()
    name = f"ns{secrets.token_hex(3)}"
    ns = await create_namespace(env, alice, f"{name}")
    monkeypatch.setattr(access, "plan", _deleting_after(env, ns["id"], access.plan))
    response = await env.client.post(
        "/djinn/variables",
        json={"key": "TOKEN", "value": "x", "namespace": f"{name}/sub"},
        headers=alice.auth,
    )
    # The missing "sub" was to be created under the deleted namespace.
    assert response.status_code == 400, response.text
    assert response.json() == {"namespace": ["Namespace no longer exists"]}
    assert (
        await _count(env, "SELECT count(*) FROM variables WHERE user_id = :u", u=alice.user.id) == 0
    )
    assert (
        await _count(env, "SELECT count(*) FROM namespaces WHERE user_id = :u", u=alice.user.id)
        == 0
    )


async def test_a_webhook_for_a_namespace_deleted_meanwhile_is_a_404(
    private_env: Env, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = private_env
    alice = await env.account()
    name = f"ns{secrets.token_hex(3)}"
    ns = await create_namespace(env, alice, name)
    monkeypatch.setattr(
        webhook_handlers, "check_url", _deleting_after(env, ns["id"], webhook_handlers.check_url)
    )
    response = await env.client.post(
        ns_url(alice, name, "webhooks"),
        json={"payload_url": "http://127.0.0.1:9/x"},
        headers=alice.auth,
    )
    assert response.status_code == 404, response.text
    assert (
        await _count(
            env, "SELECT count(*) FROM namespace_webhooks WHERE user_id = :u", u=alice.user.id
        )
        == 0
    )


async def _lock_blocks_delete(env: Env, owner: Account, name: str, mode: str) -> None:
    """While a write transaction holds the namespace, a delete cannot get through."""
    ns = await create_namespace(env, owner, name)
    url = env.runtime.settings.database_url.replace("+asyncpg", "").replace("+psycopg", "")
    async with env.runtime.reader.connect() as conn:
        me = await find_caller(conn, owner.token)
    assert me is not None
    async with env.runtime.sessions() as session, session.begin():
        await access.namespace(session, me, owner.user.username, name, access.OWNER, lock=mode)  # type: ignore[arg-type]

        def try_delete() -> str:
            conn = psycopg2.connect(url)
            try:
                with conn.cursor() as cur:
                    cur.execute("SET lock_timeout = '300ms'")
                    cur.execute("DELETE FROM namespaces WHERE id = %s", (ns["id"],))
                conn.commit()
                return "deleted"
            except psycopg2.errors.LockNotAvailable:
                return "blocked"
            finally:
                conn.close()

        assert await asyncio.to_thread(try_delete) == "blocked"
    assert await asyncio.to_thread(try_delete) == "deleted"


@pytest.mark.parametrize("mode", ["share", "update"])
async def test_a_locked_namespace_cannot_be_deleted_until_the_change_commits(
    pg: Env, mode: str
) -> None:
    alice = await pg.account()
    await _lock_blocks_delete(pg, alice, f"ns{secrets.token_hex(3)}", mode)
