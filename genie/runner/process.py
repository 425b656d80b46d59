"""Local processes for jobs: started in their own process group, output pumped
into a :class:`~genie.runner.output.JobOutput`, the whole group stopped at the end.

:func:`run_group` is what the ``os`` driver runs a job with, and what the other
drivers' tests and helpers reuse. On cancellation (kill, timeout) the group gets
SIGTERM, then SIGKILL after :data:`GRACE` seconds; when the job's own process
ends, what it left running in its group is killed too, so nothing outlives its
job and the pipe reaches its end.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Final

from genie.runner.output import JobOutput

#: Seconds between SIGTERM and SIGKILL.
GRACE: Final = 0.5
#: Seconds to wait for the pipe's end once the group is gone (a process that left
#: the group, possible without bubblewrap, may hold it open).
DRAIN: Final = 2.0
READ_SIZE: Final = 64 * 1024


async def run_group(
    argv: Sequence[str], out: JobOutput, *, env: Mapping[str, str], cwd: Path
) -> int:
    """Run ``argv`` in a new session, its output (stdout and stderr) into ``out``;
    return its exit status (negative: the signal that ended it)."""
    process = await asyncio.create_subprocess_exec(
        *argv,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
        env=dict(env),
        cwd=cwd,
        start_new_session=True,
    )
    assert process.stdout is not None
    pump = asyncio.create_task(pump_reader(process.stdout, out))
    try:
        code = await process.wait()
    except asyncio.CancelledError:
        await stop_group(process, pump)
        pump.cancel()
        raise
    signal_group(process.pid, signal.SIGKILL)
    try:
        await asyncio.wait_for(pump, DRAIN)
    except TimeoutError:
        await out.line("[the job's output stayed open after it ended: a process left its group]")
    return code


async def pump_reader(reader: asyncio.StreamReader, out: JobOutput) -> None:
    while data := await reader.read(READ_SIZE):
        await out.write(data)


def signal_group(pgid: int, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, sig)


async def stop_group(process: asyncio.subprocess.Process, pump: asyncio.Task[None]) -> None:
    """SIGTERM to the group; SIGKILL to what is left of it once the leader has
    exited and the output has reached its end (every process holding it is gone),
    or after :data:`GRACE` at the latest. (Polling the group itself would also
    wait for its zombies, which their new parent may be slow to reap.)"""
    signal_group(process.pid, signal.SIGTERM)
    leader = asyncio.ensure_future(process.wait())
    await asyncio.wait({leader, pump}, timeout=GRACE)
    signal_group(process.pid, signal.SIGKILL)
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(leader, GRACE)
