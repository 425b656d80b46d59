"""Request ids, access lines and log formats, in process (the real app)."""

from __future__ import annotations

import io
import json
import logging
import re
import sys
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from genie.logs import REQUEST_ID, JsonFormatter, TextFormatter, logging_config
from genie.observe import redact_query, request_id
from tests.conftest import Env
from tests.test_app import fixture_client

GENERATED = re.compile(r"[0-9a-f]{32}")


@pytest.fixture
async def fixture_app(tmp_path: Path, pg_url: str) -> AsyncIterator[httpx.AsyncClient]:
    """The app with the validation fixture spec, whose ``/t/boom`` raises."""
    async for client in fixture_client(tmp_path, pg_url, debug=False):
        yield client


Lines = Callable[[], list[dict[str, Any]]]


@pytest.fixture
def json_lines() -> Iterator[Lines]:
    """The test's log records so far, as the JSON format wrote them at the time."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        root.removeHandler(handler)


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/djinn/objects", 401),
        ("GET", "/djinn/nowhere", 404),
        ("PUT", "/djinn/objects", 405),
        ("GET", "/api/containers/cowork/apps", 308),
        ("GET", "/healthz", 200),
        ("GET", "/djinn/openapi.json", 200),
    ],
)
async def test_every_response_carries_the_request_id(
    pg: Env, method: str, path: str, status: int
) -> None:
    sent = await pg.client.request(method, path, headers={"X-Request-ID": "trace-abc.123"})
    assert sent.status_code == status
    assert sent.headers.get_list("x-request-id") == ["trace-abc.123"]
    made = await pg.client.request(method, path)
    assert made.status_code == status
    assert GENERATED.fullmatch(made.headers["x-request-id"])


async def test_a_500_carries_it_and_so_does_its_log_line(
    fixture_app: httpx.AsyncClient, json_lines: Lines
) -> None:
    response = await fixture_app.get("/t/boom", headers={"X-Request-ID": "boom-1"})
    assert response.status_code == 500
    assert response.headers["x-request-id"] == "boom-1"
    logged = [line for line in json_lines() if line.get("request_id") == "boom-1"]
    error, access = logged
    assert (error["logger"], error["level"]) == ("genie.errors", "ERROR")
    assert "RuntimeError" in error["exc"]
    assert (access["logger"], access["status"]) == ("genie.access", 500)
    assert REQUEST_ID.get() is None  # nothing leaks into the next request


@pytest.mark.parametrize(
    "header",
    [b"has spaces", b"x" * 129, b"", "caf\u00e9".encode(), b"new\nline", b'quote"d', b"a;b"],
)
def test_an_implausible_request_id_is_replaced(header: bytes) -> None:
    made = request_id([(b"x-request-id", header)])
    assert GENERATED.fullmatch(made)
    assert request_id([]) != request_id([])


@pytest.mark.parametrize(
    "header", [b"f" * 128, b"5f2b-uuid-like-0001", b"Root=1-abc/def+x=@:_.", b"0"]
)
def test_a_plausible_request_id_is_kept(header: bytes) -> None:
    assert request_id([(b"accept", b"*/*"), (b"x-request-id", header)]) == header.decode()


@pytest.mark.parametrize(
    ("query", "logged"),
    [
        (b"page=2", "page=2"),
        (b"page=2&page_size=10&limit=5", "page=2&page_size=10&limit=5"),
        (b"token=s3cr3t&page=3", "token&page=3"),
        (b"code=abc&state=xyz", "code&state"),
        (b"search=my%20password&name=x", "search&name"),
        (b"page=2%27%20OR%201", "page"),
        (b"page=" + b"9" * 40, "page"),
        (b"&&flag&=orphan", "flag"),
    ],
)
def test_query_values_are_dropped_but_paging(query: bytes, logged: str) -> None:
    assert redact_query(query) == logged


async def test_an_access_line_has_every_field(pg: Env, json_lines: Lines) -> None:
    alice = await pg.account()
    query = {"page": "1", "search": "hunter2-search-value"}
    response = await pg.client.get(
        "/djinn/objects", params=query, headers={**alice.auth, "X-Request-ID": "list-7"}
    )
    assert response.status_code == 200
    (line,) = [ln for ln in json_lines() if ln["logger"] == "genie.access"]
    assert line["message"] == "GET /djinn/objects?page=1&search 200"
    assert line["request_id"] == "list-7"
    assert line["method"] == "GET"
    assert line["path"] == "/djinn/objects"
    assert line["query"] == "page=1&search"
    assert line["status"] == 200
    assert line["bytes"] == len(response.content)
    assert 0 < line["duration_ms"] < 60_000
    assert line["operation_id"] == "djinn.objects.index"
    assert line["client"] == "127.0.0.1"
    assert line["level"] == "INFO"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", line["time"])
    assert "hunter2" not in json.dumps(json_lines())


def _record(**extra: Any) -> logging.LogRecord:
    record = logging.LogRecord("genie.demo", logging.WARNING, __file__, 1, "a %s", ("b",), None)
    record.__dict__.update(extra)
    return record


def test_json_lines_hold_extras_and_tracebacks_on_one_line() -> None:
    try:
        raise ValueError("line one\nline two")
    except ValueError:
        record = _record(exc_info=True, path="/x", odd=object())
        record.exc_info = sys.exc_info()
    token = REQUEST_ID.set("rid-9")
    try:
        line = JsonFormatter().format(record)
    finally:
        REQUEST_ID.reset(token)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["message"] == "a b"
    assert (entry["level"], entry["logger"], entry["request_id"]) == (
        "WARNING",
        "genie.demo",
        "rid-9",
    )
    assert entry["path"] == "/x"
    assert entry["odd"].startswith("<object object")
    assert "ValueError: line one\nline two" in entry["exc"]
    assert list(entry)[:4] == ["time", "level", "logger", "message"]


def test_text_lines_keep_uvicorns_format_and_add_the_id() -> None:
    formatter = TextFormatter(fmt="%(levelprefix)s %(message)s", use_colors=False)
    assert formatter.format(_record()) == "WARNING:  a b"
    token = REQUEST_ID.set("rid-9")
    try:
        assert formatter.format(_record()) == "WARNING:  a b request_id=rid-9"
    finally:
        REQUEST_ID.reset(token)


@pytest.mark.parametrize("log_format", ["text", "json"])
def test_the_config_sends_uvicorn_and_genie_through_one_handler(log_format: str) -> None:
    config = logging_config(log_format, "warning")
    assert config["root"] == {"level": "WARNING", "handlers": ["stderr"]}
    assert config["loggers"]["uvicorn.error"]["propagate"] is True
    assert config["loggers"]["uvicorn.access"]["propagate"] is False
    formatter = config["formatters"]["genie"]["()"]
    assert formatter.endswith("JsonFormatter" if log_format == "json" else "TextFormatter")
