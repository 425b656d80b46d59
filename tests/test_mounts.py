"""Where each API is mounted: ``GENIE_DJINN_PREFIX`` and ``GENIE_DJAODJIN_PREFIX``.

The original Djinn API lives at its host's root (``https://api.djinn-ci.com``),
and its Go client follows every ``*_url`` by joining the URL's *path* onto its own
base URL. With Djinn at ``/djinn`` that asks for ``/djinn/djinn/...``; with
``GENIE_DJINN_PREFIX=/`` it works. The served spec, every ``*_url`` and ``Link``
follow the setting, in both layouts.
"""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from urllib.parse import urlsplit

import pytest

from genie.settings import Settings, SettingsError
from tests.conftest import Env, _make_env


@pytest.fixture(scope="module", params=[("", "/api"), ("/ci", "/hosting")], ids=["root", "custom"])
async def mounted(request: pytest.FixtureRequest, pg_env: Env) -> AsyncIterator[Env]:
    djinn, djaodjin = request.param
    settings = dataclasses.replace(
        pg_env.runtime.settings, djinn_prefix=djinn, djaodjin_prefix=djaodjin
    )
    async for env in _make_env(f"postgres-mounted{djinn or '-root'}", settings):
        yield env


def go_join(base: str, url: str) -> str:
    """What the original's Go client requests for a ``*_url``: its path on its base."""
    return base.rstrip("/") + urlsplit(url).path


async def test_the_spec_and_the_ui_follow_the_mount_point(mounted: Env) -> None:
    prefix = mounted.runtime.settings.djinn_prefix
    spec = await mounted.client.get(f"{prefix}/openapi.json")
    assert spec.status_code == 200
    assert spec.json()["info"]["title"] == "Djinn CI API"
    assert spec.json()["servers"] == [{"url": prefix or "/"}]
    assert (await mounted.client.get(f"{prefix}/ui/")).status_code == 200
    service = "/service/openapi.json" if prefix == "" else "/openapi.json"
    assert (await mounted.client.get(service)).json()["info"]["title"] == "genie service"
    assert (await mounted.client.get("/healthz")).status_code == 200


async def test_the_ui_pages_and_specs_are_still_served_past_the_fast_pass(mounted: Env) -> None:
    """genie.mounts sends a request straight past the Swagger UI middleware unless
    its path starts with one of the prefixes read off that middleware's routes:
    every page, spec and slash variant it serves must still reach it."""
    prefix = mounted.runtime.settings.djinn_prefix
    djaodjin = mounted.runtime.settings.djaodjin_prefix
    for base in (prefix, djaodjin):
        for path, status in (
            ("/openapi.json", 200),
            ("/openapi.yaml", 200),
            ("/ui/", 200),
            ("/ui/index.html", 200),
            ("/ui/swagger-ui.css", 200),
            ("/ui", 307),
        ):
            got = await mounted.client.get(f"{base}{path}", follow_redirects=False)
            assert got.status_code == status, (base, path, got.status_code)
        # The slash variant: Starlette's router redirects it to the spec.
        slashed = await mounted.client.get(f"{base}/openapi.json/", follow_redirects=False)
        assert slashed.status_code == 307, slashed.status_code
        assert slashed.headers["location"].endswith(f"{base}/openapi.json")


async def test_every_url_follows_the_mount_point(mounted: Env) -> None:
    prefix = mounted.runtime.settings.djinn_prefix
    alice = await mounted.account()
    root = (await mounted.client.get(f"{prefix}/")).json()
    assert root["objects_url"] == f"http://testserver{prefix}/objects"
    made = await mounted.client.post(
        f"{prefix}/namespaces", json={"name": "proj"}, headers=alice.auth
    )
    assert made.status_code == 201, made.text
    namespace = made.json()
    assert namespace["url"] == f"http://testserver{prefix}/n/{alice.user.username}/proj"
    for key in ("url", "objects_url", "namespaces_url", "collaborators_url", "webhooks_url"):
        # At the root, the Go client's way of following a URL works too.
        target = go_join("http://testserver", namespace[key]) if not prefix else namespace[key]
        followed = await mounted.client.get(target, headers=alice.auth)
        assert followed.status_code == 200, (key, followed.text)
    listed = await mounted.client.get(f"{prefix}/namespaces", headers=alice.auth)
    assert f"<http://testserver{prefix}/namespaces?page=1>" in listed.headers["link"]


async def test_errors_keep_each_apis_shape(mounted: Env) -> None:
    djinn, djaodjin = (
        mounted.runtime.settings.djinn_prefix,
        mounted.runtime.settings.djaodjin_prefix,
    )
    unknown = await mounted.client.get(f"{djinn}/no-such-thing")
    assert (unknown.status_code, unknown.json()) == (404, {"message": "Not Found"})
    unauthorized = await mounted.client.get(f"{djinn}/user")
    assert unauthorized.json() == {"message": "Unauthorized"}
    drf = await mounted.client.get(f"{djaodjin}/containers/x/apps/")
    assert drf.status_code == 401
    assert drf.json() == {"detail": "Authentication credentials were not provided."}
    slashless = await mounted.client.get(f"{djaodjin}/containers/x/apps?page=2")
    assert slashless.status_code == 308
    assert slashless.headers["location"] == f"{djaodjin}/containers/x/apps/?page=2"


def test_the_go_clients_join_needs_the_root() -> None:
    """Why the setting exists: at /djinn the join doubles the prefix."""
    assert go_join("http://h/djinn", "http://h/djinn/objects/1") == "http://h/djinn/djinn/objects/1"
    assert go_join("http://h", "http://h/objects/1") == "http://h/objects/1"


@pytest.mark.parametrize(
    ("djinn", "djaodjin", "expected"),
    [
        ("/", None, ("", "/api")),
        ("", None, ("", "/api")),
        ("/ci/", "/hosting", ("/ci", "/hosting")),
        (None, None, ("/djinn", "/api")),
    ],
)
def test_prefix_settings(
    djinn: str | None, djaodjin: str | None, expected: tuple[str, str]
) -> None:
    env = {"GENIE_DJINN_PREFIX": djinn, "GENIE_DJAODJIN_PREFIX": djaodjin}
    settings = Settings.from_env({k: v for k, v in env.items() if v is not None})
    assert (settings.djinn_prefix, settings.djaodjin_prefix) == expected


@pytest.mark.parametrize(
    "env",
    [
        {"GENIE_DJINN_PREFIX": "djinn"},
        {"GENIE_DJINN_PREFIX": "/a b"},
        {"GENIE_DJINN_PREFIX": "/api"},
        {"GENIE_DJAODJIN_PREFIX": "/"},
        {"GENIE_DJINN_PREFIX": "/healthz"},
    ],
)
def test_bad_prefixes_are_refused(env: dict[str, str]) -> None:
    with pytest.raises(SettingsError):
        Settings.from_env(env)
