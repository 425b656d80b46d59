"""Two API nodes behind nginx: any node serves any file, and a node killed
mid-upload leaves nothing half-made (its multipart upload is aborted by a worker
once the lease runs out) while the other keeps serving."""

from __future__ import annotations

import hashlib
import itertools
import os
import secrets
import threading
from collections.abc import Iterator

import httpx

from tests.cluster.conftest import LEASE, Topology, wait_for

MiB = 1024 * 1024


def test_nginx_sends_requests_to_both_nodes_in_turn(topology: Topology) -> None:
    with topology.client() as client:
        served = [topology.served_by(client.get("/objects")) for _ in range(6)]
    assert sorted(set(served)) == ["a", "b"]
    assert all(first != second for first, second in itertools.pairwise(served))


def test_a_file_uploaded_through_one_node_downloads_through_the_other(topology: Topology) -> None:
    data = os.urandom(10 * MiB + 123)  # more than a part: a multipart upload
    name = f"across-{secrets.token_hex(3)}"
    with topology.client("a") as node_a:
        made = node_a.post("/objects", params={"name": name}, content=data)
    assert made.status_code == 201, made.text
    assert topology.served_by(made) == "a"
    assert made.json()["sha256"] == hashlib.sha256(data).hexdigest()
    url = f"/objects/{made.json()['id']}"
    raw_type = {"Accept": "application/octet-stream"}
    with topology.client("b") as node_b:
        raw = node_b.get(url, headers=raw_type)
        part = node_b.get(url, headers={**raw_type, "Range": "bytes=5-9"})
        again = node_b.get(url, headers={**raw_type, "If-None-Match": raw.headers["ETag"]})
    assert raw.status_code == 200 and topology.served_by(raw) == "b"
    assert raw.content == data
    assert (part.status_code, part.content) == (206, data[5:10])
    assert again.status_code == 304


class HeldUpload:
    """A slow upload through node ``a``: it sends ``before`` MiB, waits for
    :attr:`go_on`, then sends the rest."""

    def __init__(self, topology: Topology, name: str, before: int, total: int) -> None:
        self.sent = threading.Event()
        self.go_on = threading.Event()
        self.outcome: httpx.Response | httpx.HTTPError | None = None
        self._args = (topology, name, before, total)
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _body(self, before: int, total: int) -> Iterator[bytes]:
        chunk = os.urandom(MiB)
        for sent in range(total):
            if sent == before:
                self.sent.set()
                self.go_on.wait(60)
            yield chunk

    def _run(self) -> None:
        topology, name, before, total = self._args
        try:
            with topology.client("a", timeout=60) as client:
                body = self._body(before, total)
                self.outcome = client.post("/objects", params={"name": name}, content=body)
        except httpx.HTTPError as exc:
            self.outcome = exc


def test_a_node_killed_mid_upload_leaves_nothing_and_the_other_keeps_serving(
    topology: Topology,
) -> None:
    objects_before = topology.files.objects()
    name = f"killed-{secrets.token_hex(3)}"
    upload = HeldUpload(topology, name, before=24, total=64)
    try:
        assert upload.sent.wait(60)
        # Parts are in S3: the node is inside a multipart upload.
        wait_for(lambda: bool(topology.files.staged()), 30, "a multipart upload under way")
        topology.cluster.kill("node-a")
        upload.go_on.set()
        upload.thread.join(60)
        outcome = upload.outcome
        assert isinstance(outcome, httpx.HTTPError) or outcome.status_code == 502, outcome
        with topology.client() as client:
            answers = [client.get("/objects", params={"search": name}) for _ in range(6)]
        assert [a.status_code for a in answers] == [200] * 6
        assert {topology.served_by(a) for a in answers} == {"b"}
        assert all(a.json() == [] for a in answers)
        assert topology.rows("SELECT id FROM objects WHERE name = %s", name) == []
        assert topology.files.objects() == objects_before
        # Its multipart upload outlives it until the lease runs out; then a worker
        # aborts it (genie.uploads).
        wait_for(lambda: not topology.files.staged(), LEASE + 10, "the upload aborted")
        assert topology.rows("SELECT id FROM jobs WHERE kind = 'storage.abort_upload'") == []
    finally:
        upload.go_on.set()
        topology.cluster.revive("node-a")
    with topology.client("a") as node_a:
        assert topology.served_by(node_a.get("/objects")) == "a"
