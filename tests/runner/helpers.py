"""A recording reporter and plan builders for the runner's tests."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass, field

from genie.runner import (
    DriverSettings,
    JobSpec,
    KeyFile,
    Limits,
    ObjectFile,
    Plan,
    StageSpec,
    run,
)
from tests.leaks import WATCH


@dataclass
class Recorder:
    """Every reporter call, in order, with when it came (``time.monotonic``)."""

    events: list[tuple[object, ...]] = field(default_factory=list)
    artifacts: dict[str, bytes | None] = field(default_factory=dict)
    outputs: dict[str, list[tuple[float, str]]] = field(default_factory=dict)
    started: dict[str, float] = field(default_factory=dict)
    ended: dict[str, float] = field(default_factory=dict)

    async def job_started(self, job: str) -> None:
        self.events.append(("started", job))
        self.started[job] = time.monotonic()

    async def output(self, job: str, text: str) -> None:
        self.events.append(("output", job))
        self.outputs.setdefault(job, []).append((time.monotonic(), text))

    async def job_finished(self, job: str, status: str) -> None:
        self.events.append(("finished", job, status))
        self.ended[job] = time.monotonic()

    async def artifact(
        self, job: str, name: str, source: str, data: AsyncIterator[bytes] | None
    ) -> None:
        self.events.append(("artifact", job, name))
        self.artifacts[name] = None if data is None else b"".join([c async for c in data])

    def text(self, job: str) -> str:
        return "".join(text for _, text in self.outputs.get(job, []))

    def statuses(self) -> dict[str, str]:
        found: dict[str, str] = {}
        for event in self.events:
            if event[0] == "finished":
                assert event[1] not in found, f"{event[1]} finished twice"
                found[str(event[1])] = str(event[2])
        return found


def job(name: str, *commands: str, artifacts: Iterable[tuple[str, str]] = ()) -> JobSpec:
    return JobSpec(name, tuple(commands), tuple(artifacts))


def stage(name: str, *jobs: JobSpec, can_fail: bool = False) -> StageSpec:
    return StageSpec(name, can_fail, tuple(jobs))


SETUP = stage("setup - #1", job("create-driver"))


def obj(name: str, dest: str, data: bytes) -> ObjectFile:
    async def chunks() -> AsyncIterator[bytes]:
        for i in range(0, len(data), 1000):
            yield data[i : i + 1000]

    return ObjectFile(name, dest, chunks)


def plan(
    *stages: StageSpec,
    driver: str = "os",
    config: dict[str, str] | None = None,
    env: Iterable[tuple[str, str]] = (),
    secrets: Iterable[str] = (),
    keys: Iterable[KeyFile] = (),
    objects: Iterable[ObjectFile] = (),
    limits: Limits | None = None,
    name: str = "test-1",
) -> Plan:
    secrets = tuple(secrets)
    WATCH.register(*secrets)  # and so no runner log may carry them
    return Plan(
        name=name,
        driver=driver,
        driver_config=config or {},
        env=tuple(env),
        secrets=secrets,
        keys=tuple(keys),
        objects=tuple(objects),
        stages=(SETUP, *stages),
        limits=limits or Limits(timeout=60, output_max=1 << 20),
    )


async def execute(
    p: Plan, settings: DriverSettings, kill: asyncio.Event | None = None
) -> tuple[str, Recorder]:
    recorder = Recorder()
    status = await run(p, recorder, kill=kill or asyncio.Event(), drivers=settings)
    return status, recorder
