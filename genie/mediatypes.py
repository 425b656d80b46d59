"""Media types: what an upload is, and whether a client asked for raw content."""

from __future__ import annotations

import mimetypes
import re

import filetype

#: Types that say nothing about the content (curl's ``-d`` default among them).
UNINFORMATIVE = frozenset({"application/octet-stream", "application/x-www-form-urlencoded"})
_TCHARS = r"[A-Za-z0-9!#$&^_.+-]+"
_MEDIA_TYPE = re.compile(rf"^{_TCHARS}/{_TCHARS}$")
MAX_LENGTH = 255


def base(media_type: str) -> str:
    """``text/plain; charset=utf-8`` -> ``text/plain``."""
    return media_type.split(";", 1)[0].strip().lower()


def normalise(media_type: str | None) -> str | None:
    """A well-formed media type with its parameters, or ``None``."""
    if not media_type:
        return None
    parts = [p.strip() for p in media_type.split(";")]
    if not _MEDIA_TYPE.fullmatch(parts[0]):
        return None
    value = "; ".join([parts[0].lower(), *(p for p in parts[1:] if p)])
    return value if len(value) <= MAX_LENGTH else parts[0].lower()


def object_type(declared: str | None, head: bytes, name: str) -> str:
    """The header's type, else the type detected from the content, else from the name."""
    media_type = normalise(declared)
    if media_type and base(media_type) not in UNINFORMATIVE:
        return media_type
    detected = filetype.guess_mime(head) if head else None
    if detected:
        return str(detected)
    guessed, _ = mimetypes.guess_type(name, strict=False)
    return guessed or "application/octet-stream"


def accepts_exactly(accept: str | None, *media_types: str) -> bool:
    """Whether ``Accept`` names one of ``media_types`` (parameters ignored, no wildcards)."""
    if not accept:
        return False
    wanted = {base(m) for m in media_types}
    for item in accept.split(","):
        parts = [p.strip() for p in item.split(";")]
        q = next((p[2:] for p in parts[1:] if p.lower().startswith("q=")), None)
        if q is not None:
            try:
                if float(q) <= 0:
                    continue
            except ValueError:
                continue
        if parts[0].lower() in wanted:
            return True
    return False
