"""Fixtures for the runner's tests: real daemons (sshd, dockerd) started once."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import free_port

IN_CI = os.environ.get("CI", "").lower() == "true"


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


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
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
