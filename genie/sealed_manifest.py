"""Masked values typed literally into a manifest: shown as ``xxxxxx``, kept sealed.

A masked variable's value never comes back from the API (``handlers/djinn/variables.py``),
and the runner masks it in job output (:mod:`genie.runner.masking`). A manifest can
still hold one literally: a token pasted into a command. Such a manifest is stored
as two texts:

* ``manifest``: each masked value the submitter has in scope (their personal
  variables and the namespace's) replaced by ``xxxxxx``. Every response, job row
  (``commands``) and webhook shows this one.
* ``sealed_manifest``: the text as written, encrypted at rest
  (:data:`MANIFEST_PURPOSE`). Only the build worker and the cron scheduler open
  it, to run what was written.

A manifest that holds no masked value has no sealed copy (``NULL``), so builds and
cron jobs without one read as before.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from genie.crypto import Crypto
from genie.runner.masking import Masker
from models.variables import VALUE_PURPOSE, Variable

MANIFEST_PURPOSE = "manifest"


@dataclass(frozen=True)
class Sealed:
    #: The text to store in ``manifest`` and to show.
    shown: str
    #: The text as written, encrypted; None when it held no masked value.
    sealed: bytes | None
    masker: Masker


def seal(crypto: Crypto, text: str, masked: list[str]) -> Sealed:
    """``text`` with the ``masked`` values hidden, and sealed when any was in it."""
    masker = Masker(masked)
    shown = masker.mask_all(text)
    sealed = None if shown == text else crypto.encrypt(text, purpose=MANIFEST_PURPOSE)
    return Sealed(shown, sealed, masker)


def opened(crypto: Crypto, shown: str, sealed: bytes | None) -> str:
    """The manifest as written: the sealed copy when there is one."""
    if sealed is None:
        return shown
    return crypto.decrypt(sealed, purpose=MANIFEST_PURPOSE).decode()


async def masked_values(
    conn: AsyncConnection | AsyncSession, crypto: Crypto, user_id: int, namespace_id: int | None
) -> list[str]:
    """The plaintexts of the masked variables a build of ``user_id`` in
    ``namespace_id`` would get: their personal ones and the namespace's."""
    v = Variable.__table__.c
    personal = (v.user_id == user_id) & v.namespace_id.is_(None)
    scope = personal if namespace_id is None else personal | (v.namespace_id == namespace_id)
    rows = await conn.execute(select(v.encrypted_value).where(v.masked.is_(True), scope))
    return opened_values(crypto, [blob for (blob,) in rows])


def opened_values(crypto: Crypto, blobs: Iterable[bytes | None]) -> list[str]:
    """The plaintexts of masked variables' encrypted values."""
    return [crypto.decrypt(b, purpose=VALUE_PURPOSE).decode() for b in blobs if b is not None]


async def sealed_for(
    conn: AsyncConnection | AsyncSession,
    crypto: Crypto,
    text: str,
    user_id: int,
    namespace_id: int | None,
) -> Sealed:
    """:func:`seal` with the masked values ``user_id`` has in ``namespace_id``."""
    return seal(crypto, text, await masked_values(conn, crypto, user_id, namespace_id))
