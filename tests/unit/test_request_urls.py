"""The links' URL parts are worked out exactly as Starlette's ``Request.url`` and
``Request.query_params`` have them, without building either."""

from __future__ import annotations

import itertools
from typing import Any
from urllib.parse import urlencode

import pytest
from starlette.requests import Request

from handlers import _http
from handlers._pagination import _query_without_page

HOSTS: list[bytes | None] = [
    None,
    b"example.com",
    b"example.com:8443",
    b"EXAMPLE.com:80",
    b"[::1]:8000",
    b"[::1]",
    b"bad host",
    b"example.com:notaport",
    b"example.com/path?x",
    b"",
]
SERVERS: list[tuple[str, int] | None] = [None, ("127.0.0.1", 80), ("::1", 8000), ("10.0.0.1", 443)]
PATHS = ["/djinn/objects", "/djinn/n/al/a%20b", "/api/x?y#z\\w", "//double/slash", "/é"]
QUERIES = [
    b"",
    b"page=2",
    b"search=a&page=3&search=b",
    b"page=1&page=2&x=",
    b"q=%26%3D%20+&page=",
    b"flag&other=1",
    b"e=%C3%A9&z=\xe9",
]


def _scope(scheme: str, host: bytes | None, server: Any, path: str, query: bytes) -> Any:
    headers = [] if host is None else [(b"host", host)]
    return {
        "type": "http",
        "scheme": scheme,
        "server": server,
        "path": path,
        "query_string": query,
        "headers": headers,
    }


@pytest.mark.parametrize(
    ("scheme", "host", "server"), list(itertools.product(["http", "https"], HOSTS, SERVERS))
)
def test_the_origin_is_starlettes(scheme: str, host: bytes | None, server: Any) -> None:
    scope = _scope(scheme, host, server, "/", b"")
    url = Request(scope).url
    assert _http._origin(scheme, _http._host(scope), server) == f"{url.scheme}://{url.netloc}"


@pytest.mark.parametrize("path", PATHS)
def test_the_path_is_starlettes(path: str) -> None:
    request = Request(_scope("http", b"h", None, path, b""))
    assert _http.request_path(request) == request.url.path


@pytest.mark.parametrize("query", QUERIES)
def test_the_query_without_page_is_starlettes(query: bytes) -> None:
    request = Request(_scope("http", b"h", None, "/", query))
    expected = urlencode([(k, v) for k, v in request.query_params.multi_items() if k != "page"])
    assert _query_without_page(request) == expected
