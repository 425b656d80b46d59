"""JSON log lines from a real server's stderr (the session's live server runs
with ``GENIE_LOG_FORMAT=json`` and ``--log-level info``)."""

from __future__ import annotations

import json
import secrets
import time
from typing import Any

import httpx

from tests.conftest import LiveServer
from tests.leaks import SecretWatch


def _log(server: LiveServer) -> str:
    return (server.data_dir.parent / "live-server.log").read_text(errors="replace")


def _lines_of(server: LiveServer, request_id: str) -> list[dict[str, Any]]:
    """The log lines of one request, waiting a little for them to be written."""
    deadline = time.monotonic() + 10
    while True:
        found = [
            json.loads(line) for line in _log(server).splitlines() if f'"{request_id}"' in line
        ]
        if found or time.monotonic() > deadline:
            return found
        time.sleep(0.05)


def test_every_line_is_one_json_object_uvicorns_too(live_server: LiveServer) -> None:
    assert httpx.get(f"{live_server.url}/healthz").status_code == 200
    lines = _log(live_server).splitlines()
    entries = [json.loads(line) for line in lines]
    for entry in entries:
        assert {"time", "level", "logger", "message"} <= set(entry), entry
    messages = {(e["logger"], e["message"]) for e in entries}
    assert ("uvicorn.error", "Application startup complete.") in messages
    assert any(e["logger"] == "genie.access" for e in entries)


def test_access_lines_of_a_real_server(live_server: LiveServer) -> None:
    secret = "tok-" + secrets.token_hex(12)
    rid = "live-" + secrets.token_hex(6)
    headers = {**live_server.auth, "X-Request-ID": rid}
    listed = httpx.get(
        f"{live_server.url}/djinn/objects",
        params={"page": "1", "token": secret, "search": secret},
        headers=headers,
    )
    assert listed.status_code == 200
    assert listed.headers["x-request-id"] == rid
    name = f"logged-{secrets.token_hex(4)}"
    stored = httpx.post(
        f"{live_server.url}/djinn/objects",
        params={"name": name},
        content=b"payload",
        headers={**live_server.auth, "X-Request-ID": rid + "-up"},
    )
    assert stored.status_code == 201

    (access,) = _lines_of(live_server, rid)
    assert access["logger"] == "genie.access"
    assert access["method"] == "GET"
    assert access["path"] == "/djinn/objects"
    assert access["query"] == "page=1&token&search"
    assert access["status"] == 200
    assert access["bytes"] == len(listed.content)
    assert access["duration_ms"] > 0
    assert access["operation_id"] == "djinn.objects.index"
    assert access["client"] == "127.0.0.1"
    (upload,) = _lines_of(live_server, rid + "-up")
    assert (upload["method"], upload["status"], upload["query"]) == ("POST", 201, "name")
    assert upload["operation_id"] == "djinn.objects.store"

    watch = SecretWatch()
    watch.register(secret)
    watch.scan_log("the live server's log", _log(live_server))


def test_a_made_request_id_is_logged_as_sent(live_server: LiveServer) -> None:
    response = httpx.get(f"{live_server.url}/djinn/nowhere", headers={"X-Request-ID": "no pe"})
    assert response.status_code == 404
    made = response.headers["x-request-id"]
    assert made != "no pe"
    (line,) = _lines_of(live_server, made)
    assert (line["path"], line["status"]) == ("/djinn/nowhere", 404)
    assert "operation_id" not in line
