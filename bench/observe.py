"""The per-request CPU cost of :mod:`genie.observe` (request id, metrics, access
line), measured on its own: the same trivial ASGI app called bare and wrapped,
interleaved, in one process. ``bench/cpu.py`` measures whole requests, whose
run-to-run noise on shared cores (±5-10%) is larger than this layer.

    python bench/observe.py                 # access lines off (log level warning)
    python bench/observe.py --access json   # and written as JSON to /dev/null

Each run also times, in the same batches, the access line uvicorn wrote before
genie had its own (``uvicorn.access`` with uvicorn's formatter, to /dev/null):
what ``genie serve`` paid per request at ``--log-level info`` until now.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from uvicorn.logging import AccessFormatter

from genie.logs import JsonFormatter, TextFormatter
from genie.metrics import Metrics
from genie.observe import Observe

SCOPE: dict[str, Any] = {
    "type": "http",
    "method": "GET",
    "path": "/djinn/objects",
    "raw_path": b"/djinn/objects",
    "query_string": b"page=2&search=abc",
    "headers": [(b"host", b"127.0.0.1"), (b"authorization", b"Bearer x" * 4)],
    "client": ("127.0.0.1", 5000),
}
BODY = b"[" + b'{"id": 1, "name": "x"},' * 25 + b"]"


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    scope["extensions"]["connexion_routing"] = {"operation_id": "handlers.djinn.objects.index"}
    await send({"type": "http.response.start", "status": 200, "headers": [(b"a", b"b")]})
    await send({"type": "http.response.body", "body": BODY})


def to_null(formatter: logging.Formatter) -> logging.Handler:
    """A handler that formats every record and writes it to /dev/null."""
    handler = logging.StreamHandler(Path("/dev/null").open("w"))  # noqa: SIM115
    handler.setFormatter(formatter)
    return handler


def uvicorn_access_line() -> logging.Logger:
    logger = logging.getLogger("uvicorn.access")
    logger.propagate = False
    logger.setLevel(logging.INFO)
    fmt = '%(levelprefix)s %(client_addr)s - "%(request_line)s" %(status_code)s'
    logger.addHandler(to_null(AccessFormatter(fmt)))
    return logger


def run_uvicorn(logger: logging.Logger, requests: int) -> float:
    started = time.process_time()
    for _ in range(requests):
        logger.info('%s - "%s %s HTTP/%s" %d', "127.0.0.1:5000", "GET", "/x?page=2", "1.1", 200)
    return (time.process_time() - started) / requests * 1e6


async def run(target: Any, requests: int) -> float:
    async def send(_message: Any) -> None:
        return None

    started = time.process_time()
    for _ in range(requests):
        await target({**SCOPE, "extensions": {}}, None, send)
    return (time.process_time() - started) / requests * 1e6


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--access", choices=["off", "text", "json"], default="off")
    parser.add_argument("--batches", type=int, default=30)
    parser.add_argument("--batch", type=int, default=5000)
    args = parser.parse_args()
    access = logging.getLogger("genie.access")
    access.propagate = False
    if args.access != "off":
        formatter = JsonFormatter() if args.access == "json" else TextFormatter()
        access.addHandler(to_null(formatter))
        access.setLevel(logging.INFO)
    observed, uvicorn = Observe(app, Metrics()), uvicorn_access_line()
    bare: list[float] = []
    wrapped: list[float] = []
    before: list[float] = []
    for _ in range(args.batches):
        bare.append(await run(app, args.batch))
        wrapped.append(await run(observed, args.batch))
        before.append(run_uvicorn(uvicorn, args.batch))
    b, w = statistics.median(bare), statistics.median(wrapped)
    print(
        f"access lines {args.access}: bare {b:.1f} µs, observed {w:.1f} µs → "
        f"{w - b:.1f} µs CPU per request; uvicorn's own access line "
        f"{statistics.median(before):.1f} µs ({args.batches} interleaved batches of {args.batch})"
    )


if __name__ == "__main__":
    asyncio.run(main())
