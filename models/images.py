"""QCOW2 images for the qemu driver, uploaded or downloaded from a URL.

An image's file lives in storage under its random ``hash``. An uploaded image has
its file from the start; a downloaded one gets it when its download job succeeds
(:mod:`genie.images`), and has an :class:`ImageDownload` row recording the
download's source (password redacted), outcome and times. The URL itself, which
may carry credentials, is kept encrypted only until the download ends.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    ForeignKey,
    Index,
    LargeBinary,
    Row,
    String,
    Table,
    Text,
    select,
    text,
    update,
)
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UTCDateTime, utcnow
from models.resources import NamespacedResource

DRIVERS = ("qemu",)


class NameTaken(Exception):
    """The image name is already used by this owner (or in this namespace)."""


class Image(Base):
    __tablename__ = "images"
    __table_args__ = (
        # Uniqueness: per namespace for namespaced images, per owner for personal ones.
        Index(
            "uq_images_namespace_id_name",
            "namespace_id",
            "name",
            unique=True,
            postgresql_where=text("namespace_id IS NOT NULL"),
            sqlite_where=text("namespace_id IS NOT NULL"),
        ),
        Index(
            "uq_images_user_id_name",
            "user_id",
            "name",
            unique=True,
            postgresql_where=text("namespace_id IS NULL"),
            sqlite_where=text("namespace_id IS NULL"),
        ),
        # The list: WHERE user_id = ? ORDER BY name.
        Index("ix_images_user_id_name_id", "user_id", "name", "id"),
        Index("ix_images_author_id", "author_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    namespace_id: Mapped[int | None] = mapped_column(
        ForeignKey("namespaces.id", ondelete="SET NULL")
    )
    #: Storage key of the file; never shown.
    hash: Mapped[str] = mapped_column(String(64), unique=True)
    driver: Mapped[str] = mapped_column(String(16), default="qemu")
    name: Mapped[str] = mapped_column(String(255))
    #: Size and SHA-256 of the file (the download ``ETag``); null until it exists.
    size: Mapped[int | None] = mapped_column(BigInteger, default=None)
    sha256: Mapped[str | None] = mapped_column(String(64), default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ImageDownload(Base):
    """Where a downloaded image comes from, and how its download went."""

    __tablename__ = "image_downloads"

    id: Mapped[int] = mapped_column(primary_key=True)
    image_id: Mapped[int] = mapped_column(ForeignKey("images.id", ondelete="CASCADE"), unique=True)
    #: The URL, password redacted: what the API shows.
    source: Mapped[str] = mapped_column(Text)
    #: The URL as given, encrypted (``genie.images.URL_PURPOSE``); NULL once done.
    url: Mapped[bytes | None] = mapped_column(LargeBinary, default=None)
    error: Mapped[str | None] = mapped_column(Text, default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)


_images: Table = Image.__table__  # type: ignore[assignment]
_downloads: Table = ImageDownload.__table__  # type: ignore[assignment]
IMAGES = NamespacedResource(
    _images,
    label="images",
    taken=NameTaken,
    clash_markers=("name",),
    # An uploaded image has no download: its download_* columns are NULL.
    extra_columns=(
        _downloads.c.id.label("download_id"),
        _downloads.c.source.label("download_source"),
        _downloads.c.error.label("download_error"),
        _downloads.c.created_at.label("download_created_at"),
        _downloads.c.started_at.label("download_started_at"),
        _downloads.c.finished_at.label("download_finished_at"),
    ),
    join=lambda rows: rows.outerjoin(_downloads, _downloads.c.image_id == _images.c.id),
    returning="hash",
)

#: Images with their author, owner, namespace and download, as flat rows.
IMAGE_ROWS = IMAGES.rows
#: The caller's images and those of trees they collaborate on, by name.
visible_images = IMAGES.visible
#: The images of one namespace, by name.
in_namespace = IMAGES.in_namespace
#: The image's row, whoever may see it (for jobs).
get = IMAGES.get
#: The image's row, if the caller (``None``: anonymous) may read it.
get_visible = IMAGES.get_visible
get_writable = IMAGES.get_writable
name_taken = IMAGES.name_taken


async def insert(
    session: AsyncSession, image: Image, download: ImageDownload | None = None
) -> Row[Any]:
    """Insert the image (and its download) and return its row; raise
    :class:`NameTaken` when the unique name rule refuses it. The caller's
    transaction must then be rolled back."""
    await IMAGES.add(session, image)
    if download is not None:
        download.image_id = image.id
        session.add(download)
        await session.flush()
    return await IMAGES.row(session, image.id)


async def remove(conn: AsyncConnection | AsyncSession, image_id: int) -> str | None:
    """Delete the image (and its download); its storage hash, or ``None`` when it
    was already gone."""
    image_hash: str | None = await IMAGES.delete(conn, image_id)
    return image_hash


# The download, for the job that runs it.


async def download_of(conn: AsyncConnection | AsyncSession, image_id: int) -> Row[Any] | None:
    """The image's download row joined with the image's hash, or ``None``."""
    statement = (
        select(_downloads, _images.c.hash)
        .join(_images, _images.c.id == _downloads.c.image_id)
        .where(_downloads.c.image_id == image_id)
    )
    return (await conn.execute(statement)).first()


async def download_started(conn: AsyncConnection, image_id: int) -> bool:
    """Mark the download started (again, after a crash); False if it is gone or done."""
    result = await conn.execute(
        update(_downloads)
        .where(_downloads.c.image_id == image_id, _downloads.c.finished_at.is_(None))
        .values(started_at=utcnow(), error=None)
    )
    return bool(result.rowcount)


async def download_finished(
    conn: AsyncConnection,
    image_id: int,
    *,
    error: str | None,
    size: int | None = None,
    sha256: str | None = None,
) -> bool:
    """Record the outcome and forget the URL; False when the image is gone."""
    result = await conn.execute(
        update(_downloads)
        .where(_downloads.c.image_id == image_id, _downloads.c.finished_at.is_(None))
        .values(finished_at=utcnow(), error=error, url=None)
    )
    if not result.rowcount:
        return False
    if error is None:
        await conn.execute(
            update(_images).where(_images.c.id == image_id).values(size=size, sha256=sha256)
        )
    return True
