"""Schemathesis fuzzes every operation of both specs against a live server.

``--checks all`` with 100 examples per operation (``schemathesis.toml``), every
phase (examples, coverage, fuzzing, and the stateful phase that follows the specs'
OpenAPI ``links`` from each create to what it made); the run's own verdict (its
exit code) decides.
The seed is drawn at random and printed; ``GENIE_SCHEMATHESIS_SEED=<seed>``
replays a run. ``schemathesis.toml`` holds the few settings, among them the rows
:func:`seed_djinn` makes for generated requests to reach.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519

from tests.conftest import LiveServer, free_port
from tests.handlers.djaodjin.smtp import SmtpSink
from tests.handlers.djaodjin.smtp import start as start_smtp
from tests.leaks import WATCH

HTTP_METHODS = frozenset({"get", "put", "post", "delete", "options", "head", "patch", "trace"})
#: One seed for the session's runs: drawn at random unless given, always printed.
SEED = int(os.environ.get("GENIE_SCHEMATHESIS_SEED") or secrets.randbelow(2**31))
#: As many webhooks, invites and doomed namespaces as ``schemathesis.toml`` names.
SEEDED = 25
FRIENDS = 10


def _check(response: httpx.Response, status: int = 201) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    return body


def seed_djinn(server: LiveServer) -> None:
    """The rows ``schemathesis.toml``'s dictionaries name; their ids are checked."""
    djinn = f"{server.url}/djinn"
    with httpx.Client(base_url=djinn, headers=server.auth, timeout=30) as live:
        _check(live.post("/namespaces", json={"name": "djinn"}))
        _check(live.post("/namespaces", json={"name": "cicd", "parent": "djinn"}))
        for i in range(SEEDED):
            _check(live.post("/namespaces", json={"name": f"gone{i}"}))
            hook = _check(
                live.post(
                    "/n/live/djinn/-/webhooks", json={"payload_url": f"http://127.0.0.1:9/{i}"}
                )
            )
            assert hook["id"] == i + 1, "the webhooks must be the database's first"
        scope = "namespace:read,write invite:read,write"
        for i in range(FRIENDS):
            server.genie("users", "create", f"friend{i}", "--email", f"friend{i}@example.com")
            token = server.genie("tokens", "create", f"friend{i}", "--scopes", scope)
            friend = {"Authorization": f"Bearer {token}"}
            if i == 0:
                for n in range(SEEDED):
                    with httpx.Client(base_url=djinn, headers=friend) as own:
                        _check(own.post("/namespaces", json={"name": f"share{n}"}))
                        sent = _check(
                            own.post(f"/n/friend0/share{n}/-/invites", json={"handle": "live"})
                        )
                    assert sent["id"] == n + 1, "the invites must be the database's first"
            sent = _check(live.post("/n/live/djinn/-/invites", json={"handle": f"friend{i}"}))
            _check(httpx.patch(f"{djinn}/invites/{sent['id']}", headers=friend), 200)
    for i in range(SEEDED):
        server.genie("users", "create", f"guest{i}", "--email", f"guest{i}@example.com")
    seed_variables_and_keys(server)
    seed_images_and_cron(server)
    seed_build(server)


CRON_MANIFEST = "driver:\n  type: os\nstages: [test]\njobs:\n- stage: test\n  commands: [true]\n"


def seed_images_and_cron(server: LiveServer) -> None:
    """Images 1-25 and cron jobs 1-25 of ``live``, every other one in ``djinn``."""
    with httpx.Client(base_url=f"{server.url}/djinn", headers=server.auth, timeout=30) as live:
        for i in range(SEEDED):
            where = {"namespace": "djinn"} if i % 2 else {}
            image = _check(
                live.post(
                    "/images",
                    params={"name": f"image{i}", **where},
                    content=b"QFI\xfb" + bytes(60),
                    headers={"Content-Type": "application/x-qemu-disk"},
                )
            )
            assert image["id"] == i + 1, "the images must be the database's first"
            manifest = ("namespace: djinn\n" if i % 2 else "") + CRON_MANIFEST
            cron = _check(live.post("/cron", json={"name": f"cron{i}", "manifest": manifest}))
            assert cron["id"] == i + 1, "the cron jobs must be the database's first"


#: Build 1 of ``live``: a job ``make`` that leaves the artifacts
#: ``report.txt`` and ``run.log``, tagged ``BUILD_TAGS`` (``schemathesis.toml``'s
#: dictionaries name them all).
BUILD_MANIFEST = """\
driver:
  type: os
stages: [test]
jobs:
- name: make
  stage: test
  commands:
  - echo contract > report.txt
  - mkdir logs && echo ran > logs/run.log
  artifacts:
  - report.txt
  - logs/run.log => run.log
"""
BUILD_TAGS = ["release/v1", "nightly", "rc", "green", "seeded"]


def seed_build(server: LiveServer) -> None:
    """Build 1 of ``live``, run to ``passed`` by a real worker for the run only (the
    live server runs none), so that its job, artifact and tag reads have data."""
    with httpx.Client(base_url=f"{server.url}/djinn", headers=server.auth, timeout=30) as live:
        build = _check(live.post("/builds", json={"manifest": BUILD_MANIFEST, "tags": BUILD_TAGS}))
        assert build["number"] == 1, "the build must be live's first"
        deadline = time.monotonic() + 120
        with server.worker("build"):
            while (status := _check(live.get("/b/live/1"), 200)["status"]) in STILL:
                assert time.monotonic() < deadline, "the seeded build did not end"
                time.sleep(0.1)
        assert status == "passed", live.get("/b/live/1/jobs/make").text
        names = {a["name"] for a in _check(live.get("/b/live/1/artifacts"), 200)}
        assert names == {"report.txt", "run.log"}, names


STILL = ("queued", "running")


def seed_variables_and_keys(server: LiveServer) -> None:
    """Variables and SSH keys 1-25, half of them in ``djinn``, every other variable masked."""
    with httpx.Client(base_url=f"{server.url}/djinn", headers=server.auth, timeout=30) as live:
        for i in range(SEEDED):
            namespace = "djinn" if i % 2 else ""
            body = {"key": f"VAR{i}", "value": f"value-{i}", "mask": bool(i % 2)}
            variable = _check(live.post("/variables", json={**body, "namespace": namespace}))
            assert variable["id"] == i + 1, "the variables must be the database's first"
            private_key = new_private_key()
            key = _check(
                live.post(
                    "/keys", json={"name": f"id_{i}", "key": private_key, "namespace": namespace}
                )
            )
            assert key["id"] == i + 1, "the keys must be the database's first"


def new_private_key() -> str:
    key = ed25519.Ed25519PrivateKey.generate()
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.OpenSSH,
        serialization.NoEncryption(),
    ).decode()


def key_dictionary(config: Path, into: Path) -> Path:
    """``config`` plus, for this run only, a fresh SSH private key that generated
    ``keys.store`` bodies use half of the time (no key is kept in the repository)."""
    namespace = '"body.namespace" = { dictionary = "namespaces", probability = 0.5 }'
    key = '"body.key" = { dictionary = "private-keys", probability = 0.5 }'
    extra = [
        "",
        "[dictionaries.private-keys]",
        f"values = [{json.dumps(new_private_key())}]",  # a JSON string is a TOML string
        "",
        "[[operations]]",
        'include-operation-id = "keys.store"',
        f"parameters = {{ {namespace}, {key} }}",
        "",
    ]
    into.write_text(config.read_text() + "\n".join(extra))
    return into


def _auth(live_server: LiveServer, base: str) -> list[str]:
    if base == "/api":
        # DjaoDjin: the API key as the Basic username, the password empty.
        return ["--auth", f"{live_server.api_key}:"]
    if base == "/oauth":
        # The token endpoint and RFC 7009 revocation authenticate an app (Basic).
        made = live_server.genie(
            "apps", "create", "contract", "--redirect-uri", "https://app.example.com/cb"
        )
        fields = dict(line.split(": ", 1) for line in made.splitlines())
        WATCH.register(fields["client_secret"])
        return ["--auth", f"{fields['client_id']}:{fields['client_secret']}"]
    return ["--header", f"Authorization: Bearer {live_server.token}"]


def _djaodjin_data(live_server: LiveServer, smtp_port: int) -> None:
    """What the spec's examples name and ``schemathesis.toml`` pins, managed by the
    key's user: in ``cowork``, ``cowork-master`` (the examples; its domain has a host
    name) and ``cowork-old`` (the delete example); in ``cowork-fixed``, which only
    ``newcert/`` and ``test-email/`` are pinned to (so no fuzzed delete or update
    can take them away), ``cowork-cert`` (a domain with a host name) and
    ``cowork-mail`` (a domain whose mail goes to the SMTP server on ``smtp_port``)."""
    live_server.genie("orgs", "create", "cowork-fixed", "--manager", "live")
    auth = (live_server.api_key, "")
    api = f"{live_server.url}/api"
    for org, slug, domain in [
        ("cowork", "cowork-master", {"domain": "cowork.example.com"}),
        ("cowork", "cowork-old", None),
        ("cowork-fixed", "cowork-cert", {"domain": "cert.cowork.example.com"}),
        ("cowork-fixed", "cowork-mail", {"email_host": "127.0.0.1", "email_port": smtp_port}),
    ]:
        app = httpx.post(
            f"{api}/containers/{org}/apps/", json={"slug": slug, "location": "nginx:1"}, auth=auth
        )
        assert app.status_code == 201, app.text
        if domain is not None:
            made = httpx.post(f"{api}/domains/{org}/", json={"slug": slug, **domain}, auth=auth)
            assert made.status_code == 201, made.text


# schemathesis itself is given 1200 s (below); the default 600 s would cut it short.
@pytest.mark.timeout(1500)
@pytest.mark.parametrize("base", ["/djinn", "/api", "", "/oauth"])
def test_schemathesis_passes(
    live_server: LiveServer, project_root: Path, tmp_path: Path, base: str
) -> None:
    spec = httpx.get(f"{live_server.url}{base}/openapi.json").json()
    if not spec["paths"]:
        pytest.skip(f"{spec['info']['title']}: the spec defines no operations yet")
    config = project_root / "schemathesis.toml"
    if base == "/djinn":
        seed_djinn(live_server)
        config = key_dictionary(config, tmp_path / "schemathesis.toml")
    smtp: SmtpSink | None = None
    controller = None
    if base == "/api":
        smtp, controller = start_smtp(free_port())
        _djaodjin_data(live_server, smtp.port)
    schemathesis = Path(sys.executable).parent / "schemathesis"
    command = [
        str(schemathesis),
        "--config-file",
        str(config),
        "run",
        f"{live_server.url}{base}/openapi.json",
        "--checks",
        "all",
        "--seed",
        str(SEED),
        "--generation-database",
        "none",
        "--no-color",
        *_auth(live_server, base),
    ]
    try:
        result = subprocess.run(
            command, cwd=project_root, capture_output=True, text=True, timeout=1200
        )
    finally:
        if controller is not None:
            controller.stop()
    summary = re.findall(
        r"^(?:  )?(\d+ generated.*|No test cases were generated.*)$", result.stdout, re.M
    )
    links = re.findall(r"API Links:\s+(.*)$", result.stdout, re.M)
    print(f"\nschemathesis {base} (seed {SEED}, replay with GENIE_SCHEMATHESIS_SEED={SEED}):")
    print(f"  {summary}; links: {links}")
    report = tmp_path / "schemathesis.txt"
    report.write_text(result.stdout + result.stderr)
    assert result.returncode == 0, f"full report: {report}\n" + result.stdout[-6000:]
    # Links as responses declare them (a component may serve several responses).
    declared = sum(
        len(response.get("links", {}))
        for item in spec["paths"].values()
        for op in item.values()
        if isinstance(op, dict)
        for response in op.get("responses", {}).values()
    )
    if declared:
        # The stateful phase chained calls along the specs' own links (and only those).
        covered, selected = map(
            int, re.findall(r"API Links:\s+(\d+) covered / (\d+)", result.stdout)[0]
        )
        assert selected == declared and covered > 0, links
    # (fail-on makes it fatal already; named here so that a failure says which.)
    missing = _missing_test_data(result.stdout)
    assert not missing, f"operations never reached: {sorted(missing)}"
    # Every operation the served spec has was selected and tested.
    operations = sum(1 for item in spec["paths"].values() for key in item if key in HTTP_METHODS)
    assert f"{operations} selected / {operations} total" in result.stdout
    assert re.search(r"\d+ generated, \d+ passed", result.stdout)
    if base == "/api":
        assert smtp is not None and smtp.to("live@example.com"), "no test e-mail arrived"
        # The key went out with every request: it is in no log line of the server.
        log = live_server.data_dir.parent / "live-server.log"
        assert live_server.api_key[32:] not in log.read_text(errors="replace")


def _missing_test_data(stdout: str) -> set[str]:
    """The operations Schemathesis' "Missing test data" warning names."""
    if "Missing test data" not in stdout:
        return set()
    block = stdout.split("Missing test data", 1)[1]
    block = re.split(r"^(?:Schema validation mismatch|Unmatched filters|=====)", block, flags=re.M)[
        0
    ]
    return set(re.findall(r"^\s+- ((?:GET|POST|PUT|PATCH|DELETE) \S+)$", block, re.M))
