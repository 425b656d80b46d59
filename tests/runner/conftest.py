"""Fixtures for the runner's tests: real daemons (sshd, dockerd) started once."""

from __future__ import annotations

import os
import shutil

import pytest

IN_CI = os.environ.get("CI", "").lower() == "true"


def need_binary(name: str, package: str) -> str:
    """The binary's path; without it, skip (fail under ``CI=true``)."""
    path = shutil.which(name) or (
        f"/usr/sbin/{name}" if os.path.exists(f"/usr/sbin/{name}") else None
    )
    if path:
        return path
    message = f"{name} is not installed (apt-get install {package})"
    if IN_CI:
        pytest.fail(message)
    pytest.skip(message)
