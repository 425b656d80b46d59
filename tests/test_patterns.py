"""Spec ``pattern``s mean what JSON Schema (ECMA-262) means: ``$`` is the end.

Python's ``re`` lets ``$`` match before a final newline, so ``^[a-zA-Z0-9]+$``
used to accept the namespace name ``"abc\\n"`` (and every other patterned field):
genie created it, and its URLs carried the raw newline.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from genie.cli import main
from handlers._validation import ecma_regex
from tests.conftest import Env


@pytest.mark.parametrize(
    ("pattern", "text", "matches"),
    [
        ("^[a-z]+$", "abc", True),
        ("^[a-z]+$", "abc\n", False),
        ("^[^\\u0000]*$", "line\n", True),  # a newline inside is still fine
        ("^a[$]$", "a$", True),  # in a class, $ is a character
        ("^a\\$$", "a$", True),  # escaped, too
        ("^a\\$$", "a$\n", False),
        ("b", "abc", True),  # unanchored patterns search
    ],
)
def test_ecma_dollar(pattern: str, text: str, matches: bool) -> None:
    assert bool(ecma_regex(pattern).search(text)) is matches


async def test_a_trailing_newline_is_not_a_valid_name(env: Env) -> None:
    alice = await env.account()
    made = await env.client.post("/djinn/namespaces", json={"name": "abc\n"}, headers=alice.auth)
    assert made.status_code == 400
    assert list(made.json()) == ["name"]
    uploaded = await env.client.post(
        "/djinn/objects?name=data%0A", content=b"x", headers=alice.auth
    )
    assert uploaded.status_code == 400
    assert list(uploaded.json()) == ["name"]


def test_the_cli_refuses_a_username_with_a_newline(pg_url: str, tmp_path: object) -> None:
    cli = CliRunner(env={"GENIE_DATABASE_URL": pg_url, "GENIE_DATA_DIR": str(tmp_path)})
    result = cli.invoke(main, ["users", "create", "alice\n", "--email", "nl@example.com"])
    assert result.exit_code == 2
