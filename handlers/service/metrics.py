"""``GET /metrics``: this process's metrics in the Prometheus text format.

Open to loopback clients, and to anyone with ``Authorization: Bearer
<GENIE_METRICS_TOKEN>``; :func:`genie.metrics.refusal` decides.
"""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from genie.metrics import CONTENT_TYPE, FORBIDDEN, refusal
from genie.runtime import from_scope
from handlers._errors import Forbidden, Unauthorized
from handlers._http import request, runtime


def _refuse(status: int | None) -> None:
    if status == 401:
        raise Unauthorized()
    if status == 403:
        raise Forbidden(FORBIDDEN)


def token_info(token: str, request: Any) -> dict[str, Any]:
    """The ``metrics_token`` scheme: the metrics token, or any bearer from loopback."""
    client = request.client.host if request.client else None
    _refuse(refusal(client, token, from_scope(request.scope).settings.metrics_token))
    return {"sub": "metrics"}


async def show(token_info: dict[str, Any] | None = None) -> Response:
    rt = runtime()
    if not token_info:
        client = request().client
        _refuse(refusal(client.host if client else None, None, rt.settings.metrics_token))
    return Response(await rt.metrics.scrape(rt.reader), media_type=CONTENT_TYPE)
