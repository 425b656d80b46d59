"""The shipped specs pass Connexion's own metaschema validation.

The server skips it at start-up (``genie.app.trusted_specs``), so this is where
an invalid spec is caught, before it ships; ``tox -e spec`` checks them again
with openapi-spec-validator.
"""

from __future__ import annotations

import copy

import pytest
from connexion.exceptions import InvalidSpecification
from connexion.spec import Specification

from genie import SPEC_DIR
from genie.app import load_spec, trusted_specs


@pytest.mark.parametrize("name", ["djinn.yaml", "djaodjin.yaml", "service.yaml", "oauth.yaml"])
def test_spec_passes_connexions_validation(name: str) -> None:
    spec = Specification.from_dict(load_spec(SPEC_DIR / name))
    assert spec["paths"]


def test_connexion_validates_again_once_start_up_is_done() -> None:
    broken = copy.deepcopy(load_spec(SPEC_DIR / "service.yaml"))
    broken["paths"]["/healthz"]["get"]["responses"] = "not a map"
    with trusted_specs():
        Specification.from_dict(copy.deepcopy(broken))  # trusted: not checked
    with pytest.raises(InvalidSpecification):
        Specification.from_dict(broken)
