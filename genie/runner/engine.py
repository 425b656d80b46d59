"""The build engine: stages in order, jobs in order, statuses, kill and timeout.

Semantics (issue 13):

* A failing job fails its stage; the stage's other jobs still run, then no later
  stage does, unless the stage may fail (``can_fail``): then the build ends
  ``passed_with_failures`` rather than ``failed`` and the next stages run.
* The driver is created as the ``create-driver`` job (the first job of the
  first stage); when creation fails, nothing else can run.
* Artifacts are collected after each job that ran to its end, failed ones too.
* ``kill`` or ``limits.timeout`` cancels the running job: its process group gets
  SIGTERM then SIGKILL, it ends ``killed`` or ``timed_out``, and so does the build.
* A job that never ran ends with the build's terminal status and one output line
  saying why (it gets no ``job_started``). ``job_finished`` comes once per job.
* Nothing a build can cause raises out of :func:`run`: it ends the job ``failed``
  with the reason in the job's output.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from genie.runner import drivers as driver_kinds
from genie.runner.drivers import Driver
from genie.runner.files import BuildError
from genie.runner.masking import Masker
from genie.runner.output import JobOutput
from genie.runner.plan import (
    CREATE_DRIVER,
    FAILED,
    KILLED,
    PASSED,
    PASSED_WITH_FAILURES,
    TIMED_OUT,
    JobSpec,
    Plan,
    Reporter,
)
from genie.runner.settings import DriverSettings

log = logging.getLogger("genie.runner")

Body = Callable[[JobOutput], Awaitable[str]]


async def run(
    plan: Plan, reporter: Reporter, *, kill: asyncio.Event, drivers: DriverSettings
) -> str:
    """Run ``plan``; return ``passed``, ``passed_with_failures``, ``failed``,
    ``killed`` or ``timed_out``."""
    return await _Build(plan, reporter, drivers).run(kill)


def describe(exc: BaseException) -> str:
    if isinstance(exc, BuildError):
        return str(exc)
    if isinstance(exc, OSError) and exc.strerror:
        return f"{exc.strerror}" + (f": {exc.filename}" if exc.filename else "")
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


class _Build:
    def __init__(self, plan: Plan, reporter: Reporter, settings: DriverSettings) -> None:
        self.plan = plan
        self.reporter = reporter
        self.settings = settings
        self.driver: Driver | None = None
        self.broken = False
        #: ``id()`` of each job finished: names are the reporter's keys, yet a plan
        #: may repeat one, and each job still finishes exactly once.
        self.finished: set[int] = set()
        self.hard_failure: str | None = None
        self.soft_failure = False
        self.stop: str | None = None

    async def run(self, kill: asyncio.Event) -> str:
        work = asyncio.create_task(self._stages())
        killed = asyncio.create_task(kill.wait())
        try:
            done, _ = await asyncio.wait(
                {work, killed},
                timeout=self.plan.limits.timeout or None,  # 0: no limit, as for the others
                return_when="FIRST_COMPLETED",
            )
            if work not in done:
                self.stop = KILLED if killed in done else TIMED_OUT
                work.cancel()
                await asyncio.wait({work})
        except asyncio.CancelledError:
            self.stop = KILLED
            work.cancel()
            await asyncio.wait({work})
            raise
        finally:
            killed.cancel()
            await self._destroy()
            await self._finish_unrun()
        if not work.cancelled():
            work.result()  # the reporter's own errors are the caller's
        return self.terminal()

    def terminal(self) -> str:
        if self.stop:
            return self.stop
        if self.hard_failure or self.broken:
            return FAILED
        return PASSED_WITH_FAILURES if self.soft_failure else PASSED

    async def _stages(self) -> None:
        for stage in self.plan.stages:
            failed = False
            for job in stage.jobs:
                if self.broken:
                    return
                status = await self._job(job)
                failed = failed or status != PASSED
            if failed and stage.can_fail:
                self.soft_failure = True
            elif failed:
                self.hard_failure = stage.name
                return

    def _is_creation(self, job: JobSpec) -> bool:
        """Only the first job of the first stage stands for the driver's creation
        (a user's job may be named ``create-driver`` too)."""
        first = self.plan.stages[0].jobs[:1] if self.plan.stages else ()
        return job.name == CREATE_DRIVER and bool(first) and job is first[0]

    async def _job(self, job: JobSpec) -> str:
        body: Body = self._create if self._is_creation(job) else self._body(job)
        await self.reporter.job_started(job.name)
        out = JobOutput(self.reporter, job.name, self.plan.secrets, self.plan.limits.output_max)
        status = FAILED
        try:
            async with out.ticking():
                try:
                    status = await body(out)
                except asyncio.CancelledError:
                    status = self.stop or KILLED
                    await out.line(self._stopped_line())
                    raise
                except Exception as exc:
                    log.info("build %s: job %s: %s", self.plan.name, job.name, type(exc).__name__)
                    await out.line(f"error: {describe(exc)}")
        finally:
            await self._finished(job, status)
        return status

    async def _create(self, out: JobOutput) -> str:
        try:
            self.driver = driver_kinds.make(self.plan, self.settings)
            await self.driver.create(out)
        except Exception:
            self.broken = True
            raise
        return PASSED

    def _body(self, job: JobSpec) -> Body:
        async def body(out: JobOutput) -> str:
            if self.driver is None:
                await self._create(out)
            assert self.driver is not None
            code = await self.driver.execute(job, out)
            if code != 0:
                await out.line(f"Job failed: exit status {code}")
            await self._artifacts(job, out)
            return PASSED if code == 0 else FAILED

        return body

    async def _artifacts(self, job: JobSpec, out: JobOutput) -> None:
        assert self.driver is not None
        for source, name in job.artifacts:
            await out.line(f"Collecting artifact {source} => {name}")
            try:
                data = await self.driver.artifact(source)
            except Exception as exc:
                await out.line(f"artifact error: {describe(exc)}")
                data = None
            else:
                if data is None:
                    await out.line(f"artifact error: {source}: no such file")
            await out.flush()  # the lines above come before the artifact
            await self.reporter.artifact(job.name, name, source, data)

    async def _finished(self, job: JobSpec, status: str) -> None:
        if id(job) not in self.finished:
            self.finished.add(id(job))
            await self.reporter.job_finished(job.name, status)

    def _stopped_line(self) -> str:
        if self.stop == TIMED_OUT:
            return f"Timed out: the build ran past its {self.plan.limits.timeout:g} s limit"
        return "Killed"

    async def _finish_unrun(self) -> None:
        status = self.terminal()
        if self.stop == KILLED:
            why = "the build was killed"
        elif self.stop == TIMED_OUT:
            why = "the build timed out"
        elif self.broken:
            why = "the driver could not be created"
        else:
            why = f"stage {self.hard_failure} failed"
        for stage in self.plan.stages:
            for job in stage.jobs:
                if id(job) not in self.finished:
                    line = Masker(self.plan.secrets).mask_all(f"Not run: {why}\n")
                    await self.reporter.output(job.name, line)
                    await self._finished(job, status)

    async def _destroy(self) -> None:
        if self.driver is None:
            return
        try:
            await self.driver.destroy()
        except Exception:
            log.warning("build %s: the driver was not fully removed", self.plan.name, exc_info=True)
