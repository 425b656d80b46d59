"""genie.pipeline: each operation's layers are linked directly, in Connexion's order."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from connexion.middleware.security import SecurityMiddleware

from genie import migrate
from genie.app import DecoratedOnceOperation, create_app
from genie.pipeline import link_operations
from genie.settings import Settings
from tests.conftest import Env, app_client


def _settings(tmp_path: Path, *, validate_responses: bool) -> Settings:
    url = f"sqlite:///{tmp_path / 'genie.db'}"
    migrate.upgrade(url)
    return Settings(
        database_url=url, data_dir=tmp_path / "data", validate_responses=validate_responses
    )


def _chain(settings: Settings, base_path: str, operation_id: str) -> list[str]:
    app: Any = create_app(settings)
    app._index_routers()
    stack = app.middleware.middleware_stack
    assert link_operations(stack) == 0  # linked once, when the stack was built
    security = next(layer for layer in stack if isinstance(layer, SecurityMiddleware))
    (operation,) = [
        api.operations[operation_id]
        for api in security.apis[base_path]
        if operation_id in api.operations
    ]
    names = []
    while operation is not None:
        names.append(type(operation).__name__)
        if isinstance(operation, DecoratedOnceOperation):
            break
        operation = getattr(operation, "next_app", None)
    return names


@pytest.mark.parametrize("validate_responses", [False, True])
def test_an_operation_runs_every_layer_of_its_own(tmp_path: Path, validate_responses: bool) -> None:
    chain = _chain(
        _settings(tmp_path, validate_responses=validate_responses),
        "/djinn",
        "handlers.djinn.objects.index",
    )
    middle = ["ResponseValidationOperation"] if validate_responses else []
    assert chain == [
        "SecurityOperation",
        "FieldRequestValidationOperation",
        *middle,
        "ContextOperation",
        "DecoratedOnceOperation",
    ]


def test_apis_sharing_a_mount_point_each_reach_their_own_handler(tmp_path: Path) -> None:
    settings = _settings(tmp_path, validate_responses=False)
    for operation_id in ("handlers.service.health.show", "handlers.oauth.signin.show"):
        assert _chain(settings, "", operation_id)[-1] == "DecoratedOnceOperation"


@pytest.mark.parametrize("validate_responses", [False, True])
async def test_the_linked_layers_answer_as_before(tmp_path: Path, validate_responses: bool) -> None:
    """Security before validation, validation before the handler, either way."""
    settings = _settings(tmp_path, validate_responses=validate_responses)
    async with app_client(settings) as (client, runtime):
        alice = await Env("sqlite", runtime, client, tmp_path).account()
        anonymous = await client.get("/djinn/objects?page=x")
        assert anonymous.status_code == 401
        assert anonymous.headers["www-authenticate"].startswith("Bearer")
        bad_page = await client.get("/djinn/objects?page=x", headers=alice.auth)
        assert bad_page.status_code == 400
        assert list(bad_page.json()) == ["page"]
        listed = await client.get("/djinn/objects", headers=alice.auth)
        assert (listed.status_code, listed.json()) == (200, [])
        assert (await client.get("/healthz")).status_code == 200
