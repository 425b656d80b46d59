"""genie: a spec-first implementation of the Djinn CI and DjaoDjin REST APIs."""

from pathlib import Path

__version__ = "0.1.0"

#: The repository root, which holds ``openapi/`` and ``migrations/``.
PROJECT_ROOT = Path(__file__).resolve().parent.parent
SPEC_DIR = PROJECT_ROOT / "openapi"
