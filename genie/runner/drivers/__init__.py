"""The drivers: where a build's jobs run.

A driver is made per build by :func:`make` and used by the engine in this order:
``create`` (the ``create-driver`` job: workspace, objects, keys), then per job
``execute`` and ``artifact`` for each of its artifacts, and always ``destroy``.
Anything the build causes (a missing image, an unreachable host, a refused path)
raises :class:`~genie.runner.files.BuildError` or another exception, which the
engine turns into a failed job with the message in its output. Kill and timeout
cancel the running call: ``execute`` must then stop what runs, quickly
(SIGTERM, SIGKILL after :data:`genie.runner.process.GRACE`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Protocol

from genie.runner.files import BuildError
from genie.runner.output import JobOutput
from genie.runner.plan import JobSpec, Plan
from genie.runner.settings import DriverSettings


class Driver(Protocol):
    async def create(self, out: JobOutput) -> None: ...

    async def execute(self, job: JobSpec, out: JobOutput) -> int:
        """The job's exit status: 0 passed, anything else failed."""

    async def artifact(self, source: str) -> AsyncIterator[bytes] | None:
        """The file's bytes, or None when it is missing (or not a regular file)."""

    async def destroy(self) -> None:
        """Remove everything the build made; never raises."""


def make(plan: Plan, settings: DriverSettings) -> Driver:
    kind = plan.driver
    if kind == "qemu":
        arch = plan.driver_config.get("arch", "x86_64")
        raise BuildError(f"driver error: qemu-{arch} - driver disabled")
    if kind not in ("os", "ssh", "docker"):
        raise BuildError(
            f"driver error: {kind} - unknown driver" if kind else "driver error: unknown driver"
        )
    if kind not in settings.enabled:
        raise BuildError(f"driver error: {kind} - driver disabled")
    if kind == "os":
        from genie.runner.drivers.host import HostDriver

        return HostDriver(plan, settings)
    if kind == "ssh":
        from genie.runner.drivers.remote import SSHDriver

        return SSHDriver(plan, settings)
    from genie.runner.drivers.container import DockerDriver

    return DockerDriver(plan, settings)
