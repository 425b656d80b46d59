"""The ``os`` driver's isolation: resource limits and bubblewrap, for real."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
from pathlib import Path

import pytest

from genie.runner import DriverSettings, Limits
from tests.daemons import need_binary
from tests.runner.helpers import execute, job, plan, stage

OS = DriverSettings(enabled=frozenset({"os"}), hidden_paths=())


async def test_file_size_cpu_and_memory_limits() -> None:
    limits = Limits(
        timeout=60,
        output_max=100000,
        cpu_seconds=1,
        memory_bytes=256 * 1024 * 1024,
        file_size_bytes=1024 * 1024,
    )
    _status, rec = await execute(
        plan(
            stage(
                "s",
                job("small", "head -c 100000 /dev/zero > small"),
                job("big", "head -c 2000000 /dev/zero > big"),
                job("spin", "while :; do :; done"),
                job("hog", "python3 -c 'bytearray(512 * 1024 * 1024)'"),
            ),
            limits=limits,
        ),
        OS,
    )
    assert rec.statuses() == {
        "create-driver": "passed",
        "small": "passed",
        "big": "failed",
        "spin": "failed",
        "hog": "failed",
    }, {j: rec.text(j) for j in ("big", "spin", "hog")}
    assert "MemoryError" in rec.text("hog")


@pytest.fixture
def planted(tmp_path_factory: pytest.TempPathFactory):
    """A data directory with a secret.key outside /tmp (/tmp is private anyway)."""
    root = Path(f"/var/tmp/genie-runner-test-{os.getpid()}")
    (root / "data").mkdir(parents=True, exist_ok=True)
    (root / "data" / "secret.key").write_text("PLANTED-MASTER-KEY")
    (root / "visible").mkdir(exist_ok=True)
    (root / "visible" / "note").write_text("NOT-HIDDEN")
    yield root
    shutil.rmtree(root, ignore_errors=True)


async def test_bubblewrap_hides_genies_secrets_and_keeps_the_host_read_only(planted: Path) -> None:
    need_binary("bwrap", "bubblewrap")
    settings = DriverSettings.from_env(
        {"GENIE_DRIVERS": "os", "HOME": "/root"}, data_dir=planted / "data"
    )
    assert settings.bwrap
    _status, rec = await execute(
        plan(
            stage(
                "s",
                job("read", f"cat {planted}/data/secret.key || echo no-key"),
                job("visible", f"cat {planted}/visible/note"),
                job("root", "echo root=$(ls -A /root | wc -l) tmp=$(ls -A /tmp | wc -l)"),
                job("write", "touch /usr/genie-runner-test"),
            ),
        ),
        settings,
    )
    assert "PLANTED-MASTER-KEY" not in rec.text("read") and "no-key" in rec.text("read")
    assert "NOT-HIDDEN" in rec.text("visible")  # the same read works where nothing is hidden
    # /root is the build's empty HOME; /tmp holds only the build's own directory
    assert "root=0 tmp=1" in rec.text("root")
    assert rec.statuses()["write"] == "failed"
    assert "Read-only file system" in rec.text("write")
    assert not Path("/usr/genie-runner-test").exists()


@pytest.mark.parametrize("bwrap", [True, False], ids=["bwrap", "plain"])
async def test_nothing_a_job_starts_outlives_it(bwrap: bool) -> None:
    settings = OS if bwrap else DriverSettings(enabled=frozenset({"os"}), bwrap=None)
    marker = f"51.{os.getpid()}"
    status, _rec = await execute(
        plan(stage("s", job("bg", f"sleep {marker} &", "echo left"), job("next", "true"))),
        settings,
    )
    assert status == "passed"
    left = subprocess.run(["pgrep", "-f", f"sleep {marker}"], capture_output=True)
    assert left.stdout == b""


async def test_the_engines_socket_is_hidden() -> None:
    need_binary("bwrap", "bubblewrap")
    engine = Path(f"/var/tmp/genie-test-engine-{os.getpid()}.sock")
    other = Path(f"/var/tmp/genie-test-other-{os.getpid()}.sock")
    servers = [socket.socket(socket.AF_UNIX), socket.socket(socket.AF_UNIX)]
    try:
        for server, path in zip(servers, (engine, other), strict=True):
            server.bind(str(path))
            server.listen()
        settings = DriverSettings.from_env(
            {"GENIE_DRIVERS": "os", "DOCKER_HOST": f"unix://{engine}"}
        )
        assert {Path("/run/docker.sock"), Path("/run/postgresql")} <= set(settings.hidden_paths)
        status, rec = await execute(
            plan(
                stage(
                    "s", job("look", f"test -S {engine} || echo engine-hidden", f"test -S {other}")
                )
            ),
            settings,
        )
    finally:
        for server in servers:
            server.close()
        engine.unlink(missing_ok=True)
        other.unlink(missing_ok=True)
    assert status == "passed"  # the socket that is not hidden is there
    assert "\nengine-hidden\n" in rec.text("look")
