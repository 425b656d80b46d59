"""The API root: links to every collection."""

from __future__ import annotations

from starlette.responses import Response

from handlers._http import api_url, json_response, request

COLLECTIONS = ("builds", "namespaces", "cron", "invites", "images", "objects", "variables", "keys")


async def show() -> Response:
    req = request()
    return json_response({f"{name}_url": api_url(req, f"/{name}") for name in COLLECTIONS})
