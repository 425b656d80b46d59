"""The scan for leaked secrets (``conftest.scan_for_secrets``) can fail."""

from __future__ import annotations

import json

from tests.handlers.djaodjin.conftest import API, DjaoDjin, SecretScan
from tests.handlers.djaodjin.pki import key_pem, new_key


def test_a_secret_is_found_raw_inside_json_and_without_line_breaks() -> None:
    assert SecretScan().leaks(["-----BEGIN PRIVATE KEY-----"])
    scan = SecretScan()
    scan.secrets.clear()  # without the "PRIVATE KEY" marker, to see the PEM found itself
    key = scan.secret("K" * 64)
    pem = scan.secret(key_pem(new_key()))
    assert scan.leaks([f'401\n\n{{"detail": "{key}"}}'])
    assert scan.leaks([json.dumps({"ssl_certificate": pem})])
    body = "".join(x for x in pem.splitlines() if not x.startswith("-----"))
    assert scan.leaks([f"log: loaded {body}"])
    assert not scan.leaks(['200\n\n{"detail": "ok"}'])


async def test_every_response_of_a_test_is_scanned(
    dj: DjaoDjin, scan_for_secrets: list[str]
) -> None:
    alice = await dj.member()
    response = await dj.client.get(f"{API}/domains/", headers=alice.auth)
    assert any(response.text in text for text in scan_for_secrets)
    unauthorized = await dj.client.get(f"{API}/domains/")
    assert any("www-authenticate: Basic" in text for text in scan_for_secrets)
    assert unauthorized.status_code == 401
