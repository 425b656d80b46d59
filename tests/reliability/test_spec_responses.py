"""Every operation documents the statuses genie's limits and faults can answer."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def test_the_common_responses_are_on_every_operation(project_root: Path) -> None:
    done = subprocess.run(
        [sys.executable, "scripts/spec-common-responses", "--check"],
        cwd=project_root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr + " (run scripts/spec-common-responses)"
