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
    ColumnElement,
    ForeignKey,
    Index,
    LargeBinary,
    Row,
    Select,
    String,
    Subquery,
    Table,
    Text,
    bindparam,
    delete,
    exists,
    select,
    text,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from models import access
from models.base import Base, UTCDateTime, utcnow
from models.namespaces import like_pattern
from models.rows import Listing, NamespaceJoin, listing_statements, user_columns
from models.users import User

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
access.register_resource("images", _images, "name")
_author = User.__table__.alias("author")
_owner = User.__table__.alias("owner")


def _image_rows() -> Select[Any]:
    """Images with their author, owner, namespace and download, as flat rows."""
    ns = NamespaceJoin()
    d = _downloads
    return select(
        _images.c.id,
        _images.c.author_id,
        _images.c.user_id,
        _images.c.namespace_id,
        _images.c.hash,
        _images.c.driver,
        _images.c.name,
        _images.c.size,
        _images.c.sha256,
        _images.c.created_at,
        d.c.id.label("download_id"),
        d.c.source.label("download_source"),
        d.c.error.label("download_error"),
        d.c.created_at.label("download_created_at"),
        d.c.started_at.label("download_started_at"),
        d.c.finished_at.label("download_finished_at"),
        *user_columns(_author, "author"),
        *user_columns(_owner, "user"),
        *ns.columns,
    ).select_from(
        ns.join(
            _images.join(_author, _author.c.id == _images.c.author_id)
            .join(_owner, _owner.c.id == _images.c.user_id)
            .outerjoin(d, d.c.image_id == _images.c.id),
            _images.c.namespace_id,
        )
    )


IMAGE_ROWS = _image_rows()


def _image_page(keys: Subquery) -> Select[Any]:
    return IMAGE_ROWS.join(keys, keys.c.id == _images.c.id).order_by(_images.c.name, _images.c.id)


_BY_NAME = (_images.c.name, _images.c.id)
_SEARCH = _images.c.name.ilike(bindparam("pattern"), escape="\\")
_LISTED = access.listing(_images, _image_page, "name")
_LISTED_SEARCH = access.listing(_images, _image_page, "name", where=[_SEARCH])
_IN_NAMESPACE_KEYS = select(_images.c.id).where(_images.c.namespace_id == bindparam("namespace_id"))
_IN_NAMESPACE = listing_statements(_IN_NAMESPACE_KEYS.order_by(*_BY_NAME), _image_page)
_IN_NAMESPACE_SEARCH = listing_statements(
    _IN_NAMESPACE_KEYS.where(_SEARCH).order_by(*_BY_NAME), _image_page
)
_READABLE = IMAGE_ROWS.where(_images.c.id == bindparam("id"), access.readable(_images))
_WRITABLE = IMAGE_ROWS.where(_images.c.id == bindparam("id"), access.writable(_images))


def visible_images(caller_id: int, search: str | None = None) -> Listing:
    """The caller's images and those of trees they collaborate on, by name."""
    if search:
        return Listing(*_LISTED_SEARCH, {"caller_id": caller_id, "pattern": like_pattern(search)})
    return Listing(*_LISTED, {"caller_id": caller_id})


def in_namespace(namespace_id: int, search: str | None = None) -> Listing:
    """The images of one namespace, by name."""
    if search:
        return Listing(
            *_IN_NAMESPACE_SEARCH,
            {"namespace_id": namespace_id, "pattern": like_pattern(search)},
        )
    return Listing(*_IN_NAMESPACE, {"namespace_id": namespace_id})


def by_id(image_id: int) -> Select[Any]:
    return IMAGE_ROWS.where(_images.c.id == image_id)


async def get(conn: AsyncConnection | AsyncSession, image_id: int) -> Row[Any] | None:
    """The image's row, whoever may see it (for jobs)."""
    return (await conn.execute(by_id(image_id))).first()


async def get_visible(
    conn: AsyncConnection | AsyncSession, image_id: int, caller_id: int | None
) -> Row[Any] | None:
    """The image's row, if the caller (``None``: anonymous) may read it."""
    result = await conn.execute(_READABLE, {"id": image_id, "caller_id": caller_id})
    return result.first()


async def get_writable(
    conn: AsyncConnection | AsyncSession, image_id: int, caller_id: int
) -> Row[Any] | None:
    """The image's row, if the caller may change it (owner or collaborator)."""
    result = await conn.execute(_WRITABLE, {"id": image_id, "caller_id": caller_id})
    return result.first()


async def name_taken(
    conn: AsyncConnection | AsyncSession, user_id: int, namespace_id: int | None, name: str
) -> bool:
    cond: ColumnElement[bool]
    if namespace_id is None:
        cond = (_images.c.user_id == user_id) & _images.c.namespace_id.is_(None)
    else:
        cond = _images.c.namespace_id == namespace_id
    return bool(await conn.scalar(select(exists().where(cond, _images.c.name == name))))


async def insert(
    session: AsyncSession, image: Image, download: ImageDownload | None = None
) -> Row[Any]:
    """Insert the image (and its download) and return its row; raise
    :class:`NameTaken` when the unique name rule refuses it. The caller's
    transaction must then be rolled back."""
    session.add(image)
    try:
        await session.flush()
    except IntegrityError as exc:
        if "name" in str(exc.orig):
            raise NameTaken(image.name) from None
        raise
    if download is not None:
        download.image_id = image.id
        session.add(download)
        await session.flush()
    return (await session.execute(by_id(image.id))).one()


async def remove(conn: AsyncConnection | AsyncSession, image_id: int) -> str | None:
    """Delete the image (and its download); its storage hash, or ``None`` when it
    was already gone."""
    result = await conn.execute(
        delete(_images).where(_images.c.id == image_id).returning(_images.c.hash)
    )
    return result.scalar()


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
