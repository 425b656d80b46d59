"""Running builds: the ``build`` job.

A worker claims the job (:mod:`genie.jobs`, lease :data:`genie.jobs.BUILD_LEASE`),
moves the build from ``queued`` to ``running`` in one conditional update (so two
workers never run one build), builds the runner's :class:`~genie.runner.Plan`
from the build's rows (secrets decrypted only here), runs it with a
:class:`~genie.build_report.DatabaseReporter`, and ends the build in one
conditional update from ``running`` (so it gets exactly one terminal status).

* **Kill**: ``DELETE /b/{u}/{n}`` sets ``kill_requested`` and, on PostgreSQL,
  notifies :data:`genie.wakeup.BUILD_KILL` with the build's id. A worker that runs
  builds hears it on its process's one ``LISTEN`` connection (:func:`beside`) and
  reads the flag at once, whichever node it runs on; it also reads the flag every
  :data:`KILL_SAFETY` seconds, and every :data:`KILL_POLL` seconds while it does
  not listen (SQLite, tests' :func:`genie.jobs.run_due`, or the connection lost
  until it is back).
* **Timeout**: ``GENIE_BUILD_TIMEOUT`` ends it ``timed_out``.
* **A lost worker**: a worker killed mid-build stops renewing its lease; once it
  runs out, another worker claims the job, finds the build ``running`` and ends
  it ``failed`` with a ``worker lost`` line in each unfinished job.
* **Anything else that fails** (the database for a moment, storage) ends it
  ``failed`` with the reason in its output, never leaves it ``running``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select, update

from genie import builds, jobs, manifest, runner, scheduler, wakeup, webhooks
from genie.build_report import DatabaseReporter
from genie.curation import curate
from genie.runner.files import BuildError
from genie.runner.settings import DriverSettings
from genie.sealed_manifest import opened
from handlers.djinn.objects import storage_key
from models import Build, BuildJob, BuildKey, BuildObject, BuildVariable, Object, User
from models import build_reads as reads
from models.base import utcnow
from models.keys import KEY_PURPOSE
from models.variables import VALUE_PURPOSE

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from genie.job_worker import Worker
    from genie.runtime import Runtime
    from genie.settings import Settings

log = logging.getLogger("genie.builds")

KILL_POLL = 0.25
KILL_SAFETY = 5.0
WORKER_LOST = "Failed: the worker running this build was lost"
ENDED = ("passed", "passed_with_failures", "failed", "killed", "timed_out")


@jobs.job(builds.KIND)
async def run_build(runtime: Runtime, payload: dict[str, Any]) -> None:
    build_id, root = int(payload["build_id"]), str(payload.get("api_root") or "")
    now = utcnow()
    async with runtime.engine.begin() as conn:
        started = await conn.execute(
            update(Build)
            .where(Build.id == build_id, Build.status == "queued")
            .values(status="running", started_at=now)
        )
        status = await conn.scalar(select(Build.status).where(Build.id == build_id))
    if not started.rowcount:
        if status == "running":
            # The lease of the worker that started it ran out: that worker is gone.
            await _end_unfinished(runtime, build_id, WORKER_LOST)
            await finish(runtime, build_id, "failed", root)
        return
    await _event(runtime, build_id, "build.started", root)
    try:
        status = await _run(runtime, build_id)
    except Exception as exc:
        log.exception("build %s: could not be run", build_id)
        await _end_unfinished(runtime, build_id, f"error: the build could not run: {exc}")
        status = "failed"
    await finish(runtime, build_id, status, root)


async def _run(runtime: Runtime, build_id: int) -> str:
    plan, job_ids = await load_plan(runtime, build_id)
    reporter = DatabaseReporter(runtime, build_id, job_ids)
    kill = asyncio.Event()
    watcher = asyncio.create_task(_watch_kill(runtime, build_id, kill))
    try:
        drivers = DriverSettings.from_settings(runtime.settings)
        return await runner.run(plan, reporter, kill=kill, drivers=drivers)
    finally:
        watcher.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await watcher


class KillBoard:
    """The builds this process runs, each with an event a kill notification sets."""

    def __init__(self) -> None:
        self._heard: dict[int, asyncio.Event] = {}
        #: Whether kill notifications arrive (the worker's LISTEN connection is up).
        self.listening: Callable[[], bool] = lambda: False

    @contextlib.contextmanager
    def watching(self, build_id: int) -> Iterator[asyncio.Event]:
        self._heard[build_id] = heard = asyncio.Event()
        try:
            yield heard
        finally:
            self._heard.pop(build_id, None)

    def heard(self, payload: str) -> None:
        """A notification: the build may have been killed (its flag says)."""
        event = self._heard.get(int(payload)) if payload.isdigit() else None
        if event is not None:
            event.set()

    def recheck(self) -> None:
        """After a (re)connection: notifications may have been missed."""
        for event in self._heard.values():
            event.set()


KILLS = KillBoard()


def beside(worker: Worker) -> Callable[[], Awaitable[None]]:
    """Start what runs beside a worker that runs builds: the cron scheduler, and
    kill notifications on the worker's LISTEN connection. Returns the stopper."""
    task = scheduler.start(worker.runtime)
    worker.listen(wakeup.BUILD_KILL, KILLS.heard)
    worker.on_connect(KILLS.recheck)
    KILLS.listening = lambda: worker.listening

    async def stop() -> None:
        KILLS.listening = lambda: False
        await scheduler.stop(task)

    return stop


async def _watch_kill(runtime: Runtime, build_id: int, kill: asyncio.Event) -> None:
    statement = select(Build.kill_requested).where(Build.id == build_id)
    with KILLS.watching(build_id) as heard:
        while not kill.is_set():
            try:
                async with runtime.reader.connect() as conn:
                    if await conn.scalar(statement):
                        kill.set()
                        return
            except Exception:
                log.warning("build %s: could not read its kill flag", build_id, exc_info=True)
            every = KILL_SAFETY if KILLS.listening() else KILL_POLL
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(heard.wait(), every)
            heard.clear()


async def finish(runtime: Runtime, build_id: int, status: str, root: str) -> bool:
    """End the build ``status`` unless it has ended already."""
    now = utcnow()
    async with runtime.engine.begin() as conn:
        done = await conn.execute(
            update(Build)
            .where(Build.id == build_id, Build.status == "running")
            .values(status=status, finished_at=now)
        )
        started = await conn.scalar(select(Build.started_at).where(Build.id == build_id))
    if not done.rowcount:
        return False
    if started is not None:
        runtime.metrics.build_finished(status, max(0.0, (now - started).total_seconds()))
    await _event(runtime, build_id, "build.finished", root)
    await curate(runtime, build_id)
    return True


async def _end_unfinished(runtime: Runtime, build_id: int, line: str) -> None:
    async with runtime.engine.begin() as conn:
        await conn.execute(
            update(BuildJob)
            .where(BuildJob.build_id == build_id, BuildJob.status.not_in(ENDED))
            .values(
                status="failed",
                finished_at=utcnow(),
                output=func.coalesce(BuildJob.output, "") + line + "\n",
            )
        )


async def _event(runtime: Runtime, build_id: int, event: str, root: str) -> None:
    from handlers.djinn._builds import loaded

    async with runtime.sessions() as session, session.begin():
        row = await reads.by_id(session, build_id)
        if row is None or row.namespace_id is None:
            return
        entity = await loaded(session, root, row)
        await webhooks.fire(session, row.namespace_id, event, None, {"build": entity})
    runtime.jobs.wake()


# The plan.


async def load_plan(runtime: Runtime, build_id: int) -> tuple[runner.Plan, list[tuple[str, int]]]:
    """The build's plan, and its jobs as ``(name, id)`` in run order."""
    async with runtime.sessions() as conn:
        (row, owner), job_rows = await _build_and_jobs(conn, build_id)
        variables, keys, placed = await _inputs(conn, build_id)
    env, secrets_ = _environment(runtime, variables)
    plan = runner.Plan(
        name=f"{owner}-{row.number}",
        driver=row.driver or "os",
        driver_config=dict(row.driver_config or {}),
        env=env,
        secrets=secrets_,
        keys=_key_files(runtime, keys),
        objects=tuple(_object(runtime, *p) for p in placed),
        stages=_stages(manifest.parse(_written(runtime, row)), job_rows),
        limits=limits(runtime.settings),
    )
    return plan, [(j.name, j.id) for j in job_rows]


def _written(runtime: Runtime, build: Any) -> str:
    """The manifest as written: masked values in it are shown as ``xxxxxx`` but run
    as they were (genie.sealed_manifest)."""
    return opened(runtime.crypto, build.manifest, build.sealed_manifest)


async def _build_and_jobs(conn: AsyncSession, build_id: int) -> tuple[Any, Sequence[Any]]:
    """The build with its owner's username, and its jobs in run order."""
    build = (
        await conn.execute(
            select(Build, User.username)
            .join(User, User.id == Build.user_id)
            .where(Build.id == build_id)
        )
    ).one()
    job_rows = (
        await conn.execute(
            select(BuildJob.id, BuildJob.name, BuildJob.stage, BuildJob.can_fail)
            .where(BuildJob.build_id == build_id)
            .order_by(BuildJob.position)
        )
    ).all()
    return build, job_rows


async def _inputs(
    conn: AsyncSession, build_id: int
) -> tuple[Sequence[BuildVariable], Sequence[BuildKey], Sequence[Any]]:
    """What the build takes in: its variables (in order), its keys, and its objects
    with their file's hash and size (None when the object is gone)."""
    variables = (
        (
            await conn.execute(
                select(BuildVariable)
                .where(BuildVariable.build_id == build_id)
                .order_by(BuildVariable.id)
            )
        )
        .scalars()
        .all()
    )
    keys = (
        (await conn.execute(select(BuildKey).where(BuildKey.build_id == build_id))).scalars().all()
    )
    placed = (
        await conn.execute(
            select(BuildObject.source, BuildObject.name, Object.hash, Object.size)
            .outerjoin(Object, Object.id == BuildObject.object_id)
            .where(BuildObject.build_id == build_id)
        )
    ).all()
    return variables, keys, placed


def _key_files(runtime: Runtime, keys: Sequence[BuildKey]) -> tuple[runner.KeyFile, ...]:
    """The build's SSH keys, decrypted: here only, as the plan is made."""
    return tuple(
        runner.KeyFile(
            k.name,
            runtime.crypto.decrypt(k.encrypted_key, purpose=KEY_PURPOSE).decode(),
            k.config,
        )
        for k in keys
    )


def limits(settings: Settings) -> runner.Limits:
    """The build's limits; a setting of 0 is no limit."""
    return runner.Limits(
        timeout=settings.build_timeout,
        output_max=settings.job_output_max,
        cpu_seconds=settings.build_cpu or None,
        memory_bytes=settings.build_memory or None,
        file_size_bytes=settings.build_file_size or None,
    )


def _environment(
    runtime: Runtime, variables: Any
) -> tuple[tuple[tuple[str, str], ...], tuple[str, ...]]:
    env: list[tuple[str, str]] = []
    masked: list[str] = []
    for v in variables:
        if v.masked and v.encrypted_value is not None:
            value = runtime.crypto.decrypt(v.encrypted_value, purpose=VALUE_PURPOSE).decode()
            masked.append(value)
        else:
            value = v.value or ""
        env.append((v.key, value))
    return tuple(env), tuple(masked)


def _object(
    runtime: Runtime, name: str, dest: str, file_hash: str | None, size: int | None
) -> runner.ObjectFile:
    def open_() -> AsyncIterator[bytes]:
        if file_hash is None:
            raise BuildError(f"object {name}: not found")
        return runtime.storage.read(storage_key(file_hash), 0, size or 0)

    return runner.ObjectFile(name=name, dest=dest, open=open_)


def _stages(parsed: manifest.Manifest, job_rows: Any) -> tuple[runner.StageSpec, ...]:
    commands: dict[str, tuple[str, ...]] = dict(builds.setup_jobs(parsed))
    artifacts: dict[str, tuple[tuple[str, str], ...]] = {}
    for job in parsed.jobs:
        commands[job.name] = job.commands
        artifacts[job.name] = tuple((a.source, a.destination) for a in job.artifacts)
    stages: list[runner.StageSpec] = []
    for row in job_rows:
        spec = runner.JobSpec(row.name, commands.get(row.name, ()), artifacts.get(row.name, ()))
        if stages and stages[-1].name == row.stage:
            last = stages[-1]
            stages[-1] = runner.StageSpec(last.name, last.can_fail, (*last.jobs, spec))
        else:
            stages.append(runner.StageSpec(row.stage, row.can_fail, (spec,)))
    return tuple(stages)


__all__ = ["finish", "load_plan", "run_build"]
