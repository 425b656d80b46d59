"""The ``ssh`` driver against a real OpenSSH server the test starts (``sshd``)."""

from __future__ import annotations

import asyncio
import os
import subprocess
import time
from pathlib import Path

from genie.runner import DriverSettings, KeyFile
from tests.conftest import free_port
from tests.daemons import SSHServer
from tests.runner.helpers import execute, job, obj, plan, stage

SSH = DriverSettings(enabled=frozenset({"ssh"}))


def ssh_plan(server: SSHServer, *stages, config=None, **kw):
    keys = [KeyFile("id_build", server.client_key, "Host example\n  User git")]
    return plan(
        *stages,
        driver="ssh",
        config={"address": server.address, **(config or {})},
        keys=kw.pop("keys", keys),
        **kw,
    )


async def test_a_build_end_to_end(sshd: SSHServer) -> None:
    status, rec = await execute(
        ssh_plan(
            sshd,
            stage(
                "build",
                job(
                    "make",
                    'echo "token=$TOKEN plain=$PLAIN"',
                    "cat data/in.txt",
                    "stat -c %a ~/.ssh/id_build; cat ~/.ssh/config",
                    "pwd; echo made > out.txt",
                    artifacts=[("out.txt", "out"), ("missing.txt", "missing")],
                ),
            ),
            stage("test", job("fails", "echo before", "exit 7", "echo after"), can_fail=True),
            stage("last", job("last", "echo still runs")),
            env=[("TOKEN", "hunter22-remote"), ("PLAIN", "p1"), ("PLAIN", "p2")],
            secrets=["hunter22-remote"],
            objects=[obj("in", "data/in.txt", b"object bytes\n")],
        ),
        SSH,
    )
    assert status == "passed_with_failures", rec.text("create-driver") + rec.text("make")
    assert rec.statuses() == {
        "create-driver": "passed",
        "make": "passed",
        "fails": "failed",
        "last": "passed",
    }
    make = rec.text("make")
    assert "token=xxxxxx plain=p2" in make and "hunter22" not in make
    assert "object bytes" in make and "\n600\n" in make and "Host example\n  User git" in make
    assert rec.artifacts == {"out": b"made\n", "missing": None}
    fails = rec.text("fails")
    assert "before" in fails and "exit status 7" in fails and "\nafter" not in fails
    workspace = next(line for line in make.splitlines() if line.startswith("/tmp/genie-build-"))
    assert not Path(workspace).exists()  # the remote directory is removed (same machine here)
    driver = rec.text("create-driver")
    assert "Host key SHA256:" in driver and "(not verified)" in driver


async def test_the_host_key_is_verified_against_known_hosts(
    sshd: SSHServer, tmp_path: Path
) -> None:
    status, rec = await execute(
        ssh_plan(sshd, stage("s", job("a", "true")), config={"known_hosts": sshd.host_key}), SSH
    )
    assert status == "passed"
    assert "verified against known_hosts" in rec.text("create-driver")
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", tmp_path / "k"], check=True
    )
    wrong = f"[127.0.0.1]:{sshd.port} " + (tmp_path / "k.pub").read_text()
    status, rec = await execute(
        ssh_plan(sshd, stage("s", job("a", "true")), config={"known_hosts": wrong}), SSH
    )
    assert status == "failed"
    assert "host key verification failed" in rec.text("create-driver")
    assert rec.statuses()["a"] == "failed"


async def test_a_dead_host_fails_the_build_with_the_reason(sshd: SSHServer) -> None:
    p = ssh_plan(sshd, stage("s", job("a", "true")), config={"address": f"127.0.0.1:{free_port()}"})
    status, rec = await execute(p, SSH)
    assert status == "failed"
    assert "cannot connect to 127.0.0.1" in rec.text("create-driver")


async def test_driver_output_is_masked(sshd: SSHServer) -> None:
    p = ssh_plan(
        sshd,
        stage("s", job("a", "true")),
        config={"user": "hunter22-user"},
        secrets=["hunter22-user"],
    )
    status, rec = await execute(p, SSH)
    assert status == "failed"  # no such user on the server
    driver = rec.text("create-driver")
    assert "Connecting to xxxxxx@127.0.0.1" in driver and "hunter22" not in driver


async def test_kill_stops_the_remote_processes(sshd: SSHServer) -> None:
    marker = f"41.{os.getpid()}"
    kill = asyncio.Event()
    p = ssh_plan(
        sshd,
        stage("s", job("k", f"sh -c 'trap \"\" TERM; sleep {marker}' &", f"sleep {marker}")),
    )
    task = asyncio.create_task(execute(p, SSH, kill))
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        running = subprocess.run(["pgrep", "-f", f"sleep {marker}"], capture_output=True).stdout
        if len(running.split()) >= 2:
            break
        await asyncio.sleep(0.1)
    began = time.monotonic()
    kill.set()
    status, rec = await task
    assert time.monotonic() - began < 2.0
    assert status == "killed"
    assert rec.statuses()["k"] == "killed"
    left = subprocess.run(["pgrep", "-f", f"sleep {marker}"], capture_output=True)
    assert left.stdout == b""


async def test_nothing_a_job_starts_outlives_it(sshd: SSHServer) -> None:
    marker = f"61.{os.getpid()}"
    status, _ = await execute(
        ssh_plan(sshd, stage("s", job("bg", f"sleep {marker} &", "echo left"), job("b", "true"))),
        SSH,
    )
    assert status == "passed"
    left = subprocess.run(["pgrep", "-f", f"sleep {marker}"], capture_output=True)
    assert left.stdout == b""
