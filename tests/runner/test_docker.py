"""The ``docker`` driver against a real dockerd the test starts (``dockerd``)."""

from __future__ import annotations

import asyncio
import time

import docker

from genie.runner import DriverSettings, KeyFile, Limits
from tests.daemons import DockerEngine
from tests.runner.helpers import execute, job, obj, plan, stage


def settings(engine: DockerEngine) -> DriverSettings:
    return DriverSettings(
        enabled=frozenset({"docker"}), docker_host=engine.host, docker_network="none"
    )


def docker_plan(engine: DockerEngine, *stages, image: str | None = None, **kw):
    config = {"image": image or engine.image, "workspace": "/build"}
    return plan(*stages, driver="docker", config=config, **kw)


def leftovers(engine: DockerEngine, name: str) -> tuple[list[object], list[object]]:
    client = docker.DockerClient(base_url=engine.host, version="auto")
    try:
        label = {"label": f"genie.build={name}"}
        return client.containers.list(all=True, filters=label), client.volumes.list(filters=label)
    finally:
        client.close()


async def test_a_build_end_to_end(dockerd: DockerEngine) -> None:
    status, rec = await execute(
        docker_plan(
            dockerd,
            stage(
                "build",
                job(
                    "make",
                    'echo "token=$TOKEN plain=$PLAIN pwd=$(pwd)"',
                    "cat data/in.txt",
                    "stat -c %a /root/.ssh/id_build; cat /root/.ssh/config",
                    "echo made > out.txt; mkdir -p dir",
                    artifacts=[("out.txt", "out"), ("missing", "missing"), ("dir", "dir")],
                ),
                job("second", "cat out.txt", artifacts=[("/build/out.txt", "again")]),
            ),
            stage("test", job("fails", "echo before", "exit 4", "echo after"), can_fail=True),
            stage("last", job("last", "echo still runs")),
            env=[("TOKEN", "hunter22-docker"), ("PLAIN", "p1"), ("PLAIN", "p2")],
            secrets=["hunter22-docker"],
            keys=[KeyFile("id_build", "PRIVATE\n", "Host example")],
            objects=[obj("in", "data/in.txt", b"object bytes\n")],
            name="docker-e2e",
        ),
        settings(dockerd),
    )
    assert status == "passed_with_failures", rec.text("create-driver") + rec.text("make")
    assert rec.statuses() == {
        "create-driver": "passed",
        "make": "passed",
        "second": "passed",
        "fails": "failed",
        "last": "passed",
    }
    make = rec.text("make")
    assert "token=xxxxxx plain=p2 pwd=/build" in make and "hunter22" not in make
    assert "object bytes" in make and "\n600\n" in make and "Host example" in make
    assert "made" in rec.text("second")
    assert rec.artifacts == {"out": b"made\n", "missing": None, "dir": None, "again": b"made\n"}
    assert "exit status 4" in rec.text("fails") and "\nafter" not in rec.text("fails")
    assert leftovers(dockerd, "docker-e2e") == ([], [])


async def test_an_image_that_cannot_be_found_fails_with_the_engines_message(
    dockerd: DockerEngine,
) -> None:
    status, rec = await execute(
        docker_plan(dockerd, stage("s", job("a", "true")), image="127.0.0.1:9/genie/none:1"),
        settings(dockerd),
    )
    assert status == "failed"
    driver = rec.text("create-driver")
    assert "cannot pull 127.0.0.1:9/genie/none:1" in driver and "connection refused" in driver
    assert rec.statuses() == {"create-driver": "failed", "a": "failed"}


async def test_throughput_output_cap_and_file_size_limit(dockerd: DockerEngine) -> None:
    client = docker.DockerClient(base_url=dockerd.host, version="auto")
    began = time.monotonic()  # the same script straight through the SDK
    plain_container = client.containers.create(
        dockerd.image, ["sh", "-c", "set -ex; seq 1 50000"], network_mode="none"
    )
    stream = plain_container.attach(stream=True, logs=False)
    plain_container.start()
    plain = b"".join(stream)
    plain_container.wait()
    baseline = time.monotonic() - began
    plain_container.remove()
    client.close()
    limits = Limits(timeout=60, output_max=400_000, file_size_bytes=1024 * 1024)
    began = time.monotonic()
    status, rec = await execute(
        docker_plan(
            dockerd,
            stage(
                "s",
                job("seq", "seq 1 50000"),
                job("loud", "head -c 20000000 /dev/zero | tr '\\0' a"),
                job("big", "head -c 2000000 /dev/zero > big"),
            ),
            limits=limits,
        ),
        settings(dockerd),
    )
    assert time.monotonic() - began < 30
    assert rec.text("seq").startswith("+ seq 1 50000\n1\n2\n")
    assert rec.text("seq").count("\n") == plain.count(b"\n")  # set -x: both trace it
    took = rec.ended["seq"] - rec.started["seq"]
    assert took < baseline + 1.0, (took, baseline)
    assert rec.statuses()["loud"] == "passed"
    assert rec.text("loud").count("output truncated") == 1
    assert rec.statuses()["big"] == "failed"
    assert status == "failed"


async def test_kill_removes_the_containers_within_two_seconds(dockerd: DockerEngine) -> None:
    kill = asyncio.Event()
    p = docker_plan(dockerd, stage("s", job("k", "echo started", "sleep 60")), name="docker-kill")
    task = asyncio.create_task(execute(p, settings(dockerd), kill))
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not task.done():
        containers, _ = leftovers(dockerd, "docker-kill")
        if any(c.status == "running" for c in containers):  # type: ignore[attr-defined]
            break
        await asyncio.sleep(0.1)
    began = time.monotonic()
    kill.set()
    status, rec = await task
    assert time.monotonic() - began < 2.0
    assert status == "killed"
    assert rec.statuses()["k"] == "killed"
    assert leftovers(dockerd, "docker-kill") == ([], [])
