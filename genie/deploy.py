"""Deploying DjaoDjin containers: the deployer interface and the deploy state machine.

A deploy request (:func:`request_deploy`) records a :class:`models.containers.Deployment`
in state ``queued`` and enqueues a ``deploy.run`` job **in the same transaction**.
The job walks the state machine, committing and writing one log line per step::

    queued ──► pulling ──► running
                  │
                  └──► failed (with the reason)

The steps themselves belong to a :class:`Deployer`, chosen by ``GENIE_DEPLOYER``:

* ``local`` (the default, :class:`LocalDeployer`) has no container runtime. It
  checks the image reference the way ``docker pull`` parses it, refuses a missing
  or malformed one (``failed``), and records the container as running. It is the
  deployer of development and tests.
* ``package.module:Class`` loads your own: a subclass of :class:`Deployer` whose
  constructor takes the :class:`genie.settings.Settings`. A Docker deployer's
  ``pull`` logs in with ``role_name``/``external_id`` and runs ``docker pull``; its
  ``start`` replaces **only** the app's own container (``docker rm -f <slug>``,
  then ``docker run -d --name <slug> -e NAME=value ...``); ``stop`` removes it;
  ``logs`` returns ``docker logs --tail 1000 <slug>``. A Kubernetes deployer
  patches the app's Deployment image and env and waits for the rollout. Raise
  :class:`DeployError` for a failure the user must fix (it ends ``failed`` with that
  message); any other exception also ends the deploy ``failed`` and is logged.

Jobs run at least once: a deploy already ``running`` or ``failed`` is not run
again, and a deploy that a newer one superseded before it started is ``failed``
with that reason. Log lines never carry ``env`` values or pull credentials.
"""

from __future__ import annotations

import abc
import importlib
import logging
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from sqlalchemy.ext.asyncio import AsyncConnection

from genie import jobs
from genie.settings import Settings
from models import containers

if TYPE_CHECKING:
    from genie.runtime import Runtime

log = logging.getLogger("genie.deploy")

RUN_JOB = "deploy.run"
STOP_JOB = "deploy.stop"
#: ``logs/`` returns at most this much text (the tail).
LOG_BYTES = 64 * 1024


class DeployError(Exception):
    """The deploy cannot succeed as asked; the message says why, for the user."""


@dataclass(frozen=True)
class Target:
    """What to run: the container as it is when the deploy starts."""

    slug: str
    location: str | None
    dataset: str
    role_name: str | None = field(default=None, repr=False)
    external_id: str | None = field(default=None, repr=False)
    env: list[dict[str, str]] = field(default_factory=list, repr=False)


class Deployer(abc.ABC):
    """Runs containers somewhere. Each step returns a short note for the log, or None."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    @abc.abstractmethod
    async def pull(self, target: Target) -> str | None:
        """Fetch the image (``pulling``)."""

    @abc.abstractmethod
    async def start(self, target: Target) -> str | None:
        """Replace the app's running container with the new one (``running``)."""

    @abc.abstractmethod
    async def stop(self, slug: str) -> None:
        """Stop and remove the app's container; nothing else on the host."""

    async def logs(self, slug: str) -> str:
        """What the app's container printed on stdout/stderr, if the deployer knows."""
        return ""


# ``[registry[:port]/]name[:tag][@digest]``, as the Docker reference grammar has it.
_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
_REGISTRY = r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*(?::[0-9]+)?/)?"  # noqa: E501
IMAGE_REFERENCE = re.compile(
    rf"^{_REGISTRY}{_COMPONENT}(?:/{_COMPONENT})*"
    r"(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?"
    r"(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?$"
)


def image_reference(location: str | None) -> str:
    """The ``docker pull`` reference of a location (an ``http(s)://`` prefix is
    dropped, as upstream does); :class:`DeployError` when there is none."""
    if not location or not location.strip():
        raise DeployError("no image location is set")
    reference = re.sub(r"^https?://", "", location.strip())
    if len(reference) > 512 or not IMAGE_REFERENCE.fullmatch(reference):
        raise DeployError(f"invalid image reference {location[:200]!r}")
    return reference


class LocalDeployer(Deployer):
    """The deployer without a container runtime (see the module docstring)."""

    async def pull(self, target: Target) -> str | None:
        return image_reference(target.location)

    async def start(self, target: Target) -> str | None:
        return f"{len(target.env)} environment variable(s), dataset {target.dataset}"

    async def stop(self, slug: str) -> None:
        log.info("local deployer: %s stopped", slug)


@lru_cache(maxsize=8)
def _deployer(name: str, settings: Settings) -> Deployer:
    if name == "local":
        return LocalDeployer(settings)
    module_name, _, class_name = name.partition(":")
    if not class_name:
        raise ValueError(f"GENIE_DEPLOYER must be 'local' or 'package.module:Class', not {name!r}")
    cls = getattr(importlib.import_module(module_name), class_name)
    if not (isinstance(cls, type) and issubclass(cls, Deployer)):
        raise ValueError(f"{name} is not a genie.deploy.Deployer")
    return cls(settings)


def deployer_for(settings: Settings) -> Deployer:
    return _deployer(settings.deployer, settings)


async def request_deploy(
    conn: AsyncConnection,
    container_id: int,
    *,
    requested_by_id: int | None,
    location: str | None,
    reason: str,
) -> int:
    """Queue a deploy in ``conn``'s transaction; it runs once that commits."""
    deployment_id = await containers.insert_deployment(
        conn, container_id, requested_by_id=requested_by_id, location=location, reason=reason
    )
    shown = location if location else "(no location)"
    await containers.add_log_line(
        conn, container_id, deployment_id, f"deploy {deployment_id} queued ({reason}): {shown}"
    )
    await jobs.enqueue(conn, RUN_JOB, {"deployment_id": deployment_id}, max_attempts=3)
    return deployment_id


async def request_stop(conn: AsyncConnection, slug: str) -> None:
    await jobs.enqueue(conn, STOP_JOB, {"slug": slug}, max_attempts=5)


async def _step(
    runtime: Runtime, row: Any, state: str, line: str, failure: str | None = None
) -> None:
    async with runtime.engine.begin() as conn:
        await containers.set_deployment_state(conn, row.id, state, failure)
        await containers.add_log_line(conn, row.container_id, row.id, line)


def _line(text: str) -> str:
    """One log line: control characters (a newline in a reason) made visible."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


@jobs.job(RUN_JOB)
async def run_deploy(runtime: Runtime, payload: dict[str, Any]) -> None:
    deployment_id = int(payload["deployment_id"])
    async with runtime.engine.connect() as conn:
        row = await containers.get_deployment(conn, deployment_id)
        latest = await containers.latest_deployment_id(conn, row.container_id) if row else None
    if row is None or row.state in ("running", "failed"):
        return  # the container was deleted, or this deploy already ran
    if latest is not None and latest != deployment_id:
        reason = f"superseded by deploy {latest}"
        await _step(runtime, row, "failed", f"deploy {row.id} failed: {reason}", reason)
        return
    deployer = deployer_for(runtime.settings)
    target = Target(
        slug=row.slug,
        location=row.location,
        dataset=row.dataset,
        role_name=row.role_name,
        external_id=row.external_id,
        env=list(row.env or []),
    )
    await _step(runtime, row, "pulling", _line(f"deploy {row.id} pulling {row.location or ''}"))
    try:
        pulled = await deployer.pull(target)
        started = await deployer.start(target)
    except DeployError as exc:
        reason = _line(str(exc))[:1000]
        await _step(runtime, row, "failed", f"deploy {row.id} failed: {reason}", reason)
        return
    except Exception as exc:
        log.exception("deploy %s of %s: the deployer failed", row.id, row.slug)
        reason = f"deployer error ({type(exc).__name__})"
        await _step(runtime, row, "failed", f"deploy {row.id} failed: {reason}", reason)
        return
    notes = "; ".join(n for n in (pulled, started) if n)
    await _step(
        runtime, row, "running", _line(f"deploy {row.id} running{': ' + notes if notes else ''}")
    )
    log.info("deploy %s of %s: running", row.id, row.slug)


@jobs.job(STOP_JOB)
async def run_stop(runtime: Runtime, payload: dict[str, Any]) -> None:
    await deployer_for(runtime.settings).stop(str(payload["slug"]))


async def read_logs(runtime: Runtime, conn: AsyncConnection, container_id: int, slug: str) -> str:
    """The deploy log lines, then the deployer's own output: the last 64 KiB of it."""
    rows = await containers.tail_log(conn, container_id)
    lines = [f"{r.created_at:%Y-%m-%dT%H:%M:%SZ} {r.line}" for r in rows]
    output = await deployer_for(runtime.settings).logs(slug)
    text = "\n".join(lines) + ("\n" if lines else "") + output
    tail = text.splitlines(keepends=True)[-containers.LOG_LINES :]
    content = "".join(tail)
    encoded = content.encode("utf-8")
    if len(encoded) > LOG_BYTES:
        content = encoded[-LOG_BYTES:].decode("utf-8", errors="ignore")
    return content
