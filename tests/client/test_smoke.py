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
from djinn_client.api.namespaces import (  # noqa: E402
    namespaces_objects,
    namespaces_show,
    namespaces_store,
    namespaces_update,
)
from djinn_client.api.objects import (  # noqa: E402
    objects_destroy,
    objects_index,
    objects_show,
    objects_store,
)
from djinn_client.api.user import user_show  # noqa: E402
from djinn_client.models import (  # noqa: E402
    NamespaceCreate,
    NamespaceCreateVisibility,
    NamespaceDetail,
    NamespaceUpdate,
    NamespaceUpdateVisibility,
    Object,
    ValidationErrors,
)
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


def test_generated_client_namespaces(live_server: LiveServer) -> None:
    """Nested paths survive the client's quoting (``a%2Fb``) and the server's routing."""
    client = AuthenticatedClient(base_url=f"{live_server.url}/djinn", token=live_server.token)
    with client as c:
        me = user_show.sync(client=c)
        assert me is not None and me.username == "live"
        root = namespaces_store.sync(
            client=c,
            body=NamespaceCreate(name="client", visibility=NamespaceCreateVisibility.INTERNAL),
        )
        assert isinstance(root, NamespaceDetail), root
        child = namespaces_store.sync(
            client=c, body=NamespaceCreate(name="nested", parent="client")
        )
        assert isinstance(child, NamespaceDetail), child
        assert child.visibility.value == "internal"

        shown = namespaces_show.sync("live", "client/nested", client=c)
        assert isinstance(shown, NamespaceDetail), shown
        assert shown.id == child.id
        assert shown.parent is not None and shown.parent.path == "client"

        uploaded = objects_store.sync(
            client=c,
            body=File(payload=b"in a namespace", mime_type="text/plain"),
            name="namespaced.txt",
            namespace="client/nested",
        )
        assert isinstance(uploaded, Object), uploaded
        listed = namespaces_objects.sync("live", "client/nested", client=c)
        assert isinstance(listed, list)
        assert [o.name for o in listed] == ["namespaced.txt"]

        public = namespaces_update.sync(
            "live",
            "client",
            client=c,
            body=NamespaceUpdate(visibility=NamespaceUpdateVisibility.PUBLIC),
        )
        assert isinstance(public, NamespaceDetail), public
        again = namespaces_show.sync("live", "client/nested", client=c)
        assert isinstance(again, NamespaceDetail)
        assert again.visibility.value == "public"
