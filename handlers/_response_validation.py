"""Response validation cheap enough to leave on (``GENIE_VALIDATE_RESPONSES=1``).

Connexion validates each JSON response with ``jsonschema`` in Python: a 25-object
list took longer to validate than to build (scenario 1b, bench/README.md). Here
each response schema is also compiled once (:mod:`handlers._validation._compiled`),
which answers "valid?" for the usual, valid response. Only a response it finds
invalid goes through the Python validator (:class:`handlers._validation.ResponseBodyValidator`),
which decides and reports exactly as before: the same 500, the same message, the
same log line.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import orjson
from connexion.datastructures import MediaTypeDict

from handlers._validation import VALIDATOR_MAP, ResponseBodyValidator
from handlers._validation._compiled import compiled


class FastResponseBodyValidator(ResponseBodyValidator):
    """A compiled check first; the Python validator only for what it refuses."""

    _fast: dict[int, tuple[Any, Any]] = {}

    def _fast_validator(self) -> Any:
        """The compiled check of this schema, or None (the Python one decides)."""
        key = id(self._schema)
        found = self._fast.get(key)
        if found is None or found[0] is not self._schema:
            found = (self._schema, compiled(self._schema, response=True))
            self._fast[key] = found
        return found[1]

    def _parse(self, stream: Generator[bytes, None, None]) -> Any:
        body = b"".join(stream)
        if self._encoding.lower().replace("-", "") != "utf8":
            return super()._parse(iter((body,)))
        try:
            return orjson.loads(body) if body else None
        except orjson.JSONDecodeError:  # Connexion's parser reports it
            return super()._parse(iter((body,)))

    def _validate(self, body: Any) -> dict[str, Any] | None:
        fast = self._fast_validator()
        if fast is not None and fast.is_valid(body):
            return None
        return super()._validate(body)


RESPONSE_VALIDATOR_MAP = {
    **VALIDATOR_MAP,
    "response": MediaTypeDict({**VALIDATOR_MAP["response"], "*/*json": FastResponseBodyValidator}),
}
