"""``scripts/cluster`` itself: the suite's topology is its ``start`` (and its
``stop`` ends the suite, checked in the ``topology`` fixture); here, what it
reports and what it refuses."""

from __future__ import annotations

import stat
from pathlib import Path

from tests.cluster.conftest import Topology, cluster_script


def test_scripts_cluster_reports_every_member_and_refuses_a_second_start(
    topology: Topology, project_root: Path
) -> None:
    cluster = topology.cluster
    root = str(cluster.root)
    status = cluster_script(project_root, "status", "--dir", root)
    assert status.returncode == 0, status.stderr
    assert cluster.url in status.stdout
    assert all(f"pid {m.pid}" in status.stdout for m in cluster.members.values())
    env = cluster.root / "env"
    assert stat.S_IMODE(env.stat().st_mode) == 0o600
    assert "GENIE_SECRET_KEY=" in env.read_text() and "GENIE_JOB_LEASE=" in env.read_text()
    again = cluster_script(project_root, "start", "--dir", root)
    assert again.returncode == 1 and "already runs" in again.stderr


def test_scripts_cluster_refuses_what_is_not_a_genie_setting(project_root: Path) -> None:
    refused = cluster_script(project_root, "start", "--set", "PATH=/tmp")
    assert refused.returncode == 2 and "not GENIE_NAME=VALUE" in refused.stderr
