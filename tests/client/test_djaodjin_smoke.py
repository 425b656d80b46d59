"""The generated DjaoDjin client against a live uvicorn server, in all three body
encodings, with HTTP Basic auth (the API key as the username)."""

from __future__ import annotations

import json
import secrets
import sys
import time
from pathlib import Path

import pytest
from cryptography import x509

from tests.conftest import LiveServer

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "generated_client" / "djaodjin-client"))

djaodjin_client = pytest.importorskip("djaodjin_client")

from djaodjin_client import Client  # noqa: E402
from djaodjin_client.api.containers import (  # noqa: E402
    containers_destroy,
    containers_index,
    containers_logs,
    containers_redeploy,
    containers_show,
    containers_store,
    containers_update,
)
from djaodjin_client.api.domains import (  # noqa: E402
    certificates_newcert,
    domains_show,
    domains_store,
    domains_update,
)
from djaodjin_client.models import (  # noqa: E402
    Container,
    ContainerCreate,
    ContainerPage,
    ContainerUpdateForm,
    ContainerUpdateMultipart,
    Csr,
    Detail,
    Domain,
    DomainCreate,
    DomainUpdateMultipart,
    Logs,
    NewCert,
    NewCertKeyType,
    ValidationError,
    Variable,
)


def test_generated_client_drives_containers_and_domains(live_server: LiveServer) -> None:
    client = Client(
        base_url=f"{live_server.url}/api", httpx_args={"auth": (live_server.api_key, "")}
    )
    org, app = "cowork", f"client-{secrets.token_hex(4)}"
    with client as c:
        created = containers_store.sync(
            org,
            client=c,
            body=ContainerCreate(
                slug=app, location="nginx:1.27", env=[Variable(name="DEBUG", value="0")]
            ),
        )
        assert isinstance(created, Container), created
        assert (created.slug, created.dataset.value) == (app, "testing")

        form = containers_update.sync(
            org,
            app,
            client=c,
            body=ContainerUpdateForm(env=json.dumps([{"name": "A", "value": "1"}]), version="v2"),
        )
        assert isinstance(form, Container), form
        assert [(v.name, v.value) for v in form.env] == [("A", "1")]
        assert form.version == "v2" and form.location == "nginx:1.27"

        redeployed = containers_redeploy.sync(
            org,
            app,
            client=c,
            body=ContainerUpdateMultipart(
                location="nginx:1.28",
                env=[Variable(name="A", value="1"), Variable(name="B", value="2")],
            ),
        )
        assert isinstance(redeployed, Container), redeployed
        assert redeployed.location == "nginx:1.28" and len(redeployed.env) == 2

        # A `genie worker` process runs the deploys: the log shows them through.
        content = ""
        with live_server.worker("deploy.run"):
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline and "running: nginx:1.28" not in content:
                logs = containers_logs.sync(org, app, client=c)
                assert isinstance(logs, Logs), logs
                content = logs.content
                time.sleep(0.2)
        assert "queued (redeploy): nginx:1.28" in content
        assert "running: nginx:1.28" in content

        page = containers_index.sync(org, client=c, page_size="1")
        assert isinstance(page, ContainerPage)
        assert page.count >= 1 and len(page.results) == 1

        invalid = containers_store.sync(org, client=c, body=ContainerCreate(slug="no spaces"))
        assert isinstance(invalid, ValidationError)
        assert invalid.detail.startswith("slug: Enter a valid")
        assert list(invalid.additional_properties) == ["slug"]

        domain = domains_store.sync(
            org, client=c, body=DomainCreate(slug=app, domain=f"{app}.example.com")
        )
        assert isinstance(domain, Domain), domain
        assert (domain.billing, domain.state.value) == (org, "pending")
        csr = certificates_newcert.sync(
            org, app, client=c, body=NewCert(key_type=NewCertKeyType.EC_P256)
        )
        assert isinstance(csr, Csr), csr
        request = x509.load_pem_x509_csr(csr.csr.encode())
        assert request.subject.rfc4514_string() == f"CN={app}.example.com"
        updated = domains_update.sync(
            org,
            app,
            client=c,
            body=DomainUpdateMultipart(email_port=587, from_email="ops@example.com"),
        )
        assert isinstance(updated, Domain), updated
        assert (updated.email_port, updated.from_email) == (587, "ops@example.com")

        gone = containers_destroy.sync_detailed(org, app, client=c)
        assert gone.status_code == 204
        missing = containers_show.sync(org, app, client=c)
        assert isinstance(missing, Detail) and missing.detail == "Not found."
        assert domains_show.sync_detailed(org, app, client=c).status_code == 404

    anonymous = Client(base_url=f"{live_server.url}/api")
    with anonymous as c:
        response = containers_index.sync_detailed(org, client=c)
        assert response.status_code == 401
        assert response.headers["www-authenticate"] == 'Basic realm="api"'
        assert isinstance(response.parsed, Detail)
