"""Builds through the HTTP API on the ``ssh`` and ``docker`` drivers: ``genie serve``
on PostgreSQL, a real ``genie worker --kind build`` subprocess, the test's own
OpenSSH server (its key placed through a Djinn key) and its own docker engine
(``DOCKER_HOST``, a locally imported busybox image, network ``none``)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.conftest import LiveServer, _live_server
from tests.daemons import DockerEngine, SSHServer
from tests.live.builds_helpers import api, ended, jobs_of, path_of, submit, wait_for, worker

#: The engine's message for an image that can be neither found nor pulled.
MISSING_IMAGE = "127.0.0.1:9/genie/none:1"
#: The docker driver's memory limit: the container's.
MEMORY = 300 * 1024 * 1024


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, sshd: SSHServer) -> Iterator[LiveServer]:
    with _live_server(tmp_path_factory, "bdrivers", {"GENIE_DRIVERS": "ssh,docker"}) as live:
        key = api(live, "POST", "/djinn/keys", json={"name": "id_sshd", "key": sshd.client_key})
        assert key.status_code == 201, key.text
        yield live


def ssh_driver(sshd: SSHServer) -> str:
    return f"type: ssh\n  address: {sshd.address}\n  known_hosts: {json.dumps(sshd.host_key)}"


def docker_driver(engine: DockerEngine, image: str | None = None) -> str:
    return f"type: docker\n  image: {json.dumps(image or engine.image)}\n  workspace: /build"


#: Where the job runs, said by the job itself; the artifact proves the workspace.
PASSING = """\
driver:
  {driver}
env:
- GREETING=hello-from-{kind}
stages: [make]
jobs:
- stage: make
  commands:
  - echo "$GREETING in $(pwd)"
  - {proof}
  - echo built-by-{kind} > out.txt
  artifacts:
  - out.txt => out.txt
"""

#: A non-zero exit fails the job and the build; the later stage never runs.
FAILING = """\
driver:
  {driver}
stages: [make, after]
jobs:
- stage: make
  commands:
  - echo before
  - exit 3
  - echo after-the-exit
- stage: after
  commands:
  - echo never-runs
"""

PROOFS = {
    # sshd sets SSH_CONNECTION (client, then server address and port) in the session.
    "ssh": 'echo "over $SSH_CONNECTION"',
    # The busybox image's /bin/sh, and no network interface beyond lo (network none).
    "docker": "readlink /bin/sh; grep -c eth0 /proc/net/dev || true; echo cpu=$(ulimit -t);"
    " cat /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/memory.max || true",
}


def driver_of(kind: str, sshd: SSHServer, dockerd: DockerEngine) -> str:
    return ssh_driver(sshd) if kind == "ssh" else docker_driver(dockerd)


@pytest.fixture(scope="module")
def workers(server: LiveServer, dockerd: DockerEngine) -> Iterator[None]:
    environ = {
        "GENIE_DRIVERS": "ssh,docker",
        "DOCKER_HOST": dockerd.host,
        "GENIE_DOCKER_NETWORK": "none",
        "GENIE_BUILD_CPU": "77",
        "GENIE_BUILD_MEMORY": str(MEMORY),
    }
    with worker(server, "build", **environ):
        yield


def statuses(jobs: dict[str, Any]) -> dict[str, str]:
    return {name: job["status"] for name, job in jobs.items()}


@pytest.mark.parametrize("kind", ["ssh", "docker"])
def test_a_build_passes_and_a_failing_command_fails(
    kind: str, server: LiveServer, workers: None, sshd: SSHServer, dockerd: DockerEngine
) -> None:
    driver = driver_of(kind, sshd, dockerd)
    passing = submit(server, PASSING.format(driver=driver, kind=kind, proof=PROOFS[kind]))
    failing = submit(server, FAILING.format(driver=driver))
    status = wait_for(lambda: ended(server, passing), 90, step=0.1)
    jobs = jobs_of(server, passing)
    assert status == "passed", jobs
    assert statuses(jobs) == {"create-driver": "passed", "make.1": "passed"}
    creation, make = jobs["create-driver"]["output"], jobs["make.1"]["output"]
    assert f"Running with driver {kind}..." in creation
    if kind == "ssh":
        assert "verified against known_hosts" in creation
        assert "Placing key ~/.ssh/id_sshd" in creation
        assert "over 127.0.0.1 " in make and f" 127.0.0.1 {sshd.port}" in make
        assert "hello-from-ssh in /tmp/genie-build-" in make
    else:
        assert f"Using image {dockerd.image}" in creation
        assert "hello-from-docker in /build\n" in make and "\nbusybox\n" in make
        assert "/proc/net/dev\n0\n" in make  # no eth0: network none
        assert "cpu=77\n" in make and f"\n{MEMORY}\n" in make  # the build's limits
    _check_artifact(server, passing, f"built-by-{kind}\n".encode())
    _check_failed(server, failing)


def _check_failed(server: LiveServer, build: dict[str, Any]) -> None:
    """A non-zero exit: the job and the build fail, the later stage never runs."""
    assert wait_for(lambda: ended(server, build), 90, step=0.1) == "failed"
    jobs = jobs_of(server, build)
    assert statuses(jobs) == {"create-driver": "passed", "make.1": "failed", "after.1": "failed"}
    make = jobs["make.1"]["output"]
    assert "before" in make and "Job failed: exit status 3" in make
    assert "after-the-exit" not in make
    assert jobs["after.1"]["output"] == "Not run: stage make failed\n"
    assert jobs["after.1"]["started_at"] is None


def _check_artifact(server: LiveServer, build: dict[str, Any], content: bytes) -> None:
    listed = api(server, "GET", path_of(build) + "/artifacts").json()
    assert [(a["name"], a["size"]) for a in listed] == [("out.txt", len(content))]
    assert listed[0]["sha256"] == hashlib.sha256(content).hexdigest()
    raw = httpx.get(
        server.url + path_of(build) + "/artifacts/out.txt",
        headers={**server.auth, "Accept": "application/octet-stream"},
        timeout=10,
    )
    assert raw.status_code == 200 and raw.content == content


def test_a_docker_image_that_cannot_be_had_fails_the_build(
    server: LiveServer, workers: None, dockerd: DockerEngine
) -> None:
    build = submit(server, FAILING.format(driver=docker_driver(dockerd, MISSING_IMAGE)))
    assert wait_for(lambda: ended(server, build), 90, step=0.1) == "failed"
    jobs = jobs_of(server, build)
    assert statuses(jobs) == {"create-driver": "failed", "make.1": "failed", "after.1": "failed"}
    creation = jobs["create-driver"]["output"]
    # The engine's own words: it tried the registry at 127.0.0.1:9, which refused.
    assert f"cannot pull {MISSING_IMAGE}" in creation and "connection refused" in creation
    shown = api(server, "GET", path_of(build)).json()
    assert "connection refused" in shown["output"]
    for name in ("make.1", "after.1"):
        assert jobs[name]["output"] == "Not run: the driver could not be created\n"
