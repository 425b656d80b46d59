"""SIGKILL mid-write: after a restart no row points at a missing file, no file
lacks its row, and no temp file is left (``genie doctor`` checks, the start-up
sweep removes staged uploads)."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator

import httpx
import pytest

from tests.conftest import LiveServer, _live_server, free_port, wait_healthy
from tests.reliability.conftest import record


@pytest.fixture
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with _live_server(tmp_path_factory, "crash", {}) as live:
        yield live


def _restart(server: LiveServer) -> subprocess.Popen[bytes]:
    """A new ``genie serve`` on the killed one's database and folder."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "genie", "serve", "--port", str(port)],
        env=server.environ,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    server.url = f"http://127.0.0.1:{port}"
    assert wait_healthy(server.url, process)
    server.process = process
    return process


def _doctor(server: LiveServer, *args: str) -> tuple[int, str]:
    done = subprocess.run(
        [sys.executable, "-m", "genie", "doctor", *args],
        env=server.environ,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    return done.returncode, done.stdout


def _kill_during(server: LiveServer, send: threading.Thread, after: float) -> None:
    send.start()
    time.sleep(after)
    os.kill(server.process.pid, signal.SIGKILL)
    server.process.wait(timeout=10)
    send.join(timeout=30)


def _slow_upload(server: LiveServer) -> None:
    def body() -> Iterator[bytes]:
        for _ in range(200):
            yield os.urandom(256 * 1024)
            time.sleep(0.02)

    headers = {**server.auth, "Content-Type": "application/octet-stream"}
    with contextlib.suppress(httpx.HTTPError):  # the server dies under it: the point
        httpx.post(
            f"{server.url}/djinn/objects", params={"name": "cut.bin"}, content=body(),
            headers=headers, timeout=30,
        )  # fmt: skip


def test_sigkill_mid_upload_and_mid_deletes(server: LiveServer) -> None:
    _kill_during(server, threading.Thread(target=_slow_upload, args=(server,)), 1.5)
    staged = list((server.data_dir / ".tmp").glob("*.part"))
    assert staged, "the kill should have left a staged upload"
    assert _doctor(server)[0] == 1  # it sees the temp file
    _restart(server)
    assert not list((server.data_dir / ".tmp").glob("*.part")), "the start-up sweep"
    with httpx.Client(base_url=server.url, headers=server.auth, timeout=30) as client:
        assert client.post("/djinn/namespaces", json={"name": "doomed"}).status_code == 201
        ids = []
        for i in range(40):
            made = client.post(
                "/djinn/objects",
                params={"name": f"o{i}.bin", "namespace": "doomed"},
                content=os.urandom(4096),
            )
            assert made.status_code == 201
            ids.append(made.json()["id"])

    def deletes() -> None:
        client = httpx.Client(base_url=server.url, headers=server.auth, timeout=30)
        with client, contextlib.suppress(httpx.HTTPError):
            client.delete("/djinn/n/live/doomed")
            for object_id in ids:
                client.delete(f"/djinn/objects/{object_id}")

    _kill_during(server, threading.Thread(target=deletes), 0.4)
    _restart(server)
    code, found = _doctor(server)
    if code:
        assert _doctor(server, "--repair")[0] == 1
    clean = (0, "no orphans: every row has its file and every file its row\n")
    assert _doctor(server) == clean
    # What doctor reports, on purpose: a lost file, and a file nobody owns (two
    # objects of its own: the kill may have come after every delete).
    with httpx.Client(base_url=server.url, headers=server.auth, timeout=30) as client:
        for i in range(2):
            kept = client.post("/djinn/objects", params={"name": f"kept{i}"}, content=b"k%d" % i)
            assert kept.status_code == 201, kept.text
    stored = sorted((server.data_dir / "objects").glob("*/*"))
    stored[0].unlink()
    (stored[1].parent / ("0" * 64)).write_bytes(b"stray")
    code, lost = _doctor(server)
    assert code == 1
    assert "row without file: objects" in lost and "file without row: objects/" in lost
    assert _doctor(server, "--repair")[0] == 1
    assert _doctor(server) == clean
    record(
        "SIGKILL mid-write",
        "kill -9 of genie serve 1.5 s into a 50 MiB upload; restart; then kill -9 during a "
        "namespace delete followed by 40 object deletes; restart; genie doctor",
        f"a staged .part left by the kill, swept at start-up; after the deletes doctor "
        f"found {found.strip() or 'nothing'!r}; after --repair no row without file, no file "
        "without row, no temp file",
        0,
    )
