"""A watch for secrets that must never leave the server.

Tests register the plaintexts they send (masked variable values, SSH private
keys) with :data:`WATCH`. From then on, for the rest of the test session, every
response of every in-process app client (``tests.conftest.app_client``) is
scanned, headers and body, and so is every log record that reaches the root
logger (WARNING and above, and genie's INFO access lines), as its message and as
the JSON line ``GENIE_LOG_FORMAT=json`` would write, extras included: a
registered secret anywhere fails the test that received it. Real servers' logs
are scanned line by line with :meth:`SecretWatch.scan_log` (the live server's
whole log, when the session ends).

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

from genie.logs import JsonFormatter

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
        # Every record that reaches it: the root's level and the loggers' decide.
        super().__init__(level=logging.NOTSET)
        self._json = JsonFormatter()
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

    def find_in_json(self, text: str) -> str | None:
        """A registered secret in ``text``, raw or in any string of it decoded as
        JSON (escaped quotes, backslashes and newlines hide nothing)."""
        leaked = self.find(text)
        if leaked is None:
            with contextlib.suppress(orjson.JSONDecodeError):
                leaked = next(filter(None, map(self.find, _strings(orjson.loads(text)))), None)
        return leaked

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

    def scan_log(self, where: str, text: str) -> None:
        """Every line of a process's log, JSON lines decoded too."""
        for number, line in enumerate(text.splitlines(), 1):
            leaked = self.find_in_json(line)
            if leaked is not None:
                raise SecretLeaked(f"a registered secret appears in {where}, line {number}")

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
        leaked = self.find(text) or self.find_in_json(self._json.format(record))
        if leaked is not None:
            # Logging swallows what a handler raises: the fixture checks this list.
            self.logged.append(f"{record.name}: ...{leaked[:8]}...")


WATCH = SecretWatch()
