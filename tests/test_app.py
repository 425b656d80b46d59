"""App-wide behaviour: routing errors, 500s, specs and UIs, health, validation shapes."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from genie.app import Api
from genie.settings import Settings
from tests.conftest import Env, app_client

FIXTURES = Path(__file__).parent / "fixtures"


async def test_api_root_links(pg: Env) -> None:
    response = await pg.client.get("/djinn/")
    assert response.status_code == 200
    body = response.json()
    assert body["objects_url"] == "http://testserver/djinn/objects"
    names = ("builds", "namespaces", "cron", "invites", "images", "objects", "variables", "keys")
    assert set(body) == {f"{n}_url" for n in names}


async def test_base_url_setting_makes_urls_absolute(pg_url: str, tmp_path: Path) -> None:
    settings = Settings(
        database_url=pg_url, data_dir=tmp_path, base_url="https://genie.example.com"
    )
    async with app_client(settings, base_url="http://internal") as (client, _):
        body = (await client.get("/djinn/")).json()
    assert body["objects_url"] == "https://genie.example.com/djinn/objects"


async def test_unknown_route_is_404_json(pg: Env) -> None:
    for path in ["/djinn/nope", "/nope", "/djinn/objects/1/nope"]:
        response = await pg.client.get(path)
        assert response.status_code == 404
        assert response.json() == {"message": "Not Found"}
    response = await pg.client.get("/api/nope/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("PUT", "/djinn/objects", "GET, POST, HEAD"),
        ("OPTIONS", "/djinn/objects", "GET, POST, HEAD"),
        ("PATCH", "/djinn/objects/3", "GET, DELETE, HEAD"),
        ("POST", "/djinn/objects/3/builds", "GET, HEAD"),
        ("DELETE", "/djinn/", "GET, HEAD"),
    ],
)
async def test_wrong_method_is_405_with_full_allow(
    pg: Env, method: str, path: str, allow: str
) -> None:
    response = await pg.client.request(method, path)
    assert response.status_code == 405
    assert response.json() == {"message": "Method Not Allowed"}
    assert response.headers["allow"] == allow


async def test_specs_and_swagger_ui_are_served(pg: Env) -> None:
    for base, title in [("/djinn", "Djinn CI API"), ("/api", "DjaoDjin hosting API")]:
        spec = await pg.client.get(f"{base}/openapi.json")
        assert spec.status_code == 200
        assert spec.json()["info"]["title"] == title
        ui = await pg.client.get(f"{base}/ui/")
        assert ui.status_code == 200
        assert "swagger" in ui.text.lower()


async def test_healthz(pg: Env) -> None:
    response = await pg.client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


async def test_healthz_reports_unreachable_database(tmp_path: Path) -> None:
    settings = Settings(database_url="postgresql://postgres@127.0.0.1:1/nowhere", data_dir=tmp_path)
    async with app_client(settings) as (client, _):
        response = await client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "unreachable"}


async def fixture_client(
    tmp_path: Path, pg_url: str, *, debug: bool
) -> AsyncIterator[httpx.AsyncClient]:
    """The validation fixture spec, mounted through the real app factory."""
    settings = Settings(database_url=pg_url, data_dir=tmp_path, debug=debug)
    apis = (Api("validation.yaml", "/t", "tests.fixtures", swagger_ui=False),)
    async with app_client(settings, "http://t", apis=apis, spec_dir=FIXTURES) as (client, _):
        yield client


@pytest.fixture
async def fixture_app(tmp_path: Path, pg_url: str) -> AsyncIterator[httpx.AsyncClient]:
    async for client in fixture_client(tmp_path, pg_url, debug=False):
        yield client


async def test_500_has_no_stack_and_logs_it(
    fixture_app: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="genie.errors"):
        response = await fixture_app.get("/t/boom")
    assert response.status_code == 500
    assert response.json() == {"message": "Something went wrong"}
    assert "hunter2" not in response.text
    assert any(r.exc_info for r in caplog.records)


async def test_500_in_debug_mode_carries_stack(tmp_path: Path, pg_url: str) -> None:
    async for client in fixture_client(tmp_path, pg_url, debug=True):
        response = await client.get("/t/boom")
    assert response.status_code == 500
    body = response.json()
    assert body["message"] == "Something went wrong"
    assert "RuntimeError" in body["stack"]
    assert "Traceback" in body["stack"]


async def test_valid_json_body_reaches_handler(fixture_app: httpx.AsyncClient) -> None:
    response = await fixture_app.post(
        "/t/things?limit=3&mode=fast", json={"name": "abc", "payload_url": "http://x"}
    )
    assert response.status_code == 200
    assert response.json() == {
        "body": {"name": "abc", "payload_url": "http://x"},
        "limit": 3,
        "mode": "fast",
    }


async def test_every_body_and_parameter_error_at_once(fixture_app: httpx.AsyncClient) -> None:
    response = await fixture_app.post(
        "/t/things?limit=0&mode=medium",
        json={"name": "a!", "count": "three", "active": 1, "tags": "x", "payload_url": 5},
    )
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {
        "limit": ["Limit must be at least 1"],
        "mode": ["Mode must be one of fast, slow"],
        "active": ["cannot unmarshal number to boolean"],
        "count": ["cannot unmarshal string to integer"],
        "name": [
            "Name must be between 3 and 32 characters in length",
            "Name does not match ^[a-zA-Z0-9]+$",
        ],
        "payload_url": ["cannot unmarshal number to string"],
        "tags": ["cannot unmarshal string to array"],
    }


async def test_missing_fields_use_labels(fixture_app: httpx.AsyncClient) -> None:
    response = await fixture_app.post("/t/things", json={})
    assert response.json() == {
        "name": ["Name field required"],
        "payload_url": ["Payload URL field required"],
    }
    response = await fixture_app.post("/t/things", json={"name": "abc", "payload_url": "x" * 21})
    assert response.json() == {
        "payload_url": ["Payload URL cannot be longer than 20 characters in length"]
    }


async def test_empty_body_means_no_fields(fixture_app: httpx.AsyncClient) -> None:
    response = await fixture_app.post(
        "/t/things?limit=x", content=b"", headers={"Content-Type": "application/json"}
    )
    assert response.json() == {
        "limit": ["Limit must be an integer"],
        "name": ["Name field required"],
        "payload_url": ["Payload URL field required"],
    }


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{not json", "Body is not valid JSON"),
        (b'{"name": "\xff\xfe"}', "Body is not valid UTF-8"),
    ],
)
async def test_unparsable_body_is_400(
    fixture_app: httpx.AsyncClient, content: bytes, message: str
) -> None:
    response = await fixture_app.post(
        "/t/things?limit=99", content=content, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    body = response.json()
    assert body["limit"] == ["Limit must be at most 10"]
    assert body["body"][0].startswith(message)


async def test_body_of_wrong_json_type(fixture_app: httpx.AsyncClient) -> None:
    response = await fixture_app.post("/t/things", json=[1, 2])
    assert response.json() == {"body": ["Body must be a JSON object"]}


async def test_undeclared_content_type_is_415(fixture_app: httpx.AsyncClient) -> None:
    response = await fixture_app.post(
        "/t/things", content=b'{"name": "abc"}', headers={"Content-Type": "text/plain"}
    )
    assert response.status_code == 415
    assert "text/plain" in response.json()["message"]


async def test_missing_content_type_is_read_as_the_declared_one(
    fixture_app: httpx.AsyncClient,
) -> None:
    response = await fixture_app.post("/t/things", content=b'{"name": "abc", "payload_url": "x"}')
    assert response.status_code == 200
    assert response.json()["body"] == {"name": "abc", "payload_url": "x"}


def test_the_server_starts_without_connexions_testclient_warning() -> None:
    """``genie serve`` imports the app; Starlette's httpx deprecation warning, raised
    by Connexion's import of its test client, is silenced there, and only that one."""
    import subprocess
    import sys

    shown = subprocess.run(
        [sys.executable, "-W", "always", "-c", "import genie.app"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "starlette.testclient" not in shown.stderr
    other = subprocess.run(
        [
            sys.executable,
            "-W",
            "always",
            "-c",
            "import genie.app, warnings; warnings.warn('still shown', UserWarning)",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "still shown" in other.stderr
