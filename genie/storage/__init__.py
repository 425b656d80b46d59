"""File storage behind a small interface, so handlers never touch paths.

``Storage.begin(key)`` opens an :class:`Upload`; :func:`ingest` streams a body
into it while computing MD5 and SHA-256 in worker threads (``Storage.receive``
does both); ``commit()`` makes it visible under its key, ``abort()`` removes
every trace. ``Storage.put`` stores an async iterator at once (writers that are
not requests); ``stat``, ``read`` (a byte range, streamed) and ``delete`` serve
the rest. Two backends: a folder (the default) and an S3-compatible bucket.
"""

from genie.settings import Settings
from genie.storage.base import Blob, Storage, Stored, TooLarge, Upload, UploadGuard, ingest
from genie.storage.filesystem import FilesystemStorage

__all__ = [
    "Blob",
    "FilesystemStorage",
    "Storage",
    "Stored",
    "TooLarge",
    "Upload",
    "UploadGuard",
    "from_settings",
    "ingest",
]


def from_settings(settings: Settings) -> Storage:
    """The backend ``GENIE_STORAGE_URL`` names: the folder ``GENIE_DATA_DIR`` when unset."""
    if settings.s3 is None:
        return FilesystemStorage(settings.data_dir)
    # Imported only when used: aiobotocore costs start-up time.
    from genie.storage.s3 import S3Storage

    return S3Storage(
        settings.s3,
        endpoint_url=settings.s3_endpoint_url,
        region=settings.s3_region,
        presign=settings.s3_presign,
    )
