"""The parsed build manifest: immutable values, and their normalised YAML.

:mod:`genie.manifest` validates a document into these (and re-exports them);
builds, cron and the build worker read them. ``to_yaml`` is what builds and cron
store, and parses back to an equal value.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import yaml

_Dumper: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class InvalidManifest(ValueError):
    """Every problem found, each a message starting with ``"Manifest "``."""

    def __init__(self, problems: list[str], namespace: str | None = None) -> None:
        super().__init__("; ".join(problems))
        self.problems = list(problems)
        #: The namespace, when it could be read despite the problems, so the caller
        #: can still report one the user may not submit to.
        self.namespace = namespace


@dataclass(frozen=True)
class Driver:
    type: str
    #: The driver block's other keys, values as written (qemu gains ``arch``).
    config: Mapping[str, str]


@dataclass(frozen=True)
class EnvVar:
    key: str
    value: str


@dataclass(frozen=True)
class Passthrough:
    """A file moved between host and build: objects in, artifacts out."""

    source: str
    destination: str


@dataclass(frozen=True)
class Source:
    url: str
    ref: str | None
    dir: str


@dataclass(frozen=True)
class Job:
    stage: str
    #: The job's name in the build: the given name or ``<stage>.<n>``, slugged.
    name: str
    commands: tuple[str, ...]
    artifacts: tuple[Passthrough, ...]
    #: The name as written, if one was.
    given_name: str | None


@dataclass(frozen=True)
class Manifest:
    namespace: str | None
    driver: Driver
    env: tuple[EnvVar, ...]
    objects: tuple[Passthrough, ...]
    sources: tuple[Source, ...]
    stages: tuple[str, ...]
    allow_failures: tuple[str, ...]
    jobs: tuple[Job, ...]

    def to_yaml(self) -> str:
        """The normalised manifest, as builds and cron store it: known fields only,
        empty ones dropped, objects and artifacts sorted as ``src => dst``, sources
        as ``url [ref] => dir``. :func:`parse` reads it back to an equal value."""
        doc: dict[str, object] = {
            "namespace": self.namespace,
            "driver": {"type": self.driver.type, **dict(sorted(self.driver.config.items()))},
            "env": [f"{v.key}={v.value}" for v in self.env],
            "objects": _arrows(self.objects),
            "sources": [" ".join(filter(None, (s.url, s.ref, "=>", s.dir))) for s in self.sources],
            "stages": list(self.stages),
            "allow_failures": list(self.allow_failures),
            "jobs": [_job_doc(job) for job in self.jobs],
        }
        kept = {key: value for key, value in doc.items() if value}
        text: str = yaml.dump(
            kept, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=1 << 16
        )
        return text


def _arrows(items: tuple[Passthrough, ...]) -> list[str]:
    return sorted(f"{p.source} => {p.destination}" for p in items)


def _job_doc(job: Job) -> dict[str, object]:
    doc: dict[str, object] = {"stage": job.stage}
    if job.given_name is not None:
        doc["name"] = job.given_name
    doc["commands"] = list(job.commands)
    if job.artifacts:
        doc["artifacts"] = _arrows(job.artifacts)
    return doc
