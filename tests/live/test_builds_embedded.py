"""The embedded default runs builds: `genie serve` alone on SQLite, GENIE_DRIVERS=os."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import httpx

from tests.conftest import free_port, wait_healthy
from tests.live.builds_helpers import wait_for

MANIFEST = (
    "driver:\n  type: os\nstages: [one]\njobs:\n- stage: one\n  commands:\n  - echo embedded\n"
)


def test_a_build_runs_on_genie_serve_alone(tmp_path: Path) -> None:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("GENIE_")}
    environ["GENIE_DRIVERS"] = "os"

    def genie(*args: str) -> str:
        return subprocess.run(
            [sys.executable, "-m", "genie", *args],
            cwd=tmp_path,
            env=environ,
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        ).stdout.strip()

    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "genie", "serve", "--port", str(port)],
        cwd=tmp_path,
        env=environ,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/djinn"
    try:
        assert wait_healthy(f"http://127.0.0.1:{port}", server)
        genie("users", "create", "solo", "--email", "solo@example.com")
        headers = {
            "Authorization": "Bearer "
            + genie("tokens", "create", "solo", "--scopes", "build:read,write")
        }
        made = httpx.post(f"{url}/builds", json={"manifest": MANIFEST}, headers=headers, timeout=30)
        assert made.status_code == 201, made.text
        build_url = f"{url}/b/solo/{made.json()['number']}"

        def ended() -> str | None:
            status: str = httpx.get(build_url, headers=headers, timeout=10).json()["status"]
            return None if status in ("queued", "running") else status

        assert wait_for(ended, 60, step=0.1) == "passed"
        job = httpx.get(f"{build_url}/jobs/one.1", headers=headers, timeout=10).json()
        assert "embedded" in job["output"].splitlines()
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
