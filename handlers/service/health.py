"""``/healthz``: is the database answering?"""

from __future__ import annotations

import logging

from sqlalchemy import text
from starlette.responses import Response

from handlers._http import json_response, runtime

logger = logging.getLogger("genie.health")


async def show() -> Response:
    try:
        async with runtime().engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
    except Exception as exc:
        logger.warning("health check: database unreachable: %s", type(exc).__name__)
        return json_response({"status": "unavailable", "database": "unreachable"}, 503)
    return json_response({"status": "ok", "database": "ok"})
