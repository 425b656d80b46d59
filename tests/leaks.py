"""A watch for secrets that must never leave the server.

Tests register the plaintexts they send (masked variable values, SSH private
keys) with :data:`WATCH`. From then on, for the rest of the test session, every
response of every in-process app client (``tests.conftest.app_client``) is
scanned, headers and body, and so is every log record of level WARNING or above:
a registered secret anywhere fails the test that received it.

The body is scanned raw and, for JSON, string by string after decoding, so that
an escaped secret (a key's newlines as ``\\n``) is found too. Multi-line secrets
also register each long line on its own: one line of a key is already a leak.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from typing import Any

import httpx
import orjson

#: Lines shorter than this are not distinctive enough to scan for on their own
#: (``-----END OPENSSH PRIVATE KEY-----`` is not a secret).
MIN_FRAGMENT = 40


class SecretLeaked(AssertionError):
    """A registered secret left the server."""


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield str(k)
            yield from _strings(v)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


class SecretWatch(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.fragments: set[str] = set()
        #: Responses scanned so far: a test can check that the watch saw its calls.
        self.responses_scanned = 0
        #: Log records that carried a secret (a logging handler cannot raise).
        self.logged: list[str] = []

    def register(self, *secrets: str) -> None:
        for secret in secrets:
            if "-----BEGIN" in secret:
                # The armour lines are public, and so is the first base64 line of
                # an OpenSSH key (the same for every key of a type); the other
                # lines are the key.
                lines = [line for line in secret.splitlines() if "-----" not in line][1:]
                self.fragments.update(line for line in lines if len(line) >= MIN_FRAGMENT)
            else:
                self.fragments.add(secret)

    def find(self, text: str) -> str | None:
        return next((f for f in self.fragments if f in text), None)

    def scan(self, where: str, headers: httpx.Headers, body: bytes) -> None:
        texts = [f"{k}: {v}" for k, v in headers.multi_items()]
        texts.append(body.decode("utf-8", "replace"))
        if b"json" in headers.get("content-type", "").encode():
            with contextlib.suppress(orjson.JSONDecodeError):
                texts.extend(_strings(orjson.loads(body)))
        for text in texts:
            leaked = self.find(text)
            if leaked is not None:
                raise SecretLeaked(f"a registered secret appears in {where}: ...{leaked[:8]}...")

    async def check_response(self, response: httpx.Response) -> None:
        """An httpx response hook."""
        await response.aread()
        self.responses_scanned += 1
        where = f"the response to {response.request.method} {response.request.url}"
        self.scan(where, response.headers, response.content)

    def emit(self, record: logging.LogRecord) -> None:
        text = record.getMessage()
        if record.exc_info and record.exc_info[1] is not None:
            text += f" {record.exc_info[1]!r}"
        leaked = self.find(text)
        if leaked is not None:
            # Logging swallows what a handler raises: the fixture checks this list.
            self.logged.append(f"{record.name}: ...{leaked[:8]}...")


WATCH = SecretWatch()
