"""``/healthz`` (liveness: the database answers) and ``/readyz`` (readiness: the
database and the storage answer)."""

from __future__ import annotations

import asyncio

from starlette.responses import Response

from handlers._http import json_response, runtime


def _state(ok: bool) -> str:
    return "ok" if ok else "unreachable"


async def show() -> Response:
    ok = await runtime().database_ok()
    body = {"status": "ok" if ok else "unavailable", "database": _state(ok)}
    return json_response(body, 200 if ok else 503)


async def ready() -> Response:
    rt = runtime()
    database, storage = await asyncio.gather(rt.database_ok(), rt.storage_ok())
    ok = database and storage
    body = {
        "status": "ok" if ok else "unavailable",
        "database": _state(database),
        "storage": _state(storage),
    }
    return json_response(body, 200 if ok else 503)
