"""A whole genie cluster on one machine, for trying the topology out and for
``tests/cluster/``: ``scripts/cluster start|status|stop`` runs this module.

It starts, each as a process of its own with its log in the cluster's folder:

* **nginx** (Debian's package), not as the system service: ``daemon off`` with its
  own prefix, configuration and pid file in the folder, on one loopback port, a
  round-robin upstream of the two API nodes. A request carrying
  ``X-Genie-Node: a`` (or ``b``) goes to that node only; every response names the
  node that answered in ``X-Genie-Upstream``;
* two ``genie serve`` API nodes, ``node-a`` and ``node-b``, with
  ``GENIE_JOBS_WORKER=0``;
* two ``genie worker`` processes, ``worker-1`` and ``worker-2``;
* moto's S3 in server mode (``python -m moto.server``; moto is a test dependency),
  with one bucket; every file goes to ``s3://<bucket>/cluster``;
* and uses the machine's PostgreSQL (``GENIE_CLUSTER_PG``, default
  ``postgresql://postgres@127.0.0.1:5432``): a fresh database, dropped on stop.

Every process gets the same settings (:meth:`Cluster.environ`), the same
generated ``GENIE_SECRET_KEY`` among them (kept in the folder, mode 600, and in
its ``env`` file, which a shell can source to run ``genie`` commands against the
cluster). ``stop`` ends each process by the pid it recorded, after checking that
the pid is still the one it started (its environment names the cluster's
folder), then drops the database.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import httpx
import psycopg2
from psycopg2 import sql

from genie import migrate
from genie.cluster.nginx import NODE_HEADER, UPSTREAM_HEADER, nginx_config

__all__ = [
    "NODE_HEADER",
    "UPSTREAM_HEADER",
    "Cluster",
    "ClusterError",
    "Member",
    "load",
    "pg_admin",
    "plan",
]

PG_SERVER = os.environ.get("GENIE_CLUSTER_PG", "postgresql://postgres@127.0.0.1:5432")
NODES = ("a", "b")
WORKERS = ("worker-1", "worker-2")
STATE_FILE = "cluster.json"
START_TIMEOUT = 60.0
STOP_TIMEOUT = 30.0
#: Marks every process of a cluster in its environment, so a stale pid is never killed.
MARK = "GENIE_CLUSTER"


class ClusterError(RuntimeError):
    """The cluster could not be started, or is not running."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Member:
    """One process of the cluster: how to start it, and its pid once started."""

    name: str
    argv: list[str]
    port: int
    pid: int | None = None


@dataclass
class Cluster:
    root: Path
    database: str
    bucket: str
    port: int
    members: dict[str, Member]
    pg_server: str = PG_SERVER
    #: More settings for every genie process (e.g. ``GENIE_JOB_LEASE`` in tests).
    extra: dict[str, str] = field(default_factory=dict)
    _children: dict[str, subprocess.Popen[bytes]] = field(
        default_factory=dict, repr=False, compare=False
    )

    @property
    def nodes(self) -> tuple[str, ...]:
        """The API nodes' names (``a``, ``b``)."""
        return tuple(n.removeprefix("node-") for n in self.members if n.startswith("node-"))

    @property
    def url(self) -> str:
        """nginx: the cluster's one public address."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def database_url(self) -> str:
        return f"{self.pg_server}/{self.database}"

    @property
    def s3_endpoint(self) -> str:
        return f"http://127.0.0.1:{self.members['s3'].port}"

    def node_address(self, node: str) -> str:
        """What ``X-Genie-Upstream`` says when ``node`` answered."""
        return f"127.0.0.1:{self.members[f'node-{node}'].port}"

    def environ(self) -> dict[str, str]:
        """The settings every genie process of the cluster runs with."""
        return {
            **os.environ,
            MARK: str(self.root),
            "GENIE_DATABASE_URL": self.database_url,
            "GENIE_SECRET_KEY": (self.root / "secret.key").read_text().strip(),
            "GENIE_STORAGE_URL": f"s3://{self.bucket}/cluster",
            "GENIE_S3_ENDPOINT_URL": self.s3_endpoint,
            "AWS_ACCESS_KEY_ID": "cluster",
            "AWS_SECRET_ACCESS_KEY": "cluster-moto",
            "AWS_REGION": "us-east-1",
            "GENIE_BASE_URL": self.url,
            "GENIE_JOBS_WORKER": "0",
            "GENIE_LOG_FORMAT": "json",
            **self.extra,
        }

    def genie(self, *args: str) -> str:
        """Run the ``genie`` command line against the cluster; its stdout."""
        argv = [sys.executable, "-m", "genie", *args]
        done = subprocess.run(  # noqa: S603 - our own interpreter and module
            argv, env=self.environ(), capture_output=True, text=True, timeout=60, check=True
        )
        return done.stdout.strip()

    def log(self, name: str) -> Path:
        return self.root / f"{name}.log"

    def spawn(self, name: str) -> None:
        """Start member ``name`` (again), its output appended to its log."""
        member = self.members[name]
        environ = self.environ() if name != "s3" else {**os.environ, MARK: str(self.root)}
        environ["GENIE_DATA_DIR"] = str(self.root / "data" / name)
        with self.log(name).open("ab") as log:
            child = subprocess.Popen(  # noqa: S603 - argv of our own making
                member.argv,
                env=environ,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        member.pid = child.pid
        self._children[name] = child

    def alive(self, name: str) -> bool:
        """Whether member ``name`` runs (and is still this cluster's process)."""
        pid = self.members[name].pid
        child = self._children.get(name)
        if child is not None and child.pid == pid:
            # Our own child: its pid cannot be reused before we reap it.
            return child.poll() is None
        return pid is not None and _ours(pid, self.root)

    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        """Send ``sig`` to member ``name`` by its pid."""
        pid = self.members[name].pid
        if pid is not None and self.alive(name):
            os.kill(pid, sig)
        if sig == signal.SIGKILL:
            self._reap(name, STOP_TIMEOUT)

    def _reap(self, name: str, timeout: float) -> bool:
        """Wait until member ``name`` is gone; False when it outlives ``timeout``."""
        deadline = time.monotonic() + timeout
        while self.alive(name):
            if time.monotonic() > deadline:
                return False
            time.sleep(0.05)
        self.members[name].pid = None
        return True

    def wait_ready(self, name: str, url: str, path: str = "/readyz") -> None:
        """Until ``url + path`` answers 200; ClusterError when ``name`` dies first."""
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if not self.alive(name):
                raise ClusterError(f"{name} exited; see {self.log(name)}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(url + path, timeout=2).status_code == 200:
                    return
            time.sleep(0.1)
        raise ClusterError(f"{name} did not answer {path} in {START_TIMEOUT:.0f} s")

    def revive(self, name: str) -> None:
        """Start a stopped or killed member again, on its port, and wait for it."""
        self.spawn(name)
        if name.startswith("node-"):
            self.wait_ready(name, f"http://127.0.0.1:{self.members[name].port}")
        self.save()

    def save(self) -> None:
        state = {
            "root": str(self.root),
            "database": self.database,
            "bucket": self.bucket,
            "port": self.port,
            "members": {name: asdict(member) for name, member in self.members.items()},
            "pg_server": self.pg_server,
            "extra": self.extra,
        }
        (self.root / STATE_FILE).write_text(json.dumps(state, indent=2) + "\n")

    def start(self) -> None:
        """Start every member (S3 and the API nodes first, nginx last)."""
        try:
            self._start()
        except BaseException:
            self.stop()
            raise

    def _start(self) -> None:
        create = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(self.database))
        pg_admin(self.pg_server, create)
        self.save()
        migrate.upgrade(self.database_url)
        self.spawn("s3")
        self.wait_ready("s3", self.s3_endpoint, "/")
        httpx.put(f"{self.s3_endpoint}/{self.bucket}", timeout=10).raise_for_status()
        for name in self.members:
            if name.startswith(("node-", "worker-")):
                self.spawn(name)
        for node in self.nodes:
            self.wait_ready(f"node-{node}", f"http://127.0.0.1:{self.members[f'node-{node}'].port}")
        (self.root / "nginx.conf").write_text(nginx_config(self))
        self.spawn("nginx")
        self.wait_ready("nginx", self.url)
        self.save()

    def stop(self) -> None:
        """End every member by its pid (SIGTERM, then SIGKILL after
        :data:`STOP_TIMEOUT`), then drop the database."""
        order = ["nginx", *(n for n in self.members if n.startswith("node-"))]
        order += [n for n in self.members if n not in order and n != "s3"] + ["s3"]
        for name in order:
            if self.alive(name):
                os.kill(self.members[name].pid or 0, signal.SIGTERM)
        for name in order:
            if not self._reap(name, STOP_TIMEOUT):
                self.kill(name)
        with contextlib.suppress(psycopg2.Error):
            pg_admin(
                self.pg_server,
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                    sql.Identifier(self.database)
                ),
            )
        (self.root / STATE_FILE).unlink(missing_ok=True)


def _ours(pid: int, root: Path) -> bool:
    """Whether ``pid`` is this cluster's (not a reused pid, not a zombie): its
    environment has the cluster's mark, or (nginx, which writes its title over
    its environment) its command line names the cluster's folder."""
    try:
        environ = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False
    return f"{MARK}={root}".encode() in environ or f" {root}/".encode() in cmdline


def pg_admin(server: str, statement: sql.Composable) -> None:
    """Run ``statement`` on ``server``'s ``postgres`` database, outside a transaction."""
    conn = psycopg2.connect(f"{server}/postgres", connect_timeout=5)
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            cur.execute(statement)
    finally:
        conn.close()


def nginx_binary() -> str:
    found = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/usr/local/sbin")
    if found is None:
        raise ClusterError("nginx is not installed (Debian: apt-get install nginx)")
    return found


def _members(root: Path, log_level: str) -> dict[str, Member]:
    genie = [sys.executable, "-m", "genie"]
    s3_port = free_port()
    moto = [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(s3_port)]
    nginx = [nginx_binary(), "-p", str(root / "nginx"), "-c", str(root / "nginx.conf")]
    members = {
        "s3": Member("s3", moto, s3_port),
        "nginx": Member("nginx", [*nginx, "-e", str(root / "nginx" / "error.log")], 0),
    }
    for node in NODES:
        port = free_port()
        argv = [*genie, "serve", "--port", str(port), "--log-level", log_level]
        members[f"node-{node}"] = Member(f"node-{node}", argv, port)
    for worker in WORKERS:
        members[worker] = Member(worker, [*genie, "worker", "--log-level", log_level], 0)
    return members


def plan(
    root: Path,
    extra: dict[str, str] | None = None,
    pg_server: str = PG_SERVER,
    log_level: str = "info",
) -> Cluster:
    """A cluster to start in ``root`` (created; it holds the secret key from now).
    ``log_level`` is the genie processes' (``warning`` drops the access lines)."""
    root.mkdir(parents=True, exist_ok=True)
    key = root / "secret.key"
    key.touch(mode=0o600)
    key.write_text(secrets.token_urlsafe(48) + "\n")
    suffix = secrets.token_hex(4)
    return Cluster(
        root=root,
        database=f"genie_cluster_{suffix}",
        bucket=f"genie-cluster-{suffix}",
        port=free_port(),
        members=_members(root, log_level),
        pg_server=pg_server,
        extra=dict(extra or {}),
    )


def load(root: Path) -> Cluster:
    """The cluster started in ``root``; ClusterError when none is."""
    try:
        state = json.loads((root / STATE_FILE).read_text())
    except (OSError, ValueError):
        raise ClusterError(f"no cluster runs from {root}") from None
    members = {name: Member(**member) for name, member in state.pop("members").items()}
    return Cluster(**{**state, "root": Path(state["root"]), "members": members})
