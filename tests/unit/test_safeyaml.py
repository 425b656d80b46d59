"""safeyaml.load: hostile YAML comes back as a problem, never a crash or a hang."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
import yaml

from genie import safeyaml
from genie.safeyaml import Loaded, load

LOADERS = [yaml.SafeLoader] + ([yaml.CSafeLoader] if yaml.__with_libyaml__ else [])


@pytest.fixture(params=LOADERS, ids=lambda loader: loader.__name__, autouse=True)
def loader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every test runs on libyaml (the default when present) and on pure PyYAML."""
    monkeypatch.setattr(safeyaml, "_Loader", request.param)
    yield


def test_scalars_are_the_text_as_written() -> None:
    text = "a: 1.10\nb: yes\nc: true\nd: 0x1F\ne: ~\nf:\ng: 'null'\nh: \"~\"\ni: 2024-01-01\n"
    assert load(text) == Loaded(
        {
            "a": "1.10",
            "b": "yes",
            "c": "true",
            "d": "0x1F",
            "e": None,
            "f": None,
            "g": "null",
            "h": "~",
            "i": "2024-01-01",
        }
    )


def test_tags_are_never_constructed() -> None:
    text = "a: !!python/object/apply:os.system ['touch /tmp/pwned']\nb: !!binary aGk=\nc: !x 1\n"
    assert load(text) == Loaded({"a": ["touch /tmp/pwned"], "b": "aGk=", "c": "1"})


def test_merge_keys_follow_the_yaml_merge_spec() -> None:
    text = (
        "base: &base {x: 1, y: 2}\n"
        "over: &over {y: 3, z: 4}\n"
        "one: {<<: *base, y: 9}\n"
        "many: {<<: [*base, *over], x: 0}\n"
    )
    value = load(text).value
    assert isinstance(value, dict)
    assert value["one"] == {"x": "1", "y": "9"}
    # Own keys win, then earlier merged mappings over later ones.
    assert value["many"] == {"x": "0", "y": "2", "z": "4"}


def test_aliases_are_shared_not_copied() -> None:
    value = load("a: &a [1, 2]\nb: *a\n").value
    assert isinstance(value, dict)
    assert value["a"] == value["b"] == ["1", "2"]


def test_duplicate_keys_and_complex_keys_are_problems() -> None:
    loaded = load("a: 1\na: 2\n? [k]\n: v\nm: {<<: scalar}\n")
    assert loaded.value is None
    assert loaded.problems == (
        "has the key a more than once in one mapping",
        "keys must be plain strings",
        "can only merge mappings with <<",
    )


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("a: [1, 2\nb: 3\n", "while parsing a flow sequence"),
        ("a: 1\n---\nb: 2\n", "expected a single document in the stream"),
        ("x: *nope\n", "found undefined alias"),
        ("a: b: c\n", "mapping values are not allowed"),
        ("a: \x00\n", "characters are not allowed"),
        ("\t- a\n", "found character"),
    ],
)
def test_invalid_yaml_is_a_problem_with_a_reason(text: str, reason: str) -> None:
    loaded = load(text)
    assert loaded.value is None
    assert len(loaded.problems) == 1
    assert loaded.problems[0].startswith("is not valid YAML: ")
    assert reason in loaded.problems[0]


def test_positions_are_given_and_the_input_is_not_quoted() -> None:
    loaded = load("password: hunter2\nlist: [a, b\n")
    assert "(line 3, column 1)" in loaded.problems[0]
    assert "hunter2" not in loaded.problems[0]


@pytest.mark.parametrize("text", ["", "# only a comment\n", "---\n", "~\n"])
def test_an_empty_document_is_none(text: str) -> None:
    assert load(text) == Loaded(None)


DEEP = 100_000


@pytest.mark.parametrize(
    "text",
    [
        "[" * DEEP + "]" * DEEP,
        "- " * DEEP + "x",
        "{a: " * DEEP + "x" + "}" * DEEP,
        "".join(" " * i + "b:\n" for i in range(300)) + " " * 300 + "x",
        "[" * DEEP,
    ],
    ids=["flow-seq", "block-seq", "flow-map", "block-map", "unterminated"],
)
def test_deep_nesting_is_refused_before_composing(text: str) -> None:
    # libyaml's composer overflows the C stack on these (a segfault), PyYAML's recurses.
    # Which layer refuses differs by release (PyYAML 6.0.4's libyaml scanner refuses
    # deep flow nesting itself, while looking ahead); the answer must not.
    assert load(text) == Loaded(None, ("cannot nest more than 32 levels deep",))


def test_the_scanners_own_depth_limit_reads_as_ours(monkeypatch: pytest.MonkeyPatch) -> None:
    """On any PyYAML release: libyaml 0.2.5's refusal, raised from the event
    stream, becomes the one depth message (whatever the installed release does)."""

    def refuse(*_args: object, **_kwargs: object) -> Iterator[yaml.Event]:
        raise yaml.scanner.ScannerError(
            "while increasing flow level", None, "exceeded maximum nesting depth", None
        )
        yield  # pragma: no cover - a generator, like yaml.parse

    monkeypatch.setattr(safeyaml.yaml, "parse", refuse)
    assert load("[x]") == Loaded(None, ("cannot nest more than 32 levels deep",))
    assert load("[x]", max_depth=5).problems == ("cannot nest more than 5 levels deep",)


def test_other_scanner_errors_stay_yaml_errors() -> None:
    assert load("a: `b`\n").problems[0].startswith("is not valid YAML: ")


def test_nesting_up_to_the_limit_is_fine() -> None:
    assert load("[" * 32 + "]" * 32).problems == ()
    assert load("[" * 33 + "]" * 33).problems == ("cannot nest more than 32 levels deep",)
    assert load("[[x]]", max_depth=1).problems == ("cannot nest more than 1 levels deep",)


def test_an_alias_bomb_is_refused_quickly() -> None:
    bomb = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    previous = "a"
    for name in "bcdefghi":
        bomb += f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]\n"
        previous = name
    started = time.monotonic()
    assert load(bomb).problems == ("expands to more than 50000 values",)
    assert time.monotonic() - started < 2


def test_expansion_up_to_the_limit_is_fine() -> None:
    text = "a: &a [" + ", ".join(["x"] * 9) + "]\nb: [" + ", ".join(["*a"] * 9) + "]\n"
    # 1 root + 2 keys + a (10) + b (1 + 9 * 10) = 104 nodes.
    assert load(text, max_nodes=104).problems == ()
    assert load(text, max_nodes=103).problems == ("expands to more than 103 values",)


def test_an_alias_chain_cannot_nest_past_the_limit() -> None:
    chain = "a0: &a0 [x]\n" + "".join(f"a{i}: &a{i} [*a{i - 1}]\n" for i in range(1, 2000))
    assert load(chain).problems == ("cannot nest more than 32 levels deep",)


@pytest.mark.parametrize("text", ["a: &a [*a]\n", "a: &a {b: *a}\n", "a: &a [[[*a]]]\n"])
def test_an_alias_of_its_own_ancestor_is_refused(text: str) -> None:
    assert load(text).problems == ("contains an alias that refers to itself",)
