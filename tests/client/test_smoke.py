"""The generated Djinn client against a live uvicorn server."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.conftest import LiveServer

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "generated_client" / "djinn-client"))

djinn_client = pytest.importorskip("djinn_client")

from djinn_client import AuthenticatedClient  # noqa: E402
from djinn_client.api.objects import (  # noqa: E402
    objects_destroy,
    objects_index,
    objects_show,
    objects_store,
)
from djinn_client.models import Object, ValidationErrors  # noqa: E402
from djinn_client.types import File  # noqa: E402


def test_generated_client_upload_get_list_delete(live_server: LiveServer) -> None:
    client = AuthenticatedClient(base_url=f"{live_server.url}/djinn", token=live_server.token)
    with client as c:
        payload = b"generated client payload\n"
        created = objects_store.sync(
            client=c,
            body=File(payload=payload, mime_type="text/plain"),
            name="from-client.txt",
        )
        assert isinstance(created, Object), created
        assert created.size == len(payload)
        assert created.type_ == "text/plain"

        fetched = objects_show.sync(created.id, client=c)
        assert isinstance(fetched, Object)
        assert fetched.sha256 == created.sha256

        listed = objects_index.sync_detailed(client=c, search="from-client")
        assert listed.status_code == 200
        assert [o.name for o in listed.parsed] == ["from-client.txt"]
        assert 'rel="next"' in listed.headers["link"]

        invalid = objects_store.sync(
            client=c, body=File(payload=b"", mime_type="text/plain"), name="bad name"
        )
        assert isinstance(invalid, ValidationErrors)
        assert invalid.additional_properties == {
            "name": ["Name does not match ^[a-zA-Z0-9._-]+$"],
            "file": ["File field required"],
        }

        deleted = objects_destroy.sync_detailed(created.id, client=c)
        assert deleted.status_code == 204
        gone = objects_show.sync_detailed(created.id, client=c)
        assert gone.status_code == 404
