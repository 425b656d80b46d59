"""The DjaoDjin API on the embedded SQLite default: the same flows as on PostgreSQL."""

from __future__ import annotations

from genie import jobs
from tests.conftest import Env
from tests.handlers.djaodjin.conftest import API, DjaoDjin


async def test_containers_domains_and_deploys_on_sqlite(sqlite_env: Env) -> None:
    dj = DjaoDjin(sqlite_env)
    alice, bob = await dj.member(), await dj.member()
    org = await dj.organization(alice, contributor=bob)
    app = await dj.app(alice, org, slug="Site-One", location="nginx:1")
    taken = await dj.client.post(
        f"{API}/containers/{org}/apps/", json={"slug": "site-one"}, headers=alice.auth
    )
    assert taken.json()["slug"] == ["This slug is already taken."]  # whatever the case

    redeploy = await dj.client.post(
        f"{API}/containers/{org}/apps/site-one/", data={"version": "2"}, headers=alice.auth
    )
    assert redeploy.status_code == 201
    await jobs.run_due(dj.env.runtime)
    logs = await dj.client.get(f"{API}/containers/{org}/apps/{app['slug']}/logs/", headers=bob.auth)
    assert "failed: superseded by deploy" in logs.json()["content"]
    assert logs.json()["content"].rstrip().endswith("dataset testing")

    domain = await dj.client.post(
        f"{API}/domains/{org}/",
        json={"slug": "Site-One", "domain": "one.example.com", "email_port": 587},
        headers=alice.auth,
    )
    assert domain.status_code == 201, domain.text
    listed = await dj.client.get(f"{API}/domains/", headers=bob.auth)
    assert [d["domain"] for d in listed.json()["results"]] == ["one.example.com"]
    csr = await dj.client.post(f"{API}/domains/{org}/site-one/newcert/", headers=alice.auth)
    assert csr.status_code == 201
    denied = await dj.client.delete(f"{API}/containers/{org}/apps/Site-One/", headers=bob.auth)
    assert denied.status_code == 403
    gone = await dj.client.delete(f"{API}/containers/{org}/apps/Site-One/", headers=alice.auth)
    assert gone.status_code == 204
    empty = await dj.client.get(f"{API}/domains/{org}/", headers=alice.auth)
    assert empty.json() == {"count": 0, "next": None, "previous": None, "results": []}
