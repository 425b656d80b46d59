"""The shell script a job runs, the same for every driver.

``set -e`` stops it at the first failing command, ``set -x`` echoes each command
before it runs (as the original does), and stderr joins stdout so the output
keeps its order. ``exports`` (the ssh driver's environment) come before ``set
-x``, so they are not echoed.
"""

from __future__ import annotations

import shlex
from collections.abc import Iterable


def job_script(commands: Iterable[str], exports: Iterable[tuple[str, str]] = ()) -> str:
    lines = ["exec 2>&1"]
    lines += [f"export {key}={shlex.quote(value)}" for key, value in exports]
    lines += ["set -ex", *commands, ""]
    return "\n".join(lines)


def merged_env(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """The build's variables in order, a later one winning, first position kept."""
    env: dict[str, str] = {}
    for key, value in pairs:
        env[key] = value
    return env
