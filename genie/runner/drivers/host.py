"""The ``os`` driver: jobs run on the worker's own host, in a temporary workspace.

Per build: a private directory (mode 0700) holding ``workspace/``, ``home/`` (the
build's ``HOME``, with ``.ssh``) and ``scripts/``, removed afterwards. Each job
is ``/bin/sh <script>`` in its own process group with a cleared environment
(``PATH``, ``HOME``, then the build's variables), under ``prlimit`` for the CPU,
memory and file-size limits, and, when bubblewrap is installed, inside ``bwrap``:
a read-only root, the workspace writable, ``HOME`` mounted over the user's own
home directory (so ``ssh`` finds the build's keys), private ``/tmp``, ``/proc``
and pid namespace, no capabilities, and every hidden path
(:attr:`DriverSettings.hidden_paths`) covered by an empty one. The README's
"Build drivers" section says what this protects and what it does not.
"""

from __future__ import annotations

import asyncio
import os
import pwd
import re
import shutil
import tempfile
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Final

from genie.runner.files import BuildError, inside, key_files, open_local, read_fd, write_private
from genie.runner.output import JobOutput
from genie.runner.plan import JobSpec, Plan
from genie.runner.process import run_group
from genie.runner.script import job_script, merged_env
from genie.runner.settings import ALWAYS_HIDDEN, DriverSettings

PATH: Final = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


class HostDriver:
    def __init__(self, plan: Plan, settings: DriverSettings) -> None:
        self.plan = plan
        self.settings = settings
        self.root: Path | None = None
        self.jobs = 0

    @property
    def workspace(self) -> Path:
        assert self.root is not None
        return self.root / "workspace"

    async def create(self, out: JobOutput) -> None:
        await out.line("Running with driver os...")
        name = re.sub(r"[^A-Za-z0-9_.-]+", "-", self.plan.name)[:40]
        self.root = Path(tempfile.mkdtemp(prefix=f"genie-{name}-", dir=self.settings.work_dir))
        for part in ("workspace", "home", "scripts"):
            (self.root / part).mkdir(mode=0o700)
        if self.settings.bwrap:
            await out.line("Isolated with bubblewrap: read-only host, private /tmp and pids")
        else:
            await out.line("warning: bubblewrap is not installed: the build sees the whole host")
        await out.line(f"Workspace {self.workspace}")
        for rel, data in key_files(self.plan.keys):
            write_private(self.root / "home" / rel, data)
            await out.line(f"Placing key ~/{rel}")
        for obj in self.plan.objects:
            rel = inside(obj.dest, str(self.workspace))
            await out.line(f"Placing object {obj.name} => {obj.dest}")
            await _save(obj.open(), self.workspace / rel)

    async def execute(self, job: JobSpec, out: JobOutput) -> int:
        assert self.root is not None
        self.jobs += 1
        script = self.root / "scripts" / f"{self.jobs}.sh"
        script.write_text(job_script(job.commands))
        home = self._home_inside()
        env = {"PATH": PATH, "HOME": str(home), **merged_env(self.plan.env)}
        argv = [*self._limits(), *self._sandbox(home), "/bin/sh", str(script)]
        return await run_group(argv, out, env=env, cwd=self.workspace)

    async def artifact(self, source: str) -> AsyncIterator[bytes] | None:
        fd = open_local(self.workspace, inside(source, str(self.workspace)))
        return None if fd is None else read_fd(fd)

    async def destroy(self) -> None:
        if self.root is not None:
            await asyncio.to_thread(shutil.rmtree, self.root, True)

    def _home_inside(self) -> Path:
        """Where the build's home appears to the job."""
        assert self.root is not None
        if self.settings.bwrap:
            own = pwd.getpwuid(os.getuid()).pw_dir
            if own and own != "/":
                return Path(own)
        return self.root / "home"

    def _limits(self) -> list[str]:
        limits = self.plan.limits
        wanted = {
            "--cpu": limits.cpu_seconds,
            "--as": limits.memory_bytes,
            "--fsize": limits.file_size_bytes,
        }
        given = [f"{flag}={value}" for flag, value in wanted.items() if value is not None]
        if not given:
            return []
        if self.settings.prlimit is None:
            raise BuildError("resource limits need prlimit (util-linux), which is not installed")
        return [self.settings.prlimit, *given, "--"]

    def _sandbox(self, home: Path) -> list[str]:
        bwrap = self.settings.bwrap
        if bwrap is None:
            return []
        assert self.root is not None
        argv = [bwrap, "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc"]
        argv += ["--tmpfs", "/tmp"]  # noqa: S108 - the sandbox's own, empty /tmp
        # Always, whatever the settings say: the worker's home, root's, the sockets.
        always = (Path.home(), *map(Path, ALWAYS_HIDDEN))
        for path in dict.fromkeys((*self.settings.hidden_paths, *always)):
            argv += _cover(path)
        workspace, scripts = str(self.workspace), str(self.root / "scripts")
        argv += ["--bind", workspace, workspace, "--ro-bind", scripts, scripts]
        argv += ["--bind", str(self.root / "home"), str(home)]
        if self.settings.isolate_network:
            argv.append("--unshare-net")
        argv += ["--unshare-pid", "--unshare-ipc", "--die-with-parent", "--cap-drop", "ALL"]
        return [*argv, "--chdir", workspace, "--"]


def _cover(path: Path) -> list[str]:
    """bwrap arguments that hide ``path``: an empty tmpfs over a directory,
    ``/dev/null`` over a file; nothing for what does not exist (or for ``/``)."""
    if path == Path("/"):
        return []
    if path.is_dir():
        return ["--tmpfs", str(path)]
    if path.exists():
        return ["--ro-bind", "/dev/null", str(path)]
    return []


async def _save(chunks: AsyncIterator[bytes], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as file:
        write: Callable[[bytes], int] = file.write
        async for chunk in chunks:
            await asyncio.to_thread(write, chunk)
