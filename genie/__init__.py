"""genie: a spec-first implementation of the Djinn CI and DjaoDjin REST APIs."""

import warnings
from pathlib import Path

__version__ = "0.1.0"

#: The repository root, which holds ``openapi/`` and ``migrations/``.
PROJECT_ROOT = Path(__file__).resolve().parent.parent
SPEC_DIR = PROJECT_ROOT / "openapi"

# Connexion imports starlette.testclient at start-up (connexion/apps/abstract.py,
# for its test client), and Starlette warns there that it wants httpx2 rather than
# httpx. The server never uses that client; a new user reads the warning as
# something broken. Only that warning, only from that import, is silenced: genie's
# own package is always imported before Connexion.
warnings.filterwarnings(
    "ignore",
    message=r"Using `httpx` with `starlette\.testclient` is deprecated",
    category=UserWarning,
    module=r"connexion\.apps\.abstract",
)
