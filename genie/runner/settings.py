"""How this worker runs builds: :class:`DriverSettings`, read from the environment.

* ``GENIE_DRIVERS`` (default ``ssh,docker``): the drivers this worker runs,
  comma- or space-separated, from ``os``, ``ssh``, ``docker`` (``qemu`` is refused);
* ``DOCKER_HOST``: the docker driver's engine (the docker SDK's default without it);
* ``GENIE_DOCKER_NETWORK``: ``network_mode`` of build containers (``none``,
  ``bridge``, a network's name; the engine's default without it);
* ``GENIE_BUILD_HIDDEN_PATHS``: more host paths ``os`` builds must not see
  (``:``-separated);
* ``GENIE_OS_NETWORK``: ``none`` gives ``os`` builds no network (bubblewrap);
* ``GENIE_BWRAP``: the bubblewrap binary (default ``bwrap`` on ``PATH``); ``0``
  runs ``os`` builds without it.

The ``os`` driver always hides genie's own data directory (``GENIE_DATA_DIR``, with
``secret.key``), the SQLite database's directory, the worker's ``HOME`` and
``/root``.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from genie.settings import DEFAULT_DATA_DIR, DEFAULT_DATABASE_URL, Settings

KNOWN: Final = ("os", "ssh", "docker", "qemu")
#: Hidden from ``os`` builds whatever the settings: root's home, and the unix
#: sockets of the docker engine (root on the host) and of PostgreSQL, which a
#: read-only mount does not stop a build from connecting to.
ALWAYS_HIDDEN: Final = (
    "/root",
    "/run/docker.sock",
    "/run/containerd",
    "/run/postgresql",
)
DEFAULT_DRIVERS: Final = ("ssh", "docker")


@dataclass(frozen=True)
class DriverSettings:
    #: The drivers that may run; a plan naming another one fails at create-driver.
    enabled: frozenset[str] = frozenset(DEFAULT_DRIVERS)
    #: ``DOCKER_HOST``; None lets the docker SDK find its default.
    docker_host: str | None = None
    #: ``network_mode`` for build containers; None is the engine's default.
    docker_network: str | None = None
    #: Host paths an ``os`` build must not see (mounted over with empty ones).
    hidden_paths: tuple[Path, ...] = ()
    #: The bubblewrap binary, or None to run ``os`` builds without isolation.
    bwrap: str | None = field(default_factory=lambda: shutil.which("bwrap"))
    #: util-linux ``prlimit``, which applies the resource limits; None: set them
    #: in the child before it runs the job.
    prlimit: str | None = field(default_factory=lambda: shutil.which("prlimit"))
    #: ``os`` builds get no network at all (bwrap ``--unshare-net``), not the host's.
    isolate_network: bool = False
    #: Where builds' temporary workspaces go (None: the system's temp dir).
    work_dir: Path | None = None

    @classmethod
    def from_settings(
        cls, settings: Settings, environ: Mapping[str, str] | None = None
    ) -> DriverSettings:
        """As :meth:`from_env`, hiding the data directory and database of ``settings``."""
        return cls.from_env(environ, data_dir=settings.data_dir, database_url=settings.database_url)

    @classmethod
    def from_env(
        cls,
        environ: Mapping[str, str] | None = None,
        *,
        data_dir: Path | None = None,
        database_url: str | None = None,
    ) -> DriverSettings:
        """``data_dir`` and ``database_url`` default to ``GENIE_DATA_DIR`` and
        ``GENIE_DATABASE_URL``; both are hidden from ``os`` builds."""
        env = os.environ if environ is None else environ
        drivers = tuple(w for w in re.split(r"[\s,]+", env.get("GENIE_DRIVERS", "")) if w)
        unknown = [d for d in drivers if d not in KNOWN]
        if unknown:
            raise ValueError(f"GENIE_DRIVERS: unknown driver {', '.join(unknown)}")
        bwrap_setting = env.get("GENIE_BWRAP", "").strip()
        bwrap = None if bwrap_setting == "0" else shutil.which(bwrap_setting or "bwrap")
        return cls(
            enabled=frozenset(drivers or DEFAULT_DRIVERS),
            docker_host=env.get("DOCKER_HOST") or None,
            docker_network=env.get("GENIE_DOCKER_NETWORK") or None,
            hidden_paths=_hidden(env, data_dir, database_url),
            bwrap=bwrap,
            isolate_network=env.get("GENIE_OS_NETWORK", "").strip() == "none",
        )


def _hidden(
    env: Mapping[str, str], data_dir: Path | None, database_url: str | None
) -> tuple[Path, ...]:
    paths = [Path(p) for p in env.get("GENIE_BUILD_HIDDEN_PATHS", "").split(":") if p]
    paths.append(data_dir or Path(env.get("GENIE_DATA_DIR") or DEFAULT_DATA_DIR))
    database = database_url or env.get("GENIE_DATABASE_URL") or DEFAULT_DATABASE_URL
    if database.startswith("sqlite:///"):
        paths.append(Path(database.removeprefix("sqlite:///")).parent)
    if env.get("HOME"):
        paths.append(Path(env["HOME"]))
    docker_host = env.get("DOCKER_HOST", "")
    if docker_host.startswith("unix://"):
        paths.append(Path(docker_host.removeprefix("unix://")))
    paths += map(Path, ALWAYS_HIDDEN)
    resolved = (p.expanduser().resolve() for p in paths)
    # "/" would hide everything (a SQLite file in the root directory, HOME=/).
    return tuple(dict.fromkeys(p for p in resolved if p != Path("/")))
