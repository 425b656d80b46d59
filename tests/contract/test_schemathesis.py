"""Schemathesis fuzzes every operation of both specs against a live server.

``--checks all`` with 50 examples per operation and a fixed seed; the run's own
verdict (its exit code) decides. ``schemathesis.toml`` holds the few settings.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.conftest import LiveServer

EXAMPLES = 50


@pytest.mark.parametrize("base", ["/djinn", "/api", ""])
def test_schemathesis_passes(live_server: LiveServer, project_root: Path, base: str) -> None:
    spec = httpx.get(f"{live_server.url}{base}/openapi.json").json()
    if not spec["paths"]:
        pytest.skip(f"{spec['info']['title']}: the spec defines no operations yet")
    schemathesis = Path(sys.executable).parent / "schemathesis"
    command = [
        str(schemathesis),
        "--config-file",
        str(project_root / "schemathesis.toml"),
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
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    if base == "/djinn":
        assert "6 selected / 6 total" in result.stdout
        assert re.search(r"\d+ generated, \d+ passed", result.stdout)
