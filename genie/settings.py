"""Settings, read once from the environment (``GENIE_*``)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DEFAULT_DATABASE_URL = "sqlite:///./genie.db"
DEFAULT_DATA_DIR = "./genie-data"
DEFAULT_OBJECT_MAX_SIZE = 5 * 1024 * 1024
#: First path segments genie serves itself, outside both APIs.
ROOT_PATHS = frozenset({"/healthz", "/readyz", "/metrics", "/version", "/login", "/logout"})
DEFAULT_SHUTDOWN_GRACE = 20
DEFAULT_JSON_MAX_SIZE = 1024 * 1024
#: Seconds a claimed job stays a worker's without a heartbeat (``GENIE_JOB_LEASE``).
DEFAULT_JOB_LEASE = 300
#: The shortest lease: a worker renews it every third, polling once a second.
MIN_JOB_LEASE = 5
LOG_FORMATS = ("text", "json")
#: The shortest ``GENIE_METRICS_TOKEN`` accepted: it guards an open port.
MIN_METRICS_TOKEN = 16


class SettingsError(ValueError):
    """A GENIE_* variable holds a value genie cannot use."""


def _flag(value: str | None) -> bool:
    return (value or "").strip().lower() in {"1", "true", "yes", "on"}


def _prefix(name: str, value: str | None, default: str) -> str:
    """A mount point: ``/djinn``, ``/api``, or ``""`` for the root (``/`` too)."""
    text = default if value is None else value.strip()
    text = text.rstrip("/")
    if text and (not text.startswith("/") or any(c in text for c in "?#{} \t\n")):
        raise SettingsError(f"{name} must be a path such as /djinn, or / for the root")
    return text


def _size(name: str, value: str | None, default: int) -> int:
    if value is None or value.strip() == "":
        return default
    try:
        size = int(value)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number of bytes, not {value!r}") from None
    if size < 0:
        raise SettingsError(f"{name} cannot be negative")
    return size


def _seconds(name: str, value: str | None, default: int) -> int:
    if value is None or value.strip() == "":
        return default
    try:
        seconds = int(value)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number of seconds, not {value!r}") from None
    if seconds < 0:
        raise SettingsError(f"{name} cannot be negative")
    return seconds


def _choice(name: str, value: str | None, choices: tuple[str, ...]) -> str:
    chosen = (value or choices[0]).strip().lower()
    if chosen not in choices:
        raise SettingsError(f"{name} must be one of {', '.join(choices)}, not {value!r}")
    return chosen


def _metrics_token(value: str | None) -> str | None:
    token = (value or "").strip() or None
    if token is not None and len(token) < MIN_METRICS_TOKEN:
        raise SettingsError(f"GENIE_METRICS_TOKEN must be at least {MIN_METRICS_TOKEN} characters")
    return token


@dataclass(frozen=True)
class S3Location:
    """``GENIE_STORAGE_URL=s3://bucket/prefix``: each key is stored at ``prefix/key``."""

    bucket: str
    prefix: str = ""

    @classmethod
    def parse(cls, url: str) -> S3Location:
        """``s3://bucket[/prefix]``; raises ``ValueError`` for anything else."""
        scheme, sep, rest = url.partition("://")
        bucket, _, prefix = rest.partition("/")
        if scheme.lower() != "s3" or not sep or not bucket:
            raise ValueError(f"not an s3://bucket/prefix URL: {url!r}")
        return cls(bucket, prefix.strip("/"))

    def key(self, key: str) -> str:
        return f"{self.prefix}/{key}" if self.prefix else key


@dataclass(frozen=True)
class Settings:
    database_url: str = DEFAULT_DATABASE_URL
    data_dir: Path = Path(DEFAULT_DATA_DIR)
    debug: bool = False
    #: Largest object upload in bytes; 0 means no limit.
    object_max_size: int = DEFAULT_OBJECT_MAX_SIZE
    #: Largest QCOW2 image, uploaded or downloaded, in bytes; 0 means no limit.
    image_max_size: int = 0
    #: Absolute base URL of the service (``https://genie.example.com``); derived from
    #: each request when unset.
    base_url: str | None = None
    #: Validate every response against the spec (tests; far too slow for production).
    validate_responses: bool = False
    #: Size of the async database connection pool.
    pool_size: int = 10
    #: Master secret for encryption at rest and HMACs (``GENIE_SECRET_KEY``). When
    #: unset, a random key is generated once and kept in ``<data_dir>/secret.key``.
    secret_key: str | None = field(default=None, repr=False)
    #: Let outbound URLs (webhooks, image downloads) reach loopback and private
    #: addresses. Off by default: an SSRF guard.
    allow_private_urls: bool = False
    #: Run the job-queue worker inside ``genie serve``.
    jobs_worker: bool = True
    #: DjaoDjin: refuse requests that did not arrive over HTTPS (403), as the
    #: original does. The scheme honours ``X-Forwarded-Proto`` from trusted proxies.
    require_https: bool = False
    #: DjaoDjin: the deployer that runs containers (``genie.deploy``): ``local``,
    #: or ``package.module:Class`` for one of your own.
    deployer: str = "local"
    #: DjaoDjin: sites without a custom domain are served at ``<slug>.<site_domain>``.
    site_domain: str = "djaoapp.com"
    #: DjaoDjin: managers of this organization (the platform's) may act on every one.
    broker_organization: str | None = None
    #: DjaoDjin: the platform's mail server (``smtp://user:password@host:587``, or
    #: ``smtps://`` for implicit TLS), used by domains without SMTP settings.
    smtp_url: str | None = field(default=None, repr=False)
    #: DjaoDjin: the sender of platform mail when a domain names none.
    default_from_email: str = "noreply@djaoapp.com"
    #: Where files go: the folder ``data_dir`` (``None``), or ``s3://bucket/prefix``.
    s3: S3Location | None = None
    #: A non-AWS S3 endpoint (MinIO, Ceph RGW, R2, moto), e.g. ``http://127.0.0.1:9000``.
    s3_endpoint_url: str | None = None
    #: The bucket's region (``AWS_REGION``, else ``AWS_DEFAULT_REGION``).
    s3_region: str | None = None
    #: Answer raw downloads with a 302 to a short-lived presigned S3 URL.
    s3_presign: bool = False
    #: Where each API is mounted (``GENIE_DJINN_PREFIX``, ``GENIE_DJAODJIN_PREFIX``);
    #: ``""`` is the root, as on the original's API-only host.
    djinn_prefix: str = "/djinn"
    djaodjin_prefix: str = "/api"
    #: Log lines as ``text`` (uvicorn's human format) or ``json`` (one object a line).
    log_format: str = "text"
    #: Bearer token that opens ``GET /metrics`` to clients beyond loopback.
    metrics_token: str | None = field(default=None, repr=False)
    #: Seconds a stopping node gives in-flight requests and running jobs.
    shutdown_grace: int = DEFAULT_SHUTDOWN_GRACE
    #: Builds: seconds a build may run before it ends ``timed_out``.
    build_timeout: int = 3600
    #: Builds: bytes of output kept per job; past it, a notice.
    job_output_max: int = 1024 * 1024
    #: Builds: bytes of artifacts kept per owner (0: no limit); the oldest of
    #: unpinned builds are curated past it.
    artifact_quota: int = 0
    #: Builds: limits of each job's processes (0: none). CPU seconds per process
    #: and the largest file one may write (``os``: ``prlimit``; ``docker``: the
    #: container's ulimits); memory is each process's address space (``os``) or
    #: the container's memory (``docker``).
    build_cpu: int = 3600
    build_memory: int = 8 * 1024**3
    build_file_size: int = 4 * 1024**3
    #: Largest JSON or form body in bytes (413 past it); 0 means no limit.
    json_max_size: int = DEFAULT_JSON_MAX_SIZE
    #: Seconds a request body may take, plus one per 16 KiB received (408 past it).
    body_timeout: int = 30
    #: Requests and connections served at once; past it uvicorn answers 503.
    limit_concurrency: int = 1024
    #: Seconds an idle keep-alive connection stays open.
    keep_alive: int = 5
    #: Failed authentications per minute per client address before 429; 0: no limit.
    auth_failures: int = 60
    #: Seconds a claimed job stays its worker's without a heartbeat: a job whose
    #: worker died is taken by another once it runs out.
    job_lease: int = DEFAULT_JOB_LEASE

    def __post_init__(self) -> None:
        if self.job_lease < MIN_JOB_LEASE:
            raise SettingsError(f"GENIE_JOB_LEASE must be at least {MIN_JOB_LEASE} seconds")
        for name, prefix in (("djinn", self.djinn_prefix), ("djaodjin", self.djaodjin_prefix)):
            if prefix in ROOT_PATHS:
                raise SettingsError(f"the {name} prefix {prefix} is taken by genie itself")
        djinn, djaodjin = self.djinn_prefix, self.djaodjin_prefix
        if djinn == djaodjin or (djaodjin == "" and djinn != ""):
            raise SettingsError(
                "GENIE_DJINN_PREFIX and GENIE_DJAODJIN_PREFIX must differ, and only the "
                "Djinn API can be mounted at the root"
            )

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Read every setting, in field order: the first unusable value raises its
        :class:`SettingsError`."""
        env = os.environ if environ is None else environ
        return cls(
            **_service(env),
            **_server(env),
            **_files(env),
            **_build_limits(env, cls),
        )


def _service(env: Mapping[str, str]) -> dict[str, Any]:
    """The database and data directory, upload sizes, who genie is on the web (its
    URL, site and mail) and its switches."""
    base_url = (env.get("GENIE_BASE_URL") or "").strip().rstrip("/") or None
    return dict(
        database_url=env.get("GENIE_DATABASE_URL") or DEFAULT_DATABASE_URL,
        data_dir=Path(env.get("GENIE_DATA_DIR") or DEFAULT_DATA_DIR),
        debug=_flag(env.get("GENIE_DEBUG")),
        object_max_size=_size(
            "GENIE_OBJECT_MAX_SIZE", env.get("GENIE_OBJECT_MAX_SIZE"), DEFAULT_OBJECT_MAX_SIZE
        ),
        image_max_size=_size("GENIE_IMAGE_MAX_SIZE", env.get("GENIE_IMAGE_MAX_SIZE"), 0),
        base_url=base_url,
        validate_responses=_flag(env.get("GENIE_VALIDATE_RESPONSES")),
        pool_size=_size("GENIE_DB_POOL_SIZE", env.get("GENIE_DB_POOL_SIZE"), 10) or 10,
        secret_key=env.get("GENIE_SECRET_KEY") or None,
        allow_private_urls=_flag(env.get("GENIE_ALLOW_PRIVATE_URLS")),
        jobs_worker=_flag(env.get("GENIE_JOBS_WORKER", "1")),
        require_https=_flag(env.get("GENIE_REQUIRE_HTTPS")),
        deployer=(env.get("GENIE_DEPLOYER") or "local").strip(),
        site_domain=(env.get("GENIE_SITE_DOMAIN") or "djaoapp.com").strip().lower(),
        broker_organization=(env.get("GENIE_BROKER_ORGANIZATION") or "").strip() or None,
        smtp_url=env.get("GENIE_SMTP_URL") or None,
        default_from_email=(env.get("GENIE_DEFAULT_FROM_EMAIL") or "noreply@djaoapp.com").strip(),
    )


def _server(env: Mapping[str, str]) -> dict[str, Any]:
    """How the server logs, times out, limits requests and leases jobs."""
    return dict(
        log_format=_choice("GENIE_LOG_FORMAT", env.get("GENIE_LOG_FORMAT"), LOG_FORMATS),
        metrics_token=_metrics_token(env.get("GENIE_METRICS_TOKEN")),
        shutdown_grace=_seconds(
            "GENIE_SHUTDOWN_GRACE", env.get("GENIE_SHUTDOWN_GRACE"), DEFAULT_SHUTDOWN_GRACE
        ),
        json_max_size=_size(
            "GENIE_JSON_MAX_SIZE", env.get("GENIE_JSON_MAX_SIZE"), DEFAULT_JSON_MAX_SIZE
        ),
        body_timeout=_seconds("GENIE_BODY_TIMEOUT", env.get("GENIE_BODY_TIMEOUT"), 30) or 30,
        limit_concurrency=_size("GENIE_LIMIT_CONCURRENCY", env.get("GENIE_LIMIT_CONCURRENCY"), 1024)
        or 1024,
        keep_alive=_seconds("GENIE_KEEP_ALIVE", env.get("GENIE_KEEP_ALIVE"), 5),
        auth_failures=_size("GENIE_AUTH_FAILURES", env.get("GENIE_AUTH_FAILURES"), 60),
        job_lease=_seconds("GENIE_JOB_LEASE", env.get("GENIE_JOB_LEASE"), DEFAULT_JOB_LEASE),
    )


def _files(env: Mapping[str, str]) -> dict[str, Any]:
    """Where files go (S3 or the data directory) and where the two APIs are mounted."""
    return dict(
        s3=_storage(env.get("GENIE_STORAGE_URL")),
        s3_endpoint_url=(env.get("GENIE_S3_ENDPOINT_URL") or "").strip() or None,
        s3_region=(env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION") or "").strip() or None,
        s3_presign=_flag(env.get("GENIE_S3_PRESIGN")),
        djinn_prefix=_prefix("GENIE_DJINN_PREFIX", env.get("GENIE_DJINN_PREFIX"), "/djinn"),
        djaodjin_prefix=_prefix("GENIE_DJAODJIN_PREFIX", env.get("GENIE_DJAODJIN_PREFIX"), "/api"),
    )


def _build_limits(env: Mapping[str, str], defaults: type[Settings]) -> dict[str, Any]:
    """How long, how much output and how many resources a build may take."""
    return dict(
        build_timeout=_seconds("GENIE_BUILD_TIMEOUT", env.get("GENIE_BUILD_TIMEOUT"), 3600) or 3600,
        job_output_max=_size("GENIE_JOB_OUTPUT_MAX", env.get("GENIE_JOB_OUTPUT_MAX"), 1024 * 1024),
        artifact_quota=_size("GENIE_ARTIFACT_QUOTA", env.get("GENIE_ARTIFACT_QUOTA"), 0),
        build_cpu=_seconds("GENIE_BUILD_CPU", env.get("GENIE_BUILD_CPU"), defaults.build_cpu),
        build_memory=_size(
            "GENIE_BUILD_MEMORY", env.get("GENIE_BUILD_MEMORY"), defaults.build_memory
        ),
        build_file_size=_size(
            "GENIE_BUILD_FILE_SIZE", env.get("GENIE_BUILD_FILE_SIZE"), defaults.build_file_size
        ),
    )


def _storage(value: str | None) -> S3Location | None:
    url = (value or "").strip()
    if not url:
        return None
    try:
        return S3Location.parse(url)
    except ValueError:
        raise SettingsError(f"GENIE_STORAGE_URL must be s3://bucket/prefix, not {url!r}") from None
