"""The README's curl session, run with the real curl against a live server."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import LiveServer

PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452") + b"\x00" * 64


def curl(*args: str) -> tuple[int, dict[str, str], bytes]:
    out = subprocess.run(
        ["curl", "-s", "-i", *args], capture_output=True, check=True, timeout=30
    ).stdout
    head, _, body = out.partition(b"\r\n\r\n")
    lines = head.decode().split("\r\n")
    status = int(lines[0].split()[1])
    headers = {k.lower(): v for k, v in (line.split(": ", 1) for line in lines[1:])}
    return status, headers, body


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
def test_seed_curl_examples(live_server: LiveServer, tmp_path: Path) -> None:
    image = tmp_path / "image.jpeg"
    image.write_bytes(PNG)
    auth = f"Authorization: Bearer {live_server.token}"
    base = f"{live_server.url}/djinn"

    status, _, body = curl(
        "-X",
        "POST",
        "-H",
        auth,
        "-H",
        "Content-Type: image/jpeg",
        "--data-binary",
        f"@{image}",
        f"{base}/objects?name=data",
    )
    assert status == 201, body
    created = json.loads(body)
    assert created["type"] == "image/jpeg"

    status, headers, body = curl("-X", "GET", "-H", auth, f"{base}/objects?search=data")
    assert status == 200
    assert [o["name"] for o in json.loads(body)] == ["data"]
    assert re.fullmatch(r'<[^>]+page=1>; rel="prev", <[^>]+page=1>; rel="next"', headers["link"])

    status, _, body = curl("-X", "GET", "-H", auth, f"{base}/objects/{created['id']}")
    assert status == 200 and json.loads(body)["id"] == created["id"]

    status, headers, body = curl(
        "-X", "GET", "-H", "Accept: image/jpeg", "-H", auth, f"{base}/objects/{created['id']}"
    )
    assert status == 200
    assert headers["content-type"] == "image/jpeg"
    assert body == PNG

    status, _, body = curl("-X", "DELETE", "-H", auth, f"{base}/objects/{created['id']}")
    assert status == 204 and body == b""
