"""The 308 to a DjaoDjin path's canonical, slashed form.

Every DjaoDjin path ends with a slash. A request for the same path without it
(``/api/containers/cowork/apps``) is answered ``308 Permanent Redirect`` to the
slashed path, query string kept; 308 (unlike Django's 301) keeps the method and
the body. Only paths whose slashed form is a path of the spec are redirected, so
routing stays the spec's: everything else falls through to the usual 404.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

from handlers._allowed import AllowedMethods
from handlers._errors import DJAODJIN_PREFIX, is_djaodjin


class TrailingSlashRedirect:
    def __init__(
        self, app: ASGIApp, allowed: AllowedMethods, prefix: str = DJAODJIN_PREFIX
    ) -> None:
        self.app = app
        self.allowed = allowed
        self.prefix = prefix

    def _redirects(self, path: str) -> bool:
        return (
            is_djaodjin(path, self.prefix)
            and not path.endswith("/")
            and bool(self.allowed.for_path(path + "/"))
            and not self.allowed.for_path(path)
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self._redirects(scope["path"]):
            await self.app(scope, receive, send)
            return
        raw_path = scope.get("raw_path") or scope["path"].encode("utf-8")
        location = raw_path.split(b"?", 1)[0] + b"/"
        if scope.get("query_string"):
            location += b"?" + scope["query_string"]
        await send(
            {
                "type": "http.response.start",
                "status": 308,
                "headers": [(b"location", location), (b"content-length", b"0")],
            }
        )
        await send({"type": "http.response.body", "body": b""})
