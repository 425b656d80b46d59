"""``GET /version``: ``{"build": "<version>"}``, or plain text for non-JSON clients."""

from __future__ import annotations

from starlette.responses import PlainTextResponse, Response

from genie import __version__, mediatypes
from handlers._http import json_response, request


async def show() -> Response:
    accept = request().headers.get("accept")
    if mediatypes.accepts_exactly(accept, "text/plain") and not mediatypes.accepts_exactly(
        accept, "application/json"
    ):
        return PlainTextResponse(__version__)
    return json_response({"build": __version__})
