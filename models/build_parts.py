"""What a build holds besides its row: tags, its snapshot of variables and keys,
its jobs (status, output, timings) and its artifacts.

Snapshots are copies taken at submission: a masked variable's value and a key's
material stay AES-GCM ciphertext here too (the purposes of
:mod:`models.variables` and :mod:`models.keys`); only the worker decrypts them.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UTCDateTime, utcnow

JOB_STATUSES = ("queued", "running", "passed", "failed", "killed", "timed_out")


class BuildTag(Base):
    __tablename__ = "build_tags"
    __table_args__ = (UniqueConstraint("build_id", "name"), Index("ix_build_tags_name", "name"))

    id: Mapped[int] = mapped_column(primary_key=True)
    build_id: Mapped[int] = mapped_column(ForeignKey("builds.id", ondelete="CASCADE"))
    #: Who tagged it.
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class BuildVariable(Base):
    __tablename__ = "build_variables"

    id: Mapped[int] = mapped_column(primary_key=True)
    build_id: Mapped[int] = mapped_column(ForeignKey("builds.id", ondelete="CASCADE"), index=True)
    #: The variable copied; None for the manifest's ``env`` (or once it is deleted).
    variable_id: Mapped[int | None] = mapped_column(
        ForeignKey("variables.id", ondelete="SET NULL"), index=True
    )
    key: Mapped[str] = mapped_column(String(255))
    #: Plain value of an unmasked variable; None when masked.
    value: Mapped[str | None] = mapped_column(Text)
    encrypted_value: Mapped[bytes | None] = mapped_column(LargeBinary)
    masked: Mapped[bool] = mapped_column(default=False)


class BuildKey(Base):
    __tablename__ = "build_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    build_id: Mapped[int] = mapped_column(ForeignKey("builds.id", ondelete="CASCADE"), index=True)
    key_id: Mapped[int | None] = mapped_column(
        ForeignKey("ssh_keys.id", ondelete="SET NULL"), index=True
    )
    name: Mapped[str] = mapped_column(String(255))
    encrypted_key: Mapped[bytes] = mapped_column(LargeBinary)
    config: Mapped[str] = mapped_column(Text, default="")
    location: Mapped[str] = mapped_column(String(512))


class BuildJob(Base):
    __tablename__ = "build_jobs"
    __table_args__ = (Index("ix_build_jobs_build_id_position", "build_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    build_id: Mapped[int] = mapped_column(ForeignKey("builds.id", ondelete="CASCADE"))
    #: Run order within the build (stage by stage).
    position: Mapped[int]
    stage: Mapped[str] = mapped_column(String(255))
    can_fail: Mapped[bool] = mapped_column(default=False)
    name: Mapped[str] = mapped_column(String(255))
    #: Newline-joined.
    commands: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(32), default="queued")
    output: Mapped[str | None] = mapped_column(Text, default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)


class BuildArtifact(Base):
    __tablename__ = "build_artifacts"
    __table_args__ = (
        Index("ix_build_artifacts_build_id_name", "build_id", "name"),
        # Curation: an owner's collected artifacts, oldest first.
        Index("ix_build_artifacts_user_id_created_at", "user_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    build_id: Mapped[int] = mapped_column(ForeignKey("builds.id", ondelete="CASCADE"))
    job_id: Mapped[int] = mapped_column(ForeignKey("build_jobs.id", ondelete="CASCADE"), index=True)
    #: The build's owner (quota).
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    #: Storage key of the file, made at submission.
    hash: Mapped[str] = mapped_column(String(64), unique=True)
    source: Mapped[str] = mapped_column(String(1024))
    name: Mapped[str] = mapped_column(String(255))
    size: Mapped[int | None] = mapped_column(BigInteger, default=None)
    md5: Mapped[str | None] = mapped_column(String(32), default=None)
    sha256: Mapped[str | None] = mapped_column(String(64), default=None)
    #: Set when the job ended and the file was not there.
    missing: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
