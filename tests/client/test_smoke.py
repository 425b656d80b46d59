"""The generated Djinn client against a live uvicorn server."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519

from tests.conftest import LiveServer, _live_server

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "generated_client" / "djinn-client"))

djinn_client = pytest.importorskip("djinn_client")

from djinn_client import AuthenticatedClient  # noqa: E402
from djinn_client.api.builds import (  # noqa: E402
    build_items_job,
    build_items_jobs,
    builds_show,
    builds_store,
)
from djinn_client.api.cron import cron_builds, cron_destroy, cron_store, cron_update  # noqa: E402
from djinn_client.api.images import images_destroy, images_show, images_store  # noqa: E402
from djinn_client.api.keys import (  # noqa: E402
    keys_destroy,
    keys_index,
    keys_show,
    keys_store,
    keys_update,
)
from djinn_client.api.namespaces import (  # noqa: E402
    namespaces_keys,
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
from djinn_client.api.variables import (  # noqa: E402
    variables_destroy,
    variables_index,
    variables_show,
    variables_store,
)
from djinn_client.models import (  # noqa: E402
    Build,
    BuildCreate,
    BuildJob,
    BuildStatus,
    Cron,
    CronCreate,
    CronSchedule,
    CronUpdate,
    Image,
    ImageCreate,
    Key,
    KeyCreate,
    KeyUpdate,
    NamespaceCreate,
    NamespaceCreateVisibility,
    NamespaceDetail,
    NamespaceUpdate,
    NamespaceUpdateVisibility,
    Object,
    ValidationErrors,
    Variable,
    VariableCreate,
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


def test_generated_client_images_and_cron(live_server: LiveServer) -> None:
    """Both image modes (a raw body, a JSON download) and a cron job's life."""
    client = AuthenticatedClient(base_url=f"{live_server.url}/djinn", token=live_server.token)
    with client as c:
        disk = b"QFI\xfb" + bytes(508)
        uploaded = images_store.sync(
            client=c, body=File(payload=disk, mime_type="application/x-qemu-disk"), name="client"
        )
        assert isinstance(uploaded, Image), uploaded
        assert uploaded.download is None
        raw = c.get_httpx_client().get(
            f"/images/{uploaded.id}", headers={"Accept": "application/x-qemu-disk"}
        )
        assert raw.content == disk
        refused = images_store.sync(
            client=c, body=File(payload=b"not a disk", mime_type="text/plain"), name="junk"
        )
        assert isinstance(refused, ValidationErrors)
        assert refused.additional_properties == {"file": ["File not a valid QCOW2 file format"]}

        queued = images_store.sync(
            client=c,
            body=ImageCreate(
                name="fetched", download_url="https://user:pw@images.invalid/disk.qcow2"
            ),
        )
        assert isinstance(queued, Image), queued
        assert queued.download is not None
        assert queued.download.source == "https://user:xxxxx@images.invalid/disk.qcow2"
        assert queued.download.finished_at is None
        shown = images_show.sync(queued.id, client=c)
        assert isinstance(shown, Image) and shown.name == "fetched"
        for image in (uploaded, queued):
            assert images_destroy.sync_detailed(image.id, client=c).status_code == 204

        manifest = "driver:\n  type: os\nstages: [test]\njobs:\n- stage: test\n  commands: [true]\n"
        cron = cron_store.sync(
            client=c,
            body=CronCreate(name="client cron", manifest=manifest, schedule=CronSchedule.WEEKLY),
        )
        assert isinstance(cron, Cron), cron
        assert cron.next_run.weekday() == 0
        monthly = cron_update.sync(
            cron.id, client=c, body=CronUpdate(schedule=CronSchedule.MONTHLY)
        )
        assert isinstance(monthly, Cron), monthly
        assert monthly.next_run.day == 1
        assert monthly.name == "client cron"
        assert cron_builds.sync(cron.id, client=c) == []
        assert cron_destroy.sync_detailed(cron.id, client=c).status_code == 204


def test_generated_client_variables_and_keys(live_server: LiveServer) -> None:
    client = AuthenticatedClient(base_url=f"{live_server.url}/djinn", token=live_server.token)
    with client as c:
        variable = variables_store.sync(
            client=c,
            body=VariableCreate(key="CLIENT_SECRET", value="from the client", mask=True),
        )
        assert isinstance(variable, Variable), variable
        assert variable.value == "xxxxxx" and variable.masked
        shown = variables_show.sync(variable.id, client=c)
        assert isinstance(shown, Variable) and shown.key == "CLIENT_SECRET"
        listed = variables_index.sync(client=c, search="client_secret")
        assert isinstance(listed, list) and [v.id for v in listed] == [variable.id]
        short = variables_store.sync(
            client=c, body=VariableCreate(key="SHORT", value="abc", mask=True)
        )
        assert isinstance(short, ValidationErrors)
        assert short.additional_properties == {
            "value": ["Value cannot be shorter than 6 characters in length"]
        }
        assert variables_destroy.sync_detailed(variable.id, client=c).status_code == 204

        private_key = (
            ed25519.Ed25519PrivateKey.generate()
            .private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.OpenSSH,
                serialization.NoEncryption(),
            )
            .decode()
        )
        key = keys_store.sync(
            client=c,
            body=KeyCreate(name="client key", key=private_key, namespace="clientkeys/deploy"),
        )
        assert isinstance(key, Key), key
        assert key.name == "client_key" and key.type_ == "ssh-ed25519"
        assert key.fingerprint.startswith("SHA256:")
        changed = keys_update.sync(key.id, client=c, body=KeyUpdate(config="Host example.com"))
        assert isinstance(changed, Key) and changed.config == "Host example.com"
        assert isinstance(keys_show.sync(key.id, client=c), Key)
        in_namespace = namespaces_keys.sync("live", "clientkeys/deploy", client=c)
        assert isinstance(in_namespace, list) and [k.id for k in in_namespace] == [key.id]
        everything = keys_index.sync_detailed(client=c)
        assert private_key.splitlines()[2].encode() not in everything.content
        assert keys_destroy.sync_detailed(key.id, client=c).status_code == 204


BUILD = """\
driver:
  type: os
stages: [test]
jobs:
- stage: test
  commands:
  - 'echo "from the generated client: $((6 * 7))"'
"""


@pytest.fixture(scope="module")
def build_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A ``genie serve`` that runs builds itself: the os driver on, its job worker on."""
    extra = {"GENIE_DRIVERS": "os", "GENIE_JOBS_WORKER": "1"}
    with _live_server(tmp_path_factory, "client_builds", extra) as server:
        yield server


def test_generated_client_submits_a_build_that_passes(build_server: LiveServer) -> None:
    client = AuthenticatedClient(base_url=f"{build_server.url}/djinn", token=build_server.token)
    with client as c:
        submitted = builds_store.sync(client=c, body=BuildCreate(manifest=BUILD, tags=["client"]))
        assert isinstance(submitted, Build), submitted
        assert submitted.tags == ["client"] and submitted.user is not None
        username, number = submitted.user.username, submitted.number
        deadline = time.monotonic() + 60
        while True:
            shown = builds_show.sync(username, number, client=c)
            assert isinstance(shown, Build), shown
            if shown.status not in (BuildStatus.QUEUED, BuildStatus.RUNNING):
                break
            assert time.monotonic() < deadline, f"still {shown.status} after 60 s"
            time.sleep(0.1)
        assert shown.status == BuildStatus.PASSED, shown.output
        assert shown.started_at is not None and shown.finished_at is not None
        jobs = build_items_jobs.sync(username, number, client=c)
        assert isinstance(jobs, list)
        assert [(j.name, j.status) for j in jobs] == [
            ("create-driver", "passed"),
            ("test.1", "passed"),
        ]
        job = build_items_job.sync(username, number, "test.1", client=c)
        assert isinstance(job, BuildJob) and job.output is not None
        assert "from the generated client: 42" in job.output
