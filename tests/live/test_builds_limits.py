"""Limits through the HTTP API, with a real ``genie worker`` on the ``os`` driver:
``GENIE_ARTIFACT_QUOTA`` (past it the oldest artifacts of unpinned builds are
curated: ``deleted_at`` set, their file removed, the raw download a 404; a pinned
build keeps its own) and each job's CPU, memory and file-size limits."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import yaml

from tests.conftest import LiveServer, _live_server
from tests.live.builds_helpers import api, ended, jobs_of, path_of, submit, wait_for, worker

SIZE = 1000
#: Two and a half artifacts: counted newest first, the third one is past it.
QUOTA = 2500


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with _live_server(tmp_path_factory, "blimits", {"GENIE_DRIVERS": "os"}) as live:
        yield live


def content(letter: str) -> bytes:
    return (f"{letter}\n" * SIZE).encode()[:SIZE]


def build_with_artifact(server: LiveServer, letter: str) -> dict[str, Any]:
    """A build whose one job leaves a ``SIZE``-byte artifact of ``letter`` lines; ended."""
    manifest = yaml.safe_dump(
        {
            "driver": {"type": "os"},
            "stages": ["make"],
            "jobs": [
                {
                    "stage": "make",
                    "commands": [f"yes {letter} | head -c {SIZE} > art.bin"],
                    "artifacts": ["art.bin => art.bin"],
                }
            ],
        }
    )
    build = submit(server, manifest)
    assert wait_for(lambda: ended(server, build), 60) == "passed"
    return build


def artifact(server: LiveServer, build: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = api(server, "GET", path_of(build) + "/artifacts/art.bin").json()
    return found


def raw(server: LiveServer, build: dict[str, Any]) -> httpx.Response:
    headers = {**server.auth, "Accept": "application/octet-stream"}
    return httpx.get(server.url + path_of(build) + "/artifacts/art.bin", headers=headers)


def curated(server: LiveServer, build: dict[str, Any]) -> bool:
    return artifact(server, build)["deleted_at"] is not None


def stored_artifacts(server: LiveServer) -> set[bytes]:
    assert server.files is not None
    return {f.read_bytes() for f in server.files.files() if "/artifacts/" in f.name}


def test_the_oldest_unpinned_artifacts_go_past_the_quota(server: LiveServer) -> None:
    with worker(server, "build", GENIE_ARTIFACT_QUOTA=str(QUOTA)):
        pinned = build_with_artifact(server, "a")
        assert api(server, "PATCH", path_of(pinned) + "/pin").json()["pinned"] is True
        b, c, d = (build_with_artifact(server, letter) for letter in "bcd")
        # Newest first: d 1000, c 2000, b 3000 (past 2500: curated), a pinned.
        wait_for(lambda: curated(server, b), 10)
        assert not curated(server, c) and not curated(server, d)
        e = build_with_artifact(server, "e")
        wait_for(lambda: curated(server, c), 10)
    gone = artifact(server, b)
    assert gone["size"] is None and gone["sha256"] is None and gone["md5"] is None
    for build in (b, c):
        assert raw(server, build).status_code == 404
    for build, letter in ((pinned, "a"), (d, "d"), (e, "e")):
        assert not curated(server, build)
        kept = raw(server, build)
        assert kept.status_code == 200 and kept.content == content(letter)
    assert stored_artifacts(server) == {content(letter) for letter in "ade"}


LIMITED = {
    "driver": {"type": "os"},
    "stages": ["write", "check"],
    "allow_failures": ["write"],
    "jobs": [
        {
            "stage": "write",
            "commands": [
                'echo "cpu=$(ulimit -t) memory=$(ulimit -v) files=$(ulimit -f)"',
                "head -c 3000000 /dev/zero > big",
                "echo not-reached",
            ],
        },
        {"stage": "check", "commands": ['echo "size=$(wc -c < big)"']},
    ],
}


def test_each_job_runs_under_the_cpu_memory_and_file_size_limits(server: LiveServer) -> None:
    limits = {
        "GENIE_BUILD_CPU": "7",
        "GENIE_BUILD_MEMORY": str(512 * 1024 * 1024),
        "GENIE_BUILD_FILE_SIZE": str(1024 * 1024),
    }
    with worker(server, "build", **limits):
        build = submit(server, yaml.safe_dump(LIMITED))
        assert wait_for(lambda: ended(server, build), 60) == "passed_with_failures"
    jobs = jobs_of(server, build)
    write, check = jobs["write.1"], jobs["check.1"]
    # dash reports the address space in KiB and file sizes in 512-byte blocks.
    assert f"cpu=7 memory={512 * 1024} files={2 * 1024}\n" in write["output"]
    assert write["status"] == "failed" and "not-reached\n" not in write["output"]
    assert "Job failed: exit status" in write["output"]
    assert check["status"] == "passed" and f"size={1024 * 1024}\n" in check["output"]
