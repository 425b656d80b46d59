"""The engine on the ``os`` driver: real processes, real bubblewrap."""

from __future__ import annotations

import asyncio
import os
import subprocess
import time
from dataclasses import replace
from pathlib import Path

import pytest

from genie.runner import DriverSettings, KeyFile, Limits
from tests.runner.helpers import execute, job, obj, plan, stage

OS = DriverSettings(enabled=frozenset({"os"}), hidden_paths=())


async def test_statuses_stop_after_failure_and_siblings_still_run() -> None:
    status, rec = await execute(
        plan(
            stage("build", job("ok", "true"), job("bad", "echo one", "false", "echo two")),
            stage("build2", job("sibling", "echo ran")),
        ),
        OS,
    )
    # stage "build" fails; its jobs all ran; the next stage never does
    assert status == "failed"
    assert rec.statuses() == {
        "create-driver": "passed",
        "ok": "passed",
        "bad": "failed",
        "sibling": "failed",
    }
    assert "one" in rec.text("bad") and "two" not in rec.text("bad").replace("+ echo two", "")
    assert "exit status 1" in rec.text("bad")
    assert rec.text("sibling") == "Not run: stage build failed\n"
    assert ("started", "sibling") not in rec.events


async def test_jobs_of_a_failing_stage_all_run() -> None:
    status, rec = await execute(plan(stage("s", job("a", "false"), job("b", "echo b"))), OS)
    assert status == "failed"
    assert rec.statuses()["b"] == "passed"


async def test_an_allowed_failure_passes_with_failures_and_later_stages_run() -> None:
    status, rec = await execute(
        plan(stage("lint", job("l", "exit 3"), can_fail=True), stage("test", job("t", "true"))),
        OS,
    )
    assert status == "passed_with_failures"
    assert rec.statuses() == {"create-driver": "passed", "l": "failed", "t": "passed"}


async def test_all_passing() -> None:
    status, rec = await execute(plan(stage("s", job("a", "true"))), OS)
    assert status == "passed"
    assert [e for e in rec.events if e[0] != "output"] == [
        ("started", "create-driver"),
        ("finished", "create-driver", "passed"),
        ("started", "a"),
        ("finished", "a", "passed"),
    ]


async def test_the_environment_is_cleared_then_the_builds_variables_in_order() -> None:
    os.environ["GENIE_RUNNER_TEST_LEAK"] = "visible"
    try:
        status, rec = await execute(
            plan(
                stage("s", job("env", "env")),
                env=[("A", "personal"), ("B", "ns"), ("A", "manifest")],
            ),
            OS,
        )
    finally:
        del os.environ["GENIE_RUNNER_TEST_LEAK"]
    assert status == "passed"
    lines = [line for line in rec.text("env").splitlines() if "=" in line and "+" not in line]
    env = dict(line.split("=", 1) for line in lines)
    assert env["A"] == "manifest" and env["B"] == "ns"
    assert env["PATH"].startswith("/usr/local/sbin:")
    assert set(env) <= {"A", "B", "PATH", "HOME", "PWD", "OLDPWD", "SHLVL", "_"}


async def test_keys_and_objects_are_placed() -> None:
    keys = [KeyFile("id_one", "KEY ONE\n", "Host one\n  User git"), KeyFile("id_two", "K2", "")]
    status, rec = await execute(
        plan(
            stage(
                "s",
                job(
                    "look",
                    "stat -c '%a %n' ~/.ssh/id_one ~/.ssh/config",
                    "cat ~/.ssh/id_one ~/.ssh/config",
                    "cat sub/data.bin top.txt",
                ),
            ),
            keys=keys,
            objects=[obj("data", "sub/data.bin", b"DATA-1\n"), obj("top", "top.txt", b"T\n")],
        ),
        OS,
    )
    assert status == "passed", rec.text("look") + rec.text("create-driver")
    text = rec.text("look")
    assert "600 " in text and "/.ssh/id_one" in text and "/.ssh/config" in text
    assert "KEY ONE\nHost one\n  User git\n" in text
    assert "DATA-1\nT\n" in text
    assert "Placing object data => sub/data.bin" in rec.text("create-driver")


async def test_an_object_outside_the_workspace_fails_creation_and_is_masked() -> None:
    status, rec = await execute(
        plan(
            stage("s", job("never", "true")),
            secrets=["hunter22"],
            objects=[obj("o", "../hunter22", b"x")],
        ),
        OS,
    )
    assert status == "failed"
    assert rec.statuses() == {"create-driver": "failed", "never": "failed"}
    driver = rec.text("create-driver")
    assert "outside the workspace" in driver and "hunter22" not in driver and "xxxxxx" in driver
    assert rec.text("never") == "Not run: the driver could not be created\n"


async def test_masked_values_never_show_in_job_output() -> None:
    secret = "s3cr3t-\nvalue"
    status, rec = await execute(
        plan(
            stage("s", job("leak", 'printf "%s|%s" "$V" "$V"', 'echo "$V" | od -c | head -1')),
            env=[("V", secret)],
            secrets=[secret],
        ),
        OS,
    )
    assert status == "passed"
    assert "s3cr3t" not in rec.text("leak")
    assert "xxxxxx|xxxxxx" in rec.text("leak")


async def test_artifacts_from_passing_failing_and_missing() -> None:
    status, rec = await execute(
        plan(
            stage(
                "s",
                job("a", "echo alpha > a.txt", artifacts=[("a.txt", "a")]),
                job(
                    "b",
                    "mkdir -p out && printf beta > out/b.bin",
                    "ln -s /etc/hostname link",
                    "false",
                    artifacts=[("out/b.bin", "b"), ("nothing", "n"), ("link", "l"), ("out", "d")],
                ),
            ),
        ),
        OS,
    )
    assert status == "failed"
    assert rec.artifacts == {"a": b"alpha\n", "b": b"beta", "n": None, "l": None, "d": None}
    assert "artifact error: nothing: no such file" in rec.text("b")
    # each job's artifacts come before it finishes
    order = [e for e in rec.events if e[0] in ("artifact", "finished")]
    assert order.index(("artifact", "b", "b")) < order.index(("finished", "b", "failed"))


async def test_output_is_readable_within_a_second_and_batched() -> None:
    status, rec = await execute(
        plan(stage("s", job("slow", "echo first", "sleep 2", "echo second"))), OS
    )
    assert status == "passed"
    first = next(t for t, text in rec.outputs["slow"] if "first" in text)
    assert first - rec.started["slow"] < 1.0
    assert "second" in rec.text("slow")


async def test_throughput_is_within_a_second_of_a_plain_shell() -> None:
    script = "set -ex\nseq 1 50000\n"
    began = time.monotonic()
    shell = subprocess.run(["/bin/sh", "-c", script], capture_output=True, check=True)
    baseline = time.monotonic() - began
    status, rec = await execute(plan(stage("s", job("seq", "seq 1 50000"))), OS)
    took = rec.ended["seq"] - rec.started["seq"]  # the job, from start to finish
    assert status == "passed"
    assert rec.text("seq").endswith("49999\n50000\n")
    assert rec.text("seq").count("\n") == shell.stdout.count(b"\n") + 1
    assert len(rec.outputs["seq"]) < 20  # batched, not a call per line
    assert took < baseline + 1.0, (took, baseline)


async def test_output_past_the_cap_is_drained_not_kept() -> None:
    limits = Limits(timeout=60, output_max=1000)
    status, rec = await execute(
        plan(
            stage("s", job("loud", "head -c 50000000 /dev/zero | tr '\\0' a", "echo done")),
            limits=limits,
        ),
        OS,
    )
    assert status == "passed"
    text = rec.text("loud")
    assert text.count("output truncated") == 1
    assert len(text.encode()) < 1200


@pytest.mark.parametrize("bwrap", [True, False], ids=["bwrap", "plain"])
async def test_kill_stops_the_process_group_within_two_seconds(bwrap: bool) -> None:
    settings = OS if bwrap else DriverSettings(enabled=frozenset({"os"}), bwrap=None)
    marker = f"31.{os.getpid()}"
    kill = asyncio.Event()
    p = plan(
        stage(
            "s",
            job("k", f"sh -c 'trap \"\" TERM; sleep {marker}' &", f"sleep {marker}"),
            job("after", "true"),
        ),
        stage("later", job("l", "true")),
    )
    task = asyncio.create_task(execute(p, settings, kill))
    await asyncio.sleep(1.0)
    began = time.monotonic()
    kill.set()
    status, rec = await task
    assert time.monotonic() - began < 2.0
    assert status == "killed"
    assert rec.statuses() == {
        "create-driver": "passed",
        "k": "killed",
        "after": "killed",
        "l": "killed",
    }
    assert rec.text("l") == "Not run: the build was killed\n"
    assert "Killed" in rec.text("k")
    left = subprocess.run(["pgrep", "-f", f"sleep {marker}"], capture_output=True)
    assert left.stdout == b""


async def test_timeout_ends_the_build_timed_out() -> None:
    began = time.monotonic()
    status, rec = await execute(
        plan(stage("s", job("t", "sleep 30")), limits=Limits(timeout=1.0, output_max=10000)), OS
    )
    assert time.monotonic() - began < 3.0
    assert status == "timed_out"
    assert rec.statuses()["t"] == "timed_out"
    assert "Timed out" in rec.text("t")


async def test_a_timeout_of_0_is_no_limit() -> None:
    """As for GENIE_BUILD_CPU and the other limits (it once timed every build out
    before its first job)."""
    limits = Limits(timeout=0, output_max=10000)
    status, rec = await execute(
        plan(stage("s", job("t", "sleep 0.3; echo done")), limits=limits), OS
    )
    assert status == "passed"
    assert "done" in rec.text("t")


async def test_a_later_job_named_create_driver_is_an_ordinary_job() -> None:
    status, rec = await execute(plan(stage("s", job("create-driver", "echo mine"))), OS)
    assert status == "passed"
    assert "mine" in rec.text("create-driver") and "Running with driver os" in rec.text(
        "create-driver"
    )
    assert rec.events.count(("started", "create-driver")) == 2
    assert rec.events.count(("finished", "create-driver", "passed")) == 2


async def test_without_a_create_driver_job_the_first_job_creates_the_driver() -> None:
    p = plan(stage("s", job("first", "echo one"), job("second", "echo two")))
    p = replace(p, stages=p.stages[1:])
    status, rec = await execute(p, OS)
    assert status == "passed"
    assert "Running with driver os" in rec.text("first") and "one" in rec.text("first")
    assert rec.statuses() == {"first": "passed", "second": "passed"}


async def test_qemu_and_drivers_not_enabled_are_refused() -> None:
    status, rec = await execute(plan(stage("s", job("a", "true")), driver="qemu"), OS)
    assert status == "failed"
    assert "driver error: qemu-x86_64 - driver disabled" in rec.text("create-driver")
    status, rec = await execute(plan(stage("s", job("a", "true"))), DriverSettings())
    assert status == "failed"
    assert "driver error: os - driver disabled" in rec.text("create-driver")
    assert rec.statuses() == {"create-driver": "failed", "a": "failed"}


async def test_the_workspace_is_removed_after_the_build() -> None:
    _status, rec = await execute(plan(stage("s", job("pwd", "pwd"))), OS)
    workspace = rec.text("pwd").splitlines()[-1]
    assert workspace.endswith("/workspace")
    assert not Path(workspace).exists()


async def test_the_not_run_line_is_masked_too() -> None:
    status, rec = await execute(
        plan(
            stage("hunter22-stage", job("a", "false")),
            stage("b", job("b", "true")),
            secrets=["hunter22-stage"],
        ),
        OS,
    )
    assert status == "failed"
    assert rec.text("b") == "Not run: stage xxxxxx failed\n"
