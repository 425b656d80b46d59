from __future__ import annotations

import pytest

from genie import scopes


def test_parse_merges_and_formats_in_djinn_order() -> None:
    parsed = scopes.parse("namespace:read build:write,read build:delete object:read")
    assert parsed == {
        "namespace:read",
        "build:read",
        "build:write",
        "build:delete",
        "object:read",
    }
    assert scopes.format_scopes(parsed) == "build:read,write,delete namespace:read object:read"


def test_all_scopes() -> None:
    assert len(scopes.ALL_SCOPES) == 27
    assert scopes.parse(scopes.format_scopes(scopes.ALL_SCOPES)) == scopes.ALL_SCOPES


@pytest.mark.parametrize("text", ["object", "x:read", "object:admin", "object:read,"])
def test_parse_errors(text: str) -> None:
    with pytest.raises(scopes.ScopeError):
        scopes.parse(text)
