"""Helpers of the live build tests: a ``genie serve`` with builds on the ``os``
driver, real ``genie worker`` processes, a bare git repository, and polling."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from tests.conftest import LiveServer

#: Where test repositories go: not under /tmp, which bubblewrap hides from builds.
REPOS = Path(__file__).resolve().parent


@contextmanager
def worker(server: LiveServer, *kinds: str, **extra: str) -> Iterator[subprocess.Popen[bytes]]:
    """A real ``genie worker`` (jobs of ``kinds``) with ``extra`` in its environment;
    stopped with SIGINT at the end (unless the test killed it)."""
    argv = [sys.executable, "-m", "genie", "worker"]
    for kind in kinds:
        argv += ["--kind", kind]
    process = subprocess.Popen(argv, env={**server.environ, **extra})
    try:
        yield process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@contextmanager
def bare_repository(files: dict[str, str], name: str = "repo") -> Iterator[str]:
    """A bare git repository ``<name>.git`` holding ``files`` in one commit; its
    ``file://`` URL."""
    root = Path(tempfile.mkdtemp(prefix=".repo-", dir=REPOS))
    try:
        work, bare = root / "work", root / f"{name}.git"
        work.mkdir()
        for name, content in files.items():
            (work / name).write_text(content)
        env = {
            **os.environ,
            "GIT_AUTHOR_NAME": "t",
            "GIT_AUTHOR_EMAIL": "t@example.com",
            "GIT_COMMITTER_NAME": "t",
            "GIT_COMMITTER_EMAIL": "t@example.com",
        }
        for argv in (["init", "-q", "-b", "main"], ["add", "."], ["commit", "-q", "-m", "one"]):
            subprocess.run(["git", *argv], cwd=work, env=env, check=True)
        subprocess.run(["git", "clone", "-q", "--bare", str(work), str(bare)], check=True)
        yield f"file://{bare}"
    finally:
        shutil.rmtree(root, ignore_errors=True)


def wait_for(check: Callable[[], Any], timeout: float, step: float = 0.02) -> Any:
    """Poll ``check`` until it returns something truthy; that value."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s")
        time.sleep(step)


def build_status(server: LiveServer, url: str) -> str:
    status: str = httpx.get(server.url + url, headers=server.auth, timeout=10).json()["status"]
    return status


def submit(server: LiveServer, manifest: str, **body: Any) -> dict[str, Any]:
    response = httpx.post(
        f"{server.url}/djinn/builds",
        json={"manifest": manifest, **body},
        headers=server.auth,
        timeout=30,
    )
    assert response.status_code == 201, response.text
    build: dict[str, Any] = response.json()
    return build


def path_of(build: dict[str, Any]) -> str:
    return f"/djinn/b/{build['user']['username']}/{build['number']}"


ENDED = ("passed", "passed_with_failures", "failed", "killed", "timed_out")


def api(server: LiveServer, method: str, path: str, **kwargs: Any) -> httpx.Response:
    return httpx.request(method, server.url + path, headers=server.auth, timeout=30, **kwargs)


def ended(server: LiveServer, build: dict[str, Any]) -> str | None:
    """The build's terminal status, or None while it has none."""
    status = build_status(server, path_of(build))
    return status if status in ENDED else None


def jobs_of(server: LiveServer, build: dict[str, Any]) -> dict[str, Any]:
    listed = api(server, "GET", path_of(build) + "/jobs").json()
    return {job["name"]: job for job in listed}
