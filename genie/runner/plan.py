"""What a build run is given (:class:`Plan`) and whom it tells (:class:`Reporter`).

These are the runner's whole interface with the rest of genie: the worker job
builds a :class:`Plan` from the database (secrets already decrypted), and a
:class:`Reporter` persists what happens. Nothing here touches the database.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass
from typing import Final, Protocol

PASSED: Final = "passed"
PASSED_WITH_FAILURES: Final = "passed_with_failures"
FAILED: Final = "failed"
KILLED: Final = "killed"
TIMED_OUT: Final = "timed_out"

#: The job that stands for the driver's creation (objects and keys placed).
CREATE_DRIVER: Final = "create-driver"


@dataclass(frozen=True)
class JobSpec:
    name: str
    #: Run as one shell script that stops at the first failing command.
    commands: tuple[str, ...]
    #: ``(source path in the workspace, artifact name)``.
    artifacts: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class StageSpec:
    name: str
    #: In ``allow_failures``: its failure makes the build ``passed_with_failures``.
    can_fail: bool
    jobs: tuple[JobSpec, ...]


@dataclass(frozen=True)
class KeyFile:
    #: Written at ``$HOME/.ssh/<name>``, mode 0600.
    name: str
    #: The private key, plaintext (decrypted by the caller).
    material: str
    #: An ssh_config snippet; all of them are joined into ``$HOME/.ssh/config``.
    config: str = ""


@dataclass(frozen=True)
class ObjectFile:
    name: str
    #: Where it goes; a relative path is relative to the workspace.
    dest: str
    #: Its bytes, streamed from storage by the caller (called once).
    open: Callable[[], AsyncIterator[bytes]]


@dataclass(frozen=True)
class Limits:
    #: The whole build, in seconds (``GENIE_BUILD_TIMEOUT``); 0 for no limit.
    timeout: float
    #: Bytes of output kept per job (``GENIE_JOB_OUTPUT_MAX``).
    output_max: int
    cpu_seconds: int | None = None
    memory_bytes: int | None = None
    file_size_bytes: int | None = None


@dataclass(frozen=True)
class Plan:
    #: Such as ``alice-12``: names the workspace, containers and log lines.
    name: str
    #: ``os``, ``ssh``, ``docker`` or ``qemu``.
    driver: str
    #: The manifest's driver keys (``image``, ``workspace``, ``address``, ...).
    driver_config: Mapping[str, str]
    #: In order: the submitter's personal variables, the namespace's, the
    #: manifest's ``env``; a later one wins.
    env: tuple[tuple[str, str], ...]
    #: Plaintexts of masked values: replaced by ``xxxxxx`` in all output.
    secrets: tuple[str, ...]
    keys: tuple[KeyFile, ...]
    objects: tuple[ObjectFile, ...]
    #: The first stage is the setup stage (``setup - #<n>``): its first job is
    #: ``create-driver`` (no commands: the driver's creation is that job), then
    #: the ``clone.<i>`` jobs.
    stages: tuple[StageSpec, ...]
    limits: Limits


class Reporter(Protocol):
    """Told everything, in order, from the build's one task: per job that runs,
    ``job_started``, ``output`` (any number), ``artifact`` (one per artifact, after
    its ``Collecting artifact`` line), ``job_finished``. A job that never runs gets
    one ``output`` line saying why, then ``job_finished``, and no ``job_started``.
    An exception raised here is not the build's: it propagates out of ``run``."""

    async def job_started(self, job: str) -> None: ...

    async def output(self, job: str, text: str) -> None:
        """Text of ``job``, already masked and capped, in order."""

    async def job_finished(self, job: str, status: str) -> None:
        """``passed``, ``failed``, ``killed`` or ``timed_out``; once per job."""

    async def artifact(
        self, job: str, name: str, source: str, data: AsyncIterator[bytes] | None
    ) -> None:
        """The file's bytes, or None when the build did not make it."""
