"""Schemathesis fuzzes every operation of both specs against a live server.

``--checks all`` with 50 examples per operation and a fixed seed; the run's own
verdict (its exit code) decides. ``schemathesis.toml`` holds the few settings,
among them the rows :func:`seed_djinn` makes for generated requests to reach.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519

from tests.conftest import LiveServer

EXAMPLES = 50
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


@pytest.mark.parametrize("base", ["/djinn", "/api", ""])
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
    schemathesis = Path(sys.executable).parent / "schemathesis"
    command = [
        str(schemathesis),
        "--config-file",
        str(config),
        "run",
        f"{live_server.url}{base}/openapi.json",
        "--checks",
        "all",
        "--max-examples",
        str(EXAMPLES),
        "--seed",
        "1",
        "--generation-database",
        "none",
        "--no-color",
        "--header",
        f"Authorization: Bearer {live_server.token}",
    ]
    result = subprocess.run(command, cwd=project_root, capture_output=True, text=True, timeout=1200)
    summary = re.findall(
        r"^(?:  )?(\d+ generated.*|No test cases were generated.*)$", result.stdout, re.M
    )
    print(f"\nschemathesis {base}: {summary}")
    report = tmp_path / "schemathesis.txt"
    report.write_text(result.stdout + result.stderr)
    assert result.returncode == 0, f"full report: {report}\n" + result.stdout[-6000:]
    if base == "/djinn":
        assert "40 selected / 40 total" in result.stdout
        assert re.search(r"\d+ generated, \d+ passed", result.stdout)
