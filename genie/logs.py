"""Log lines, genie's and uvicorn's alike: text (the default) or JSON.

``GENIE_LOG_FORMAT=json`` writes one JSON object per line to stderr::

    {"time": "2026-11-24T10:00:00.123Z", "level": "INFO", "logger": "genie.access",
     "message": "GET /djinn/objects 200", "request_id": "4bf92f35...", "method": "GET",
     "path": "/djinn/objects", "query": "page=2&search", "status": 200, ...}

``time`` (UTC), ``level``, ``logger`` and ``message`` are always there;
``request_id`` on every line logged while a request is served (a context
variable, :data:`REQUEST_ID`, set by :mod:`genie.observe`); then whatever the
call passed as ``extra``; ``exc`` holds a traceback. The text format is
uvicorn's (``INFO:     message``), with `` request_id=...`` appended inside a
request.

:func:`configure` (``genie serve`` hands :func:`logging_config` to uvicorn) sends
every logger, uvicorn's included, through one handler in the chosen format.
Access lines are genie's own (``genie.access``, :mod:`genie.observe`), never
uvicorn's, which print the query string whole.
"""

from __future__ import annotations

import logging
import logging.config
import time
from contextvars import ContextVar
from typing import Any

import orjson
from uvicorn.logging import DefaultFormatter

#: The id of the request being served in this context, if any.
REQUEST_ID: ContextVar[str | None] = ContextVar("genie_request_id", default=None)

#: What every LogRecord has: anything else on a record came in ``extra``.
_STANDARD = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message",
    "asctime",
    "taskName",
    # uvicorn's coloured copy of the message, for its own formatter.
    "color_message",
}


def _timestamp(record: logging.LogRecord) -> str:
    seconds = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
    return f"{seconds}.{int(record.msecs):03d}Z"


class JsonFormatter(logging.Formatter):
    """One JSON object per record, on one line (newlines in values are escaped)."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": _timestamp(record),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = REQUEST_ID.get()
        if request_id is not None:
            entry["request_id"] = request_id
        for key, value in record.__dict__.items():
            if key not in _STANDARD and key not in entry:
                entry[key] = value
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return orjson.dumps(entry, default=repr).decode()


class TextFormatter(DefaultFormatter):
    """uvicorn's human format, plus the request id inside a request."""

    def formatMessage(self, record: logging.LogRecord) -> str:
        line = super().formatMessage(record)
        request_id = REQUEST_ID.get()
        return line if request_id is None else f"{line} request_id={request_id}"


_FORMATTERS = {
    "text": {"()": "genie.logs.TextFormatter", "fmt": "%(levelprefix)s %(message)s"},
    "json": {"()": "genie.logs.JsonFormatter"},
}


def logging_config(log_format: str, level: str = "info") -> dict[str, Any]:
    """A ``logging.config.dictConfig`` dict: every logger to stderr, in ``log_format``."""
    level = level.upper()
    uvicorn = {"level": level, "handlers": [], "propagate": True}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"genie": _FORMATTERS[log_format]},
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "formatter": "genie",
                "stream": "ext://sys.stderr",
            }
        },
        "loggers": {
            "uvicorn": uvicorn,
            "uvicorn.error": uvicorn,
            # Replaced by genie.access; silenced should anything still log there.
            "uvicorn.access": {"level": "CRITICAL", "handlers": [], "propagate": False},
        },
        "root": {"level": level, "handlers": ["stderr"]},
    }


def configure(log_format: str, level: str = "info") -> None:
    """Set up logging for a process that uvicorn does not start (``genie worker``)."""
    logging.config.dictConfig(logging_config(log_format, level))
