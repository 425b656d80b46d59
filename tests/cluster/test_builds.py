"""Builds across the cluster: a cron entry fires exactly once while both workers
run a scheduler, and a build submitted through one node is killed through the
other within 2 s (the kill reaches the worker running it over LISTEN/NOTIFY)."""

from __future__ import annotations

import secrets
import time
from typing import Any

from genie.cluster import WORKERS
from tests.cluster.conftest import Topology, wait_for

SLEEPER = """\
driver:
  type: os
stages: [wait]
jobs:
- stage: wait
  commands:
  - echo started
  - sleep 60
"""

QUICK = """\
driver:
  type: os
stages: [one]
jobs:
- stage: one
  commands:
  - echo hi
"""

ENDED = ("passed", "passed_with_failures", "failed", "killed", "timed_out")


def _listening(topology: Topology, worker: str) -> bool:
    """Whether ``worker`` started its jobs loop (its LISTEN connection is up; its
    scheduler was started just before)."""
    pid = topology.cluster.members[worker].pid
    name = f"genie-listen-{pid}"
    return bool(topology.rows("SELECT 1 FROM pg_stat_activity WHERE application_name = %s", name))


def test_a_cron_entry_fires_exactly_once(topology: Topology) -> None:
    """Both workers are restarted at once with the entries due: each scheduler fires
    what is due as it starts, so the two race for every entry."""
    names = [f"once-{secrets.token_hex(3)}-{i}" for i in range(8)]
    with topology.client() as client:
        for name in names:
            made = client.post("/cron", json={"name": name, "manifest": QUICK})
            assert made.status_code == 201, made.text
    ids = [row[0] for row in topology.rows("SELECT id FROM cron WHERE name = ANY(%s)", names)]
    assert len(ids) == len(names)
    for worker in WORKERS:
        topology.cluster.kill(worker)
    topology.rows(
        "UPDATE cron SET next_run = now() - interval '1 minute' WHERE id = ANY(%s) RETURNING id",
        ids,
    )
    for worker in WORKERS:
        topology.cluster.revive(worker)
    for worker in WORKERS:
        wait_for(lambda w=worker: _listening(topology, w), 30, f"{worker} started")
    count = "SELECT cron_id, count(*) FROM cron_builds WHERE cron_id = ANY(%s) GROUP BY cron_id"
    wait_for(lambda: len(topology.rows(count, ids)) == len(ids), 30, "every entry fired")
    time.sleep(2)  # a second firing would come now, if at all
    assert sorted(topology.rows(count, ids)) == sorted((i, 1) for i in ids)
    statuses = "SELECT b.status FROM builds b JOIN cron_builds c ON c.build_id = b.id"
    wait_for(
        lambda: (
            {s for (s,) in topology.rows(statuses + " WHERE c.cron_id = ANY(%s)", ids)}
            == {"passed"}
        ),
        60,
        "the fired builds passed",
    )


def _status(topology: Topology, build: dict[str, Any]) -> str:
    with topology.client() as client:
        got = client.get(f"/b/{build['user']['username']}/{build['number']}")
    assert got.status_code == 200, got.text
    status: str = got.json()["status"]
    return status


def _started(topology: Topology, build: dict[str, Any]) -> bool:
    url = f"/b/{build['user']['username']}/{build['number']}/jobs/wait.1"
    with topology.client() as client:
        job = client.get(url).json()
    return job.get("status") == "running" and "started" in (job.get("output") or "")


def test_a_build_submitted_on_one_node_is_killed_through_the_other_within_2_s(
    topology: Topology,
) -> None:
    with topology.client("a") as node_a:
        made = node_a.post("/builds", json={"manifest": SLEEPER})
    assert made.status_code == 201, made.text
    assert topology.served_by(made) == "a"
    build = made.json()
    wait_for(lambda: _started(topology, build), 30, "the build running")
    with topology.client("b") as node_b:
        asked = time.monotonic()
        killed = node_b.delete(f"/b/{build['user']['username']}/{build['number']}")
    assert killed.status_code == 204, killed.text
    assert topology.served_by(killed) == "b"
    wait_for(lambda: _status(topology, build) in ENDED, 10, "the build ended")
    took = time.monotonic() - asked
    print(f"\ncluster kill: submitted on a, killed through b, ended {took:.2f} s later")
    assert _status(topology, build) == "killed"
    assert took <= 2.0
