"""The caller: ``/user``."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from handlers._http import caller, json_response


async def show(token_info: dict[str, Any]) -> Response:
    user = caller(token_info)
    return json_response(
        {"email": user.email, "username": user.username, "created_at": user.created_at}
    )
