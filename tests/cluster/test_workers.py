"""Two workers share one queue: a webhook is delivered once, and a job whose
worker is killed is taken by the other once its lease runs out. (Builds and cron
across the cluster: ``test_builds.py``.)"""

from __future__ import annotations

import secrets
from pathlib import Path

from genie.cluster import WORKERS
from tests.cluster.conftest import LEASE, Delivery, Receiver, Topology, wait_for


def _hooked_namespace(topology: Topology, receiver: Receiver) -> tuple[str, int]:
    """A namespace whose webhook posts ``objects`` events to ``receiver``; its
    name and the webhook's id."""
    name = f"hooks{secrets.token_hex(3)}"
    with topology.client() as client:
        assert client.post("/namespaces", json={"name": name}).status_code == 201
        hook = {"payload_url": receiver.url, "events": ["objects"]}
        made = client.post(f"/n/ops/{name}/-/webhooks", json=hook)
    assert made.status_code == 201, made.text
    return name, int(made.json()["id"])


def _fire(topology: Topology, namespace: str) -> int:
    """Upload an object into ``namespace`` (an ``objects`` event); the job's id."""
    with topology.client() as client:
        made = client.post(
            "/objects", params={"name": namespace, "namespace": namespace}, content=b"x"
        )
    assert made.status_code == 201, made.text
    [(job_id,)] = topology.rows("SELECT max(id) FROM jobs WHERE kind = 'webhook.deliver'")
    return int(job_id)


def _socket_inode(local_port: int, remote_port: int) -> str:
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            local, remote = (int(f.rsplit(":", 1)[1], 16) for f in fields[1:3])
            if (local, remote) == (local_port, remote_port):
                return fields[9]
    raise AssertionError(f"no connection from port {local_port} to {remote_port}")


def _sender(topology: Topology, delivery: Delivery, receiver: Receiver) -> str:
    """The worker whose socket sent ``delivery`` (still open: the receiver holds it)."""
    link = f"socket:[{_socket_inode(delivery.peer[1], receiver.port)}]"
    for worker in WORKERS:
        pid = topology.cluster.members[worker].pid
        if pid is not None and any(
            fd.readlink().as_posix() == link for fd in Path(f"/proc/{pid}/fd").iterdir()
        ):
            return worker
    raise AssertionError(f"no worker holds {link}")


def test_a_webhook_is_delivered_exactly_once(topology: Topology, receiver: Receiver) -> None:
    namespace, hook_id = _hooked_namespace(topology, receiver)
    job_id = _fire(topology, namespace)
    wait_for(lambda: bool(receiver.deliveries), 15, "the delivery")
    wait_for(lambda: not topology.rows("SELECT id FROM jobs WHERE id = %s", job_id), 10, "done")
    # Both workers poll every second: each has a few more chances to deliver again.
    assert _settled(receiver)
    [delivery] = receiver.deliveries
    assert delivery.headers["x-djinn-ci-hook-id"] == str(hook_id)
    assert delivery.headers["x-djinn-ci-event"] == "objects"


def _settled(receiver: Receiver, seconds: float = 3.0) -> bool:
    """Whether no other delivery arrives within ``seconds``."""
    count = len(receiver.deliveries)
    try:
        wait_for(lambda: len(receiver.deliveries) > count, seconds, "another delivery")
    except AssertionError:
        return True
    return False


def test_a_killed_workers_job_is_taken_by_the_other_after_the_lease(
    topology: Topology, receiver: Receiver
) -> None:
    receiver.hold = 2  # both attempts stay open until identified
    namespace, _hook_id = _hooked_namespace(topology, receiver)
    job_id = _fire(topology, namespace)
    wait_for(lambda: bool(receiver.deliveries), 15, "the first attempt")
    first = receiver.deliveries[0]
    killed = _sender(topology, first, receiver)
    other = next(w for w in WORKERS if w != killed)
    topology.cluster.kill(killed)
    try:
        assert topology.rows("SELECT state, attempts FROM jobs WHERE id = %s", job_id) == [
            ("running", 1)
        ]
        wait_for(lambda: len(receiver.deliveries) > 1, LEASE + 15, "the second attempt")
        second = receiver.deliveries[1]
        assert _sender(topology, second, receiver) == other
        assert second.at - first.at >= LEASE - 0.5  # not before the lease ran out
        assert second.body == first.body
        assert topology.rows("SELECT state, attempts FROM jobs WHERE id = %s", job_id) == [
            ("running", 2)
        ]
        receiver.release.set()
        wait_for(lambda: not topology.rows("SELECT id FROM jobs WHERE id = %s", job_id), 10, "done")
        assert _settled(receiver) and len(receiver.deliveries) == 2
    finally:
        receiver.release.set()
        topology.cluster.revive(killed)
