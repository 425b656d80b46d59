"""File storage behind a small interface, so handlers never touch paths.

``Storage.begin(key)`` opens an :class:`Upload`; :func:`ingest` streams a body
into it while computing MD5 and SHA-256 in worker threads (``Storage.receive``
does both); ``commit()`` makes it visible under its key, ``abort()`` removes
every trace. ``Storage.put`` stores an async iterator at once (writers that are
not requests); ``stat``, ``read`` (a byte range, streamed) and ``delete`` serve
the rest. The folder backend is the only one today.
"""

from genie.storage.base import Blob, Storage, Stored, TooLarge, Upload, ingest
from genie.storage.filesystem import FilesystemStorage

__all__ = [
    "Blob",
    "FilesystemStorage",
    "Storage",
    "Stored",
    "TooLarge",
    "Upload",
    "ingest",
]
