"""Build manifests: parse the YAML safely, validate every field, report every problem.

Builds and cron both call :func:`parse`. It returns an immutable :class:`Manifest`
or raises :class:`InvalidManifest`, whose ``problems`` all start with
``"Manifest "`` and go, as they are, into a 400 ``{"manifest": [...]}``.
Invalid YAML is one of those problems, never an exception of its own.

The format (reference §8 Builds, and the Djinn manifest documentation)::

    namespace: project/child@owner      # optional: path[@owner]
    driver: {type: docker, image: golang, workspace: /go}
    env: [KEY=value, ...]
    objects: [name, name => /destination, ...]
    sources: [url, url ref, url ref => dir, ...]
    stages: [build, test]               # run in this order
    allow_failures: [test]
    jobs:
    - {stage: build, name: optional, commands: [...], artifacts: [src, src => name]}

Only the driver is required, as in the original: a manifest without stages or jobs
is valid and runs only the setup stage (creating the driver, cloning the sources).

Rules beyond upstream (which ignores what it does not know): unknown fields are
reported, as typos would otherwise be silently dropped; a job must name a listed
stage and run at least one command; names that builds use as keys (stages, job
names, object names, artifact names, source directories) must be unique.

Checking the namespace is the caller's, with the access module; it adds
``"Manifest cannot submit to namespace"`` itself. ``Manifest.namespace`` (and
``InvalidManifest.namespace``, when the document got that far) is the raw
``path[@owner]`` string.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Collection, Mapping
from types import MappingProxyType
from typing import Final

from genie import safeyaml
from genie.manifest_model import (
    Driver,
    EnvVar,
    InvalidManifest,
    Job,
    Manifest,
    Passthrough,
    Source,
)

MAX_LENGTH: Final = 128 * 1024
DRIVER_TYPES: Final = ("docker", "qemu", "ssh", "os")
#: Keys each driver type cannot run without.
DRIVER_REQUIRES: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType(
    {"docker": ("image", "workspace"), "qemu": ("image",), "ssh": ("address",), "os": ()}
)
QEMU_ARCHES: Final = ("x86_64",)
FIELDS: Final = (
    "namespace",
    "driver",
    "env",
    "objects",
    "sources",
    "stages",
    "allow_failures",
    "jobs",
)
JOB_FIELDS: Final = ("stage", "name", "commands", "artifacts")
ENV_KEY: Final = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
OBJECT_NAME: Final = re.compile(r"[A-Za-z0-9._-]+")
REQUIRED: Final = "Manifest field required"


_SLUG_OUT = re.compile(r"[^A-Za-z0-9.]+")


def slug(name: str) -> str:
    """A job name as builds use it: each run of characters outside ``[A-Za-z0-9.]``
    becomes one ``-``, edge dashes go, and it is lowercased."""
    return _SLUG_OUT.sub("-", name).strip("-").lower()


class _Problems(list[str]):
    def add(self, message: str) -> None:
        if message not in self:
            self.append(message)


def parse(
    text: object, *, drivers: Collection[str] = DRIVER_TYPES, max_length: int = MAX_LENGTH
) -> Manifest:
    """Parse and validate a manifest; raise :class:`InvalidManifest` with every problem.

    ``drivers`` are the driver types this server runs; another known type is
    reported as disabled.
    """
    if not isinstance(text, str) or not text.strip():
        raise InvalidManifest([REQUIRED])
    if len(text) > max_length:
        raise InvalidManifest([f"Manifest cannot be longer than {max_length} characters in length"])
    loaded = safeyaml.load(text)
    if loaded.problems:
        raise InvalidManifest([f"Manifest {problem}" for problem in loaded.problems])
    doc = loaded.value
    if doc is None:
        raise InvalidManifest([REQUIRED])
    if not isinstance(doc, dict):
        raise InvalidManifest(["Manifest must be a mapping of fields such as driver: and jobs:"])
    problems = _Problems()
    for key in doc:
        if key not in FIELDS:
            problems.add(f"Manifest has unknown field {key}")
    namespace = _namespace(doc.get("namespace"), problems)
    driver = _driver(doc.get("driver"), drivers, problems)
    env = _env(doc.get("env"), problems)
    objects = _passthroughs(doc.get("objects"), "objects", problems)
    sources = _sources(doc.get("sources"), problems)
    stages = _names(doc.get("stages"), "stages", problems)
    allow_failures = _names(doc.get("allow_failures"), "allow_failures", problems)
    for stage in allow_failures:
        if stages and stage not in stages:
            problems.add(f"Manifest allow_failures stage {stage} is not in stages")
    jobs = _jobs(doc.get("jobs"), stages, problems)
    if problems or driver is None:
        raise InvalidManifest(problems, namespace)
    return Manifest(namespace, driver, env, objects, sources, stages, allow_failures, jobs)


def is_empty(text: object) -> bool:
    """Whether ``text`` says nothing: blank, or a mapping whose every value is empty
    (``driver: {}``, ``env: []``, ``namespace: ""``), which is what the original's Go
    client sends for a manifest it leaves unset. A PATCH keeps the current manifest."""
    if not isinstance(text, str) or not text.strip():
        return True
    loaded = safeyaml.load(text)
    if loaded.problems:
        return False
    doc = loaded.value
    return doc is None or (
        isinstance(doc, dict) and all(value in (None, "", [], {}) for value in doc.values())
    )


def _strings(value: object, label: str, problems: _Problems, *, required: bool) -> list[str]:
    """A list of strings, or nothing (and a problem) when it is anything else."""
    if value is None or value == []:
        if required:
            problems.add(f"Manifest {label} field required")
        return []
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        problems.add(f"Manifest {label} must be a list of strings")
        return []
    return value


def _namespace(value: object, problems: _Problems) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        problems.add("Manifest namespace must be a string such as path/to/namespace@owner")
        return None
    return value.strip() or None


def _driver(value: object, enabled: Collection[str], problems: _Problems) -> Driver | None:
    if value is None:
        problems.add("Manifest driver field required")
        return None
    if not isinstance(value, dict):
        problems.add("Manifest driver must be a mapping with a type, such as type: docker")
        return None
    config: dict[str, str] = {}
    for key, item in value.items():
        if isinstance(item, str):
            config[key] = item
        elif item is not None:
            problems.add(f"Manifest driver {key} must be a string")
    kind = config.pop("type", "")
    if kind not in DRIVER_TYPES:
        choices = ", ".join(DRIVER_TYPES)
        problems.add(f"Manifest driver type must be one of {choices}")
        return None
    if kind not in enabled:
        shown = f"qemu-{config.get('arch') or QEMU_ARCHES[0]}" if kind == "qemu" else kind
        problems.add(f"Manifest driver error: {shown} - driver disabled")
    for key in DRIVER_REQUIRES[kind]:
        if not config.get(key, "").strip():
            problems.add(f"Manifest driver {kind} requires {key}")
    if kind == "qemu":
        config.setdefault("arch", QEMU_ARCHES[0])
        if config["arch"] not in QEMU_ARCHES:
            problems.add(f"Manifest driver qemu arch must be one of {', '.join(QEMU_ARCHES)}")
    return Driver(kind, MappingProxyType(config))


def _env(value: object, problems: _Problems) -> tuple[EnvVar, ...]:
    env: list[EnvVar] = []
    for n, item in enumerate(_strings(value, "env", problems, required=False), 1):
        key, equals, rest = item.partition("=")
        if not equals:
            # Never quote the entry: it may be a secret missing its "KEY=".
            problems.add(f"Manifest env entries must be KEY=value (entry {n})")
        elif not ENV_KEY.fullmatch(key):
            problems.add(
                f"Manifest env entries must be KEY=value (entry {n}): a KEY starts with a "
                "letter or _ and has only letters, digits and _"
            )
        else:
            env.append(EnvVar(key, rest))
    return tuple(env)


def _passthroughs(value: object, label: str, problems: _Problems) -> tuple[Passthrough, ...]:
    """``objects`` (``name [=> /destination]``) or a job's ``artifacts``
    (``path [=> name]``); the destination defaults to the source's base name.
    Sorted by source: the order carries no meaning (upstream keeps a map)."""
    items: list[Passthrough] = []
    for n, entry in enumerate(_strings(value, label, problems, required=False), 1):
        parts = [part.strip() for part in entry.split("=>")]
        source = parts[0]
        destination = parts[1] if len(parts) == 2 else posixpath.basename(source.rstrip("/"))
        if len(parts) > 2 or not source or not destination:
            problems.add(f"Manifest {label} entries must be source [=> destination] (entry {n})")
        elif label == "objects" and not OBJECT_NAME.fullmatch(source):
            problems.add(f"Manifest objects entry {n}: {source} is not a valid object name")
        elif label != "objects" and "/" in destination:
            problems.add(f"Manifest {label} entry {n}: the name {destination} cannot contain /")
        else:
            items.append(Passthrough(source, destination))
    return tuple(sorted(items, key=lambda p: (p.source, p.destination)))


def _sources(value: object, problems: _Problems) -> tuple[Source, ...]:
    sources: list[Source] = []
    for n, entry in enumerate(_strings(value, "sources", problems, required=False), 1):
        where, arrow, dir_ = entry.partition("=>")
        words = where.split()
        if not words or len(words) > 2 or (arrow and not dir_.strip()) or "=>" in dir_:
            problems.add(f"Manifest sources entries must be url [ref] [=> dir] (entry {n})")
            continue
        url, ref = words[0], (words[1] if len(words) == 2 else None)
        if url.startswith("-") or (ref or "").startswith("-"):
            # git would read it as an option.
            problems.add(f"Manifest sources entry {n}: url and ref cannot start with -")
            continue
        dir_ = dir_.strip() if arrow else _repo_dir(url)
        parts = dir_.split("/")
        if dir_.startswith("/") or ".." in parts or not dir_ or dir_ == ".":
            problems.add(f"Manifest sources entry {n}: dir must be a path inside the workspace")
            continue
        sources.append(Source(url, ref, dir_))
    _unique([s.dir for s in sources], "Manifest sources clone more than once into {}", problems)
    return tuple(sources)


def _repo_dir(url: str) -> str:
    """``https://host/owner/repo.git`` and ``git@host:repo.git`` both give ``repo``."""
    last = url.rstrip("/").rsplit("/", 1)[-1].rsplit(":", 1)[-1]
    return last.removesuffix(".git")


def _names(value: object, label: str, problems: _Problems) -> tuple[str, ...]:
    names = _strings(value, label, problems, required=False)
    if any(not name.strip() for name in names):
        problems.add(f"Manifest {label} entries cannot be empty")
        names = [name for name in names if name.strip()]
    _unique(names, f"Manifest {label} lists {{}} more than once", problems)
    return tuple(dict.fromkeys(names))


def _unique(values: list[str], message: str, problems: _Problems) -> None:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            problems.add(message.format(value))
        seen.add(value)


def _jobs(value: object, stages: tuple[str, ...], problems: _Problems) -> tuple[Job, ...]:
    if value is None or value == []:
        return ()
    if not isinstance(value, list) or not all(isinstance(job, dict) for job in value):
        problems.add("Manifest jobs must be a list of mappings with stage: and commands:")
        return ()
    jobs: list[Job] = []
    per_stage: dict[str, int] = {}
    for n, raw in enumerate(value, 1):
        job = _job(n, raw, stages, per_stage, problems)
        if job is not None:
            jobs.append(job)
    _unique([job.name for job in jobs], "Manifest job name {} is used more than once", problems)
    artifacts = [a.destination for job in jobs for a in job.artifacts]
    _unique(artifacts, "Manifest artifact {} is collected more than once", problems)
    return tuple(jobs)


def _job(
    n: int,
    raw: dict[str, object],
    stages: tuple[str, ...],
    per_stage: dict[str, int],
    problems: _Problems,
) -> Job | None:
    label = f"job {n}"
    found = len(problems)
    for key in raw:
        if key not in JOB_FIELDS:
            problems.add(f"Manifest {label} has unknown field {key}")
    stage = raw.get("stage")
    if not isinstance(stage, str) or not stage.strip():
        problems.add(f"Manifest {label} stage field required")
    elif stage not in stages:
        problems.add(f"Manifest {label} stage {stage} is not in stages")
    given = raw.get("name")
    if given == "":
        given = None  # the original's Go client sends `name: ""` for an unnamed job
    if given is not None and (not isinstance(given, str) or not slug(given)):
        problems.add(f"Manifest {label} name must have letters or digits")
    commands = _strings(raw.get("commands"), f"{label} commands", problems, required=True)
    artifacts = _passthroughs(raw.get("artifacts"), f"{label} artifacts", problems)
    if len(problems) > found or not isinstance(stage, str):
        return None
    per_stage[stage] = per_stage.get(stage, 0) + 1
    name = slug(given) if isinstance(given, str) else slug(f"{stage}.{per_stage[stage]}")
    return Job(
        stage=stage,
        name=name,
        commands=tuple(commands),
        artifacts=artifacts,
        given_name=given if isinstance(given, str) else None,
    )
