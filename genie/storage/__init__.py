"""File storage behind a small interface, so handlers never touch paths.

``Storage.begin()`` opens an :class:`Upload`; :func:`ingest` streams a request body
into it while computing MD5 and SHA-256 in worker threads; ``commit(key)`` makes
it visible, ``abort()`` removes every trace. The filesystem backend is the only
one today; an S3-compatible backend implements the same two classes.
"""

from genie.storage.base import Blob, Storage, TooLarge, Upload, ingest
from genie.storage.filesystem import FilesystemStorage

__all__ = ["Blob", "FilesystemStorage", "Storage", "TooLarge", "Upload", "ingest"]
