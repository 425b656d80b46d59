"""Masked values out of a stream of text: each plaintext becomes ``xxxxxx``.

A :class:`Masker` is fed the output of one job piece by piece, as the pipe gives
it. What it returns is exactly what masking the whole stream at once would give
(:meth:`Masker.mask_all`), however the stream is split, because it never emits
text whose fate more input could still change:

* the longest suffix of the input that is a proper prefix of some secret is
  held back until the next piece (or :meth:`Masker.close`) settles it;
* a match that reaches into that suffix is held back whole, since a longer secret
  starting at the same place may still complete.

So a secret split across writes at any offset, or holding newlines, is replaced;
text that cannot start a secret is released at once. Secrets are matched longest
first at each position, as the one-shot regular expression does.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Final

MASK: Final = "xxxxxx"


class Masker:
    def __init__(self, secrets: Iterable[str]) -> None:
        unique = sorted({s for s in secrets if s}, key=lambda s: (-len(s), s))
        self._secrets = tuple(unique)
        self._pattern = re.compile("|".join(map(re.escape, unique))) if unique else None
        self._firsts = frozenset(s[0] for s in unique)
        self._longest = len(unique[0]) if unique else 0
        self._pending = ""

    @property
    def active(self) -> bool:
        return self._pattern is not None

    def mask_all(self, text: str) -> str:
        """The whole text masked at once: the reference the streaming form matches."""
        return self._pattern.sub(MASK, text) if self._pattern else text

    def feed(self, text: str) -> str:
        """Mask the next piece; return what is safe to show now."""
        if self._pattern is None:
            return text
        buf = self._pending + text
        cut = self._held_from(buf)
        out: list[str] = []
        last = 0
        for match in self._pattern.finditer(buf, 0, len(buf)):
            if match.end() > cut:
                cut = min(cut, match.start())
                break
            out.append(buf[last : match.start()])
            out.append(MASK)
            last = match.end()
        cut = max(cut, last)
        out.append(buf[last:cut])
        self._pending = buf[cut:]
        return "".join(out)

    def close(self) -> str:
        """The end of the stream: release what was held back, masked."""
        rest, self._pending = self._pending, ""
        return self.mask_all(rest)

    def _held_from(self, buf: str) -> int:
        """Where the longest suffix of ``buf`` that is a proper prefix of a secret
        starts (``len(buf)`` when there is none)."""
        start = max(0, len(buf) - self._longest + 1)
        for i in range(start, len(buf)):
            if buf[i] in self._firsts:
                tail = buf[i:]
                if any(len(s) > len(tail) and s.startswith(tail) for s in self._secrets):
                    return i
        return len(buf)
