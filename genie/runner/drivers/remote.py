"""The ``ssh`` driver: jobs run on another machine, reached with the build's keys.

Driver keys: ``address`` (``host``, ``host:port`` or ``[v6]:port``), ``user``
(default ``root``) and ``known_hosts`` (one or more ``known_hosts`` lines; a bare
``ssh-ed25519 AAAA...`` key matches any host name). With ``known_hosts`` the
host key is verified and a mismatch fails the build; without it any host key is
accepted and its fingerprint is written into the create-driver output, so the
build's record says which machine ran it.

The build lives in a fresh remote ``mktemp -d`` directory (``workspace/``,
``home/`` with ``.ssh``, ``scripts/``), placed over SFTP and removed at the end;
nothing is written into the remote user's own home. Each job is
``sh <script>`` with the build's environment exported in the script. A non-zero
exit fails the job. The job's shell is its own process group (sshd starts each
session with ``setsid``), which kill and the end of the job signal through a
control shell kept open for the build: SIGTERM, then SIGKILL after
:data:`~genie.runner.process.GRACE`.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import AsyncIterator
from typing import Final

import asyncssh

from genie.runner.files import BuildError, inside, key_files
from genie.runner.output import JobOutput
from genie.runner.plan import JobSpec, Plan
from genie.runner.process import DRAIN, GRACE, READ_SIZE
from genie.runner.script import job_script, merged_env
from genie.runner.settings import DriverSettings

CONNECT_TIMEOUT: Final = 30
KEEPALIVE: Final = 10
_KEY_TYPE = re.compile(r"^(ssh-|ecdsa-sha2-|sk-)")


def split_address(address: str) -> tuple[str, int]:
    match = re.fullmatch(r"\[([^\]]+)\](?::(\d+))?|([^:\[\]]+)(?::(\d+))?", address.strip())
    if not match:
        raise BuildError(f"driver ssh: cannot read address {address!r} (host or host:port)")
    host = match.group(1) or match.group(3)
    port = match.group(2) or match.group(4)
    return host, int(port) if port else 22


def known_hosts(text: str) -> asyncssh.SSHKnownHosts:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    lines = [f"* {line}" if _KEY_TYPE.match(line) else line for line in lines]
    try:
        return asyncssh.import_known_hosts("\n".join(lines) + "\n")
    except (ValueError, asyncssh.KeyImportError) as exc:
        raise BuildError(f"driver ssh: known_hosts is not valid: {exc}") from None


class SSHDriver:
    def __init__(self, plan: Plan, settings: DriverSettings) -> None:
        self.plan = plan
        self.conn: asyncssh.SSHClientConnection | None = None
        self.root = ""
        self.control: asyncssh.SSHClientProcess[str] | None = None
        self.jobs = 0

    @property
    def workspace(self) -> str:
        return f"{self.root}/workspace"

    async def create(self, out: JobOutput) -> None:
        config = self.plan.driver_config
        host, port = split_address(config.get("address", ""))
        user = config.get("user") or "root"
        await out.line("Running with driver ssh...")
        await out.line(f"Connecting to {user}@{host}:{port}...")
        self.conn = await self._connect(host, port, user, config.get("known_hosts"))
        key = self.conn.get_server_host_key()
        fingerprint = key.get_fingerprint() if key else "unknown"
        trust = "verified against known_hosts" if config.get("known_hosts") else "not verified"
        await out.line(f"Host key {fingerprint} ({trust})")
        result = await self.conn.run("mktemp -d /tmp/genie-build-XXXXXXXX", check=True)
        self.root = str(result.stdout).strip()
        # One shell kept open for signals and the final clean-up: opening a
        # channel per signal costs a fork of sshd and a login shell each time.
        self.control = await self.conn.create_process("exec sh >/dev/null 2>&1")
        await self._shell(f"cd {self.root} && chmod 700 . && mkdir workspace home scripts")
        await out.line(f"Workspace {self.workspace}")
        async with self.conn.start_sftp_client() as sftp:
            await self._place(sftp, out)

    async def _connect(
        self, host: str, port: int, user: str, trusted: str | None
    ) -> asyncssh.SSHClientConnection:
        try:
            keys = [asyncssh.import_private_key(k.material) for k in self.plan.keys]
        except (asyncssh.KeyImportError, ValueError) as exc:
            raise BuildError(f"driver ssh: a build key cannot be read: {exc}") from None
        try:
            return await asyncssh.connect(
                host,
                port,
                username=user,
                client_keys=keys or None,
                known_hosts=known_hosts(trusted) if trusted else None,
                config=None,
                agent_path=None,
                preferred_auth="publickey",
                connect_timeout=CONNECT_TIMEOUT,
                keepalive_interval=KEEPALIVE,
            )
        except asyncssh.HostKeyNotVerifiable as exc:
            raise BuildError(f"driver ssh: host key verification failed: {exc}") from None
        except (OSError, asyncssh.Error) as exc:
            raise BuildError(f"driver ssh: cannot connect to {host}:{port}: {exc}") from None

    async def _place(self, sftp: asyncssh.SFTPClient, out: JobOutput) -> None:
        home = f"{self.root}/home"
        for rel, data in key_files(self.plan.keys):
            await sftp.makedirs(f"{home}/.ssh", exist_ok=True)
            async with sftp.open(f"{home}/{rel}", "wb", asyncssh.SFTPAttrs(permissions=0o600)) as f:
                await f.write(data)
            await sftp.chmod(f"{home}/{rel}", 0o600)
            await out.line(f"Placing key ~/{rel}")
        for obj in self.plan.objects:
            rel = inside(obj.dest, self.workspace)
            await out.line(f"Placing object {obj.name} => {obj.dest}")
            path = f"{self.workspace}/{rel}"
            parent = path.rsplit("/", 1)[0]
            await sftp.makedirs(parent, exist_ok=True)
            async with sftp.open(path, "wb") as file:
                async for chunk in obj.open():
                    await file.write(chunk)

    async def execute(self, job: JobSpec, out: JobOutput) -> int:
        assert self.conn is not None
        self.jobs += 1
        script = f"{self.root}/scripts/{self.jobs}.sh"
        pidfile = f"{self.root}/scripts/{self.jobs}.pid"
        env = {**merged_env(self.plan.env), "HOME": f"{self.root}/home"}
        async with self.conn.start_sftp_client() as sftp, sftp.open(script, "w") as file:
            await file.write(job_script(job.commands, env.items()))
        command = f"echo $$ > {pidfile}; cd {self.workspace} && exec sh {script}"
        process = await self.conn.create_process(
            command, stdin=asyncssh.DEVNULL, stderr=asyncssh.STDOUT, encoding=None
        )
        # `kill -SIG -PGID`: the one form dash, bash and busybox all read
        group = f'"-$(cat {pidfile})"'
        pump = asyncio.create_task(_pump(process, out))
        try:
            # The exit status comes when the shell exits, while a process it left
            # in the background may hold the output open: wait for the status.
            while process.exit_status is None and process.exit_signal is None:
                if pump.done():
                    await process.wait()
                    break
                await asyncio.sleep(0.05)
        except asyncio.CancelledError:
            # SIGKILL after the grace runs remotely, in the background of the
            # control shell; destroy's `wait` lets it finish before removing.
            self._control(f"kill -TERM {group}; (sleep {GRACE}; kill -KILL {group}) &")
            pump.cancel()
            process.close()
            raise
        self._control(f"kill -KILL {group}")  # what the job left running
        try:
            await asyncio.wait_for(pump, DRAIN)
        except TimeoutError:
            await out.line("[the job's output stayed open after it ended]")
        process.close()
        # returncode: the exit status, or minus the signal that ended the job
        return process.returncode if process.returncode is not None else -1

    def _control(self, command: str) -> None:
        """A command for the control shell: no new channel, so it runs at once."""
        if self.control is not None and not self.control.stdin.is_closing():
            self.control.stdin.write(command + "\n")

    async def artifact(self, source: str) -> AsyncIterator[bytes] | None:
        assert self.conn is not None
        path = f"{self.workspace}/{inside(source, self.workspace)}"
        sftp = await self.conn.start_sftp_client()
        try:
            if not await sftp.isfile(path):
                sftp.exit()
                return None
            file = await sftp.open(path, "rb")
        except asyncssh.SFTPError:
            sftp.exit()
            return None
        return _read_remote(sftp, file)

    async def destroy(self) -> None:
        if self.conn is None:
            return
        with contextlib.suppress(Exception):
            if self.root and self.control is not None:
                self._control(f"wait; rm -rf {self.root}; exit")
                await asyncio.wait_for(self.control.wait(), 10)
        self.conn.close()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self.conn.wait_closed(), 5)

    async def _shell(self, command: str, *, check: bool = True) -> None:
        assert self.conn is not None
        result = await self.conn.run(command, check=False)
        if check and result.exit_status != 0:
            raise BuildError(f"driver ssh: {command.split()[0]} failed: {result.stderr!s}".strip())


async def _pump(process: asyncssh.SSHClientProcess[bytes], out: JobOutput) -> None:
    while data := await process.stdout.read(READ_SIZE):
        await out.write(data)


async def _read_remote(
    sftp: asyncssh.SFTPClient, file: asyncssh.SFTPClientFile
) -> AsyncIterator[bytes]:
    try:
        while chunk := await file.read(READ_SIZE):
            yield chunk if isinstance(chunk, bytes) else chunk.encode()
    finally:
        await file.close()
        sftp.exit()
