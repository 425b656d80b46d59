"""Submitting a build: rows, snapshots, the setup stage, and the queued job.

Used by ``POST /builds`` and by the cron scheduler. Everything happens in the
caller's transaction, after validation: the build's number (gap-free per owner,
:func:`models.builds.next_number`), the build, its tags, its copies of the
variables (the submitter's personal ones, then the namespace's, then the
manifest's ``env``; masked values stay ciphertext), keys and manifest-named
objects, its jobs (the setup stage ``setup - #<n>``: ``create-driver``, then a
``clone.<i>`` per source; then the manifest's stages), artifact placeholders, the
``build`` job (a ``NOTIFY`` on PostgreSQL wakes idle workers at commit) and
the ``build.submitted`` event.
"""

from __future__ import annotations

import re
import secrets
import shlex
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table, insert, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from genie import jobs, manifest
from genie.crypto import Crypto
from genie.runner.masking import Masker
from genie.runner.plan import CREATE_DRIVER
from genie.sealed_manifest import opened_values, seal
from models import access
from models.build_parts import BuildArtifact, BuildJob, BuildKey, BuildTag, BuildVariable
from models.builds import Build, BuildObject, next_number
from models.keys import SSHKey
from models.objects import Object
from models.variables import Variable

KIND = "build"
TAG = re.compile(r"^[\w./-]+$")
TAG_MAX = 255

_variables: Table = Variable.__table__  # type: ignore[assignment]
_keys: Table = SSHKey.__table__  # type: ignore[assignment]
_objects: Table = Object.__table__  # type: ignore[assignment]


def artifact_key(file_hash: str) -> str:
    """Where an artifact's file is stored."""
    return f"artifacts/{file_hash[:2]}/{file_hash}"


def clean_tags(tags: Iterable[object]) -> list[str]:
    """Valid tags, in order, without duplicates: Unicode letters, digits, ``-_./``."""
    kept: dict[str, None] = {}
    for tag in tags:
        if isinstance(tag, str) and len(tag) <= TAG_MAX and TAG.match(tag):
            kept[tag] = None
    return list(kept)


@dataclass(frozen=True)
class Submission:
    manifest: manifest.Manifest
    placement: access.Placement
    #: The submitter: their personal variables and keys go into the build.
    author_id: int
    trigger: str
    comment: str = ""
    trigger_data: dict[str, str] = field(default_factory=dict)
    #: Already checked (:func:`clean_tags` for a user's; ``cron:<name>`` has a colon).
    tags: Sequence[str] = ()
    #: The Djinn API's absolute root, for the URLs of the events the worker fires.
    api_root: str = ""


def setup_jobs(parsed: manifest.Manifest) -> list[tuple[str, tuple[str, ...]]]:
    """``create-driver`` and one ``clone.<i>`` per source, with their commands."""
    jobs_: list[tuple[str, tuple[str, ...]]] = [(CREATE_DRIVER, ())]
    for i, source in enumerate(parsed.sources, start=1):
        directory = shlex.quote(source.dir)
        commands = [f"git clone -q {shlex.quote(source.url)} {directory}", f"cd {directory}"]
        checkout = "git checkout -q" + (f" {shlex.quote(source.ref)}" if source.ref else "")
        jobs_.append((f"clone.{i}", (*commands, checkout)))
    return jobs_


async def submit(session: AsyncSession, sub: Submission, crypto: Crypto) -> int:
    """Write the build and queue it; its id. A masked value written in the manifest
    is shown as ``xxxxxx`` in the build and its jobs, and run as written
    (:mod:`genie.sealed_manifest`)."""
    placed = await access.place(session, sub.placement)
    number = await next_number(session, placed.user_id)
    parsed = sub.manifest
    variables = await _variables_of(session, sub.author_id, placed.namespace_id)
    masked = opened_values(crypto, [r.encrypted_value for r in variables if r.masked])
    kept = seal(crypto, parsed.to_yaml(), masked)
    build = Build(
        user_id=placed.user_id,
        namespace_id=placed.namespace_id,
        number=number,
        manifest=kept.shown,
        sealed_manifest=kept.sealed,
        status="queued",
        secret=secrets.token_hex(16),
        driver=parsed.driver.type,
        driver_config=dict(parsed.driver.config),
        trigger_type=sub.trigger,
        trigger_comment=sub.comment,
        trigger_data=dict(sub.trigger_data),
        author_id=sub.author_id,
    )
    session.add(build)
    await session.flush()
    for tag in dict.fromkeys(sub.tags):
        session.add(BuildTag(build_id=build.id, user_id=sub.author_id, name=tag))
    await _snapshot_variables(session, build, variables, sub)
    await _snapshot_keys(session, build, sub.author_id)
    await _snapshot_objects(session, build, parsed, sub.author_id)
    await _add_jobs(session, build, parsed, kept.masker)
    await jobs.enqueue(session, KIND, {"build_id": build.id, "api_root": sub.api_root})
    await session.flush()
    return build.id


def _sources(table: Table, author_id: int, namespace_id: int | None) -> Any:
    personal = (table.c.user_id == author_id) & table.c.namespace_id.is_(None)
    if namespace_id is None:
        return personal
    return or_(personal, table.c.namespace_id == namespace_id)


async def _variables_of(
    session: AsyncSession, author_id: int, namespace_id: int | None
) -> Sequence[Any]:
    """The variables a build gets: the author's personal ones, then the namespace's."""
    v = _variables
    rows = await session.execute(
        select(v.c.id, v.c.key, v.c.value, v.c.encrypted_value, v.c.masked, v.c.namespace_id)
        .where(_sources(v, author_id, namespace_id))
        .order_by(v.c.namespace_id.is_not(None), v.c.key)
    )
    return rows.all()


async def _snapshot_variables(
    session: AsyncSession, build: Build, rows: Sequence[Any], sub: Submission
) -> None:
    values = [
        {
            "build_id": build.id,
            "variable_id": r.id,
            "key": r.key,
            "value": r.value,
            "encrypted_value": r.encrypted_value,
            "masked": r.masked,
        }
        for r in rows
    ]
    values += [
        {
            "build_id": build.id,
            "variable_id": None,
            "key": e.key,
            "value": e.value,
            "encrypted_value": None,
            "masked": False,
        }
        for e in sub.manifest.env
    ]
    if values:
        await session.execute(insert(BuildVariable), values)


async def _snapshot_keys(session: AsyncSession, build: Build, author_id: int) -> None:
    k = _keys
    rows = await session.execute(
        select(k.c.id, k.c.name, k.c.encrypted_key, k.c.config)
        .where(_sources(k, author_id, build.namespace_id))
        .order_by(k.c.namespace_id.is_not(None), k.c.name)
    )
    chosen: dict[str, Any] = {}
    for row in rows:
        chosen[row.name] = row  # the namespace's key wins over a personal one
    for name, row in chosen.items():
        session.add(
            BuildKey(
                build_id=build.id,
                key_id=row.id,
                name=name,
                encrypted_key=row.encrypted_key,
                config=row.config or "",
                location=f"~/.ssh/{name}",
            )
        )


async def _snapshot_objects(
    session: AsyncSession, build: Build, parsed: manifest.Manifest, author_id: int
) -> None:
    wanted = {p.source: p.destination for p in parsed.objects}
    if not wanted:
        return
    o = _objects
    rows = await session.execute(
        select(o.c.id, o.c.name, o.c.namespace_id)
        .where(_sources(o, author_id, build.namespace_id), o.c.name.in_(list(wanted)))
        .order_by(o.c.namespace_id.is_not(None))
    )
    found = {row.name: row.id for row in rows}
    for name, destination in sorted(wanted.items()):
        session.add(
            BuildObject(build_id=build.id, object_id=found.get(name), source=name, name=destination)
        )


async def _add_jobs(
    session: AsyncSession, build: Build, parsed: manifest.Manifest, masker: Masker
) -> None:
    planned: list[tuple[str, bool, str, tuple[str, ...], Sequence[Any]]] = [
        (f"setup - #{build.number}", False, name, commands, ())
        for name, commands in setup_jobs(parsed)
    ]
    for stage in parsed.stages:
        for job in parsed.jobs:
            if job.stage == stage:
                can_fail = stage in parsed.allow_failures
                planned.append((stage, can_fail, job.name, job.commands, job.artifacts))
    for position, (stage, can_fail, name, commands, artifacts) in enumerate(planned):
        row = BuildJob(
            build_id=build.id,
            position=position,
            stage=stage,
            can_fail=can_fail,
            name=name,
            commands=masker.mask_all("\n".join(commands)),
            status="queued",
        )
        session.add(row)
        await session.flush()
        for artifact in artifacts:
            session.add(
                BuildArtifact(
                    build_id=build.id,
                    job_id=row.id,
                    user_id=build.user_id,
                    hash=secrets.token_hex(32),
                    source=artifact.source,
                    name=artifact.destination,
                )
            )
