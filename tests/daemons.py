"""Real daemons for the tests that run builds, started once a session: a private
``sshd`` and a private ``dockerd`` (the runner's tests and the live builds through
the API share them; ``tests/conftest.py`` loads this module as a plugin)."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import IN_CI, free_port


def need_binary(name: str, package: str) -> str:
    """The binary's path; without it, skip (fail under ``CI=true``)."""
    path = shutil.which(name) or (
        f"/usr/sbin/{name}" if os.path.exists(f"/usr/sbin/{name}") else None
    )
    if path:
        return path
    message = f"{name} is not installed (apt-get install {package})"
    if IN_CI:
        pytest.fail(message)
    pytest.skip(message)


def _wait_port(port: int, process: subprocess.Popen[bytes], log: Path, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"daemon exited: {log.read_text()[-2000:]}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"daemon did not listen on {port}: {log.read_text()[-2000:]}")


def _stop(process: subprocess.Popen[bytes], timeout: float = 10) -> None:
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@dataclass
class SSHServer:
    port: int
    #: The client's private key (OpenSSH format), authorised for root.
    client_key: str
    #: The server's public host key, ``ssh-ed25519 AAAA...``.
    host_key: str

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"


@pytest.fixture(scope="session")
def sshd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SSHServer]:
    """A private OpenSSH server on a loopback port: its own config, host key and
    authorized_keys; the machine's own sshd is not touched."""
    binary = need_binary("sshd", "openssh-server")
    keygen = need_binary("ssh-keygen", "openssh-client")
    root = tmp_path_factory.mktemp("sshd")
    for name in ("host", "client"):
        subprocess.run(
            [keygen, "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", str(root / name)],
            check=True,
        )
    (root / "authorized_keys").write_text((root / "client.pub").read_text())
    port = free_port()
    config = root / "sshd_config"
    config.write_text(
        f"Port {port}\nListenAddress 127.0.0.1\nHostKey {root / 'host'}\n"
        f"AuthorizedKeysFile {root / 'authorized_keys'}\nPidFile {root / 'sshd.pid'}\n"
        "PasswordAuthentication no\nKbdInteractiveAuthentication no\nStrictModes no\n"
        "UsePAM no\nPermitRootLogin prohibit-password\nSubsystem sftp internal-sftp\n"
        "MaxSessions 50\nMaxStartups 50\n"
    )
    Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)
    log = root / "sshd.log"
    process = subprocess.Popen([binary, "-D", "-f", str(config), "-E", str(log)])
    try:
        _wait_port(port, process, log)
        host_key = " ".join((root / "host.pub").read_text().split()[:2])
        yield SSHServer(port, (root / "client").read_text(), host_key)
    finally:
        _stop(process)


@dataclass
class DockerEngine:
    host: str
    #: An image built here from busybox-static (no registry is reachable).
    image: str


@pytest.fixture(scope="session")
def dockerd() -> Iterator[DockerEngine]:
    """A private docker daemon: its own socket, data root, exec root and pidfile,
    no bridge and no iptables changes; stopped by its pid at the end."""
    binary = need_binary("dockerd", "docker.io")
    busybox = shutil.which("busybox") or need_binary("busybox", "busybox-static")
    # Short paths: a unix socket path must stay under 108 bytes.
    root = Path(tempfile.mkdtemp(prefix="gdk-", dir="/var/tmp"))
    socket_path = root / "d.sock"
    log = root / "dockerd.log"
    argv = [
        binary,
        f"--host=unix://{socket_path}",
        f"--data-root={root / 'data'}",
        f"--exec-root={root / 'exec'}",
        f"--pidfile={root / 'dockerd.pid'}",
        "--bridge=none",
        "--iptables=false",
        "--ip6tables=false",
    ]
    process = subprocess.Popen(argv, stdout=log.open("wb"), stderr=subprocess.STDOUT)
    host = f"unix://{socket_path}"
    try:
        client = _wait_docker(host, process, log)
        rootfs = root / "rootfs"
        (rootfs / "bin").mkdir(parents=True)
        shutil.copy(busybox, rootfs / "bin" / "busybox")
        subprocess.run(
            [str(rootfs / "bin" / "busybox"), "--install", "-s", str(rootfs / "bin")], check=True
        )
        for link in (rootfs / "bin").iterdir():
            if link.is_symlink():  # --install links to the absolute host path: make them relative
                link.unlink()
                link.symlink_to("busybox")
        (rootfs / "tmp").mkdir(mode=0o1777)
        tar = subprocess.run(["tar", "-C", str(rootfs), "-c", "."], capture_output=True, check=True)
        image = "genie-test/busybox:1"
        client.api.import_image_from_data(tar.stdout, repository="genie-test/busybox", tag="1")
        client.close()
        yield DockerEngine(host, image)
    finally:
        _stop(process, timeout=30)  # a loaded machine makes its shutdown slow
        _stop_pidfile(root / "exec" / "containerd" / "containerd.pid")  # its own containerd
        for _ in range(5):
            shutil.rmtree(root, ignore_errors=True)
            if not root.exists():
                break
            time.sleep(1)


def _stop_pidfile(pidfile: Path) -> None:
    """SIGTERM, then SIGKILL, to the pid a daemon left in ``pidfile``, if it is
    still that daemon (its command line names the pidfile's directory)."""
    try:
        pid = int(pidfile.read_text().strip())
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except (OSError, ValueError):
        return
    if str(pidfile.parent).encode() not in cmdline:
        return
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and Path(f"/proc/{pid}").exists():
            time.sleep(0.1)


def _wait_docker(host: str, process: subprocess.Popen[bytes], log: Path):  # type: ignore[no-untyped-def]
    import docker

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"dockerd exited: {log.read_text()[-3000:]}")
        try:
            client = docker.DockerClient(base_url=host, version="auto")
            client.ping()
            return client
        except Exception:
            time.sleep(0.2)
    raise RuntimeError(f"dockerd did not answer: {log.read_text()[-3000:]}")
