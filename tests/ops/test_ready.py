"""``/readyz`` (the database and the storage) beside ``/healthz`` (liveness)."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.conftest import Env
from tests.ops.conftest import app_from

READY = {"status": "ok", "database": "ok", "storage": "ok"}


async def test_ready_when_both_answer(env: Env) -> None:
    response = await env.client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == READY


async def test_not_ready_without_the_database(tmp_path: Path) -> None:
    nowhere = "postgresql://postgres@127.0.0.1:1/nowhere"
    async with app_from(nowhere, tmp_path) as (client, _):
        ready = await client.get("/readyz")
        live = await client.get("/healthz")
    assert ready.status_code == 503
    assert ready.json() == {"status": "unavailable", "database": "unreachable", "storage": "ok"}
    assert live.status_code == 503


async def test_not_ready_without_the_storage_but_still_alive(pg_url: str, tmp_path: Path) -> None:
    async with app_from(pg_url, tmp_path / "data") as (client, _):
        assert (await client.get("/readyz")).json() == READY
        shutil.rmtree(tmp_path / "data")  # the volume went away
        ready = await client.get("/readyz")
        live = await client.get("/healthz")
        (tmp_path / "data" / ".tmp").mkdir(parents=True)  # and came back
        again = await client.get("/readyz")
    assert ready.status_code == 503
    assert ready.json() == {"status": "unavailable", "database": "ok", "storage": "unreachable"}
    assert live.status_code == 200
    assert again.status_code == 200


async def test_not_ready_with_neither(tmp_path: Path) -> None:
    nowhere = "postgresql://postgres@127.0.0.1:1/nowhere"
    async with app_from(nowhere, tmp_path / "data") as (client, _):
        shutil.rmtree(tmp_path / "data")
        ready = await client.get("/readyz")
    assert ready.status_code == 503
    assert ready.json() == {
        "status": "unavailable",
        "database": "unreachable",
        "storage": "unreachable",
    }
