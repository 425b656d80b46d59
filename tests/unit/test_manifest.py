"""The build manifest: parsed into immutable values, or every problem at once."""

from __future__ import annotations

import dataclasses
import random
import textwrap

import pytest

from genie import manifest
from genie.manifest import (
    Driver,
    EnvVar,
    InvalidManifest,
    Job,
    Manifest,
    Passthrough,
    Source,
    parse,
    slug,
)

EXAMPLE = """\
namespace: djinn@andrew
driver:
  type: qemu
  image: djinn-dev
sources:
- https://github.com/djinn-ci/djinn.git => djinn
- git@github.com:andrewpillar/mgrt.git v1.0.0
env:
- PGPASSWORD=secret
- LDFLAGS=-s -w
- EMPTY=
objects:
- data => /var/lib/data
- keys.jks
stages: [setup, integration, make]
allow_failures: [integration]
jobs:
- stage: setup
  commands:
  - psql -U djinn -h localhost -d djinn -f djinn/schema.sql
- stage: integration
  commands: [cd djinn, go test -tags "integration" ./integration]
- stage: make
  name: Make It!
  commands: [cd djinn, ./make.sh, true]
  artifacts:
  - djinn/bin/djinn
  - djinn/bin/sum.manif => sums
- stage: integration
  commands: [echo again]
"""


def problems(text: str, **kwargs: object) -> list[str]:
    with pytest.raises(InvalidManifest) as caught:
        parse(text, **kwargs)  # type: ignore[arg-type]
    assert caught.value.problems, "an InvalidManifest always says why"
    assert all(p.startswith("Manifest ") for p in caught.value.problems)
    return caught.value.problems


def minimal(**fields: str) -> str:
    """A valid manifest with some top-level fields replaced (YAML text each)."""
    parts = {
        "driver": "{type: os}",
        "stages": "[test]",
        "jobs": "[{stage: test, commands: [make test]}]",
        **fields,
    }
    return "".join(f"{key}: {value}\n" for key, value in parts.items() if value is not None)


def test_the_documented_example_parses_into_typed_values() -> None:
    m = parse(EXAMPLE)
    assert m == Manifest(
        namespace="djinn@andrew",
        driver=Driver("qemu", {"image": "djinn-dev", "arch": "x86_64"}),
        env=(
            EnvVar("PGPASSWORD", "secret"),
            EnvVar("LDFLAGS", "-s -w"),
            EnvVar("EMPTY", ""),
        ),
        objects=(Passthrough("data", "/var/lib/data"), Passthrough("keys.jks", "keys.jks")),
        sources=(
            Source("https://github.com/djinn-ci/djinn.git", None, "djinn"),
            Source("git@github.com:andrewpillar/mgrt.git", "v1.0.0", "mgrt"),
        ),
        stages=("setup", "integration", "make"),
        allow_failures=("integration",),
        jobs=(
            Job(
                "setup",
                "setup.1",
                ("psql -U djinn -h localhost -d djinn -f djinn/schema.sql",),
                (),
                None,
            ),
            Job(
                "integration",
                "integration.1",
                ("cd djinn", 'go test -tags "integration" ./integration'),
                (),
                None,
            ),
            Job(
                "make",
                "make-it",
                ("cd djinn", "./make.sh", "true"),
                (
                    Passthrough("djinn/bin/djinn", "djinn"),
                    Passthrough("djinn/bin/sum.manif", "sums"),
                ),
                "Make It!",
            ),
            Job("integration", "integration.2", ("echo again",), (), None),
        ),
    )


def test_the_result_is_immutable() -> None:
    m = parse(EXAMPLE)
    with pytest.raises(dataclasses.FrozenInstanceError):
        m.namespace = "other"  # type: ignore[misc]
    with pytest.raises(TypeError):
        m.driver.config["image"] = "other"  # type: ignore[index]
    assert isinstance(m.jobs, tuple)
    assert isinstance(m.jobs[0].commands, tuple)


def test_scalars_keep_their_text() -> None:
    m = parse(minimal(driver="{type: docker, image: golang, workspace: /go, tag: 1.10}"))
    assert m.driver.config == {"image": "golang", "workspace": "/go", "tag": "1.10"}
    m = parse(minimal(jobs="[{stage: test, commands: [true, yes, 42, '~']}]"))
    assert m.jobs[0].commands == ("true", "yes", "42", "~")


def test_anchors_and_merge_keys_work() -> None:
    text = textwrap.dedent(
        """\
        driver: {type: os}
        stages: [test, build]
        jobs:
        - &defaults
          stage: test
          commands: &cmds [make deps, make test]
        - <<: *defaults
          stage: build
          name: build
          commands: *cmds
        """
    )
    jobs = parse(text).jobs
    assert [(j.stage, j.name, j.commands) for j in jobs] == [
        ("test", "test.1", ("make deps", "make test")),
        ("build", "build", ("make deps", "make test")),
    ]


# --- driver ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("driver", "config"),
    [
        ("{type: os}", {}),
        ("{type: docker, image: golang, workspace: /go}", {"image": "golang", "workspace": "/go"}),
        ("{type: qemu, image: debian/stable}", {"image": "debian/stable", "arch": "x86_64"}),
        ("{type: qemu, image: alpine, arch: x86_64}", {"image": "alpine", "arch": "x86_64"}),
        ("{type: ssh, address: 10.0.0.5:22}", {"address": "10.0.0.5:22"}),
        ("{type: ssh, address: host, extra: kept}", {"address": "host", "extra": "kept"}),
    ],
)
def test_each_driver_type_with_its_required_keys(driver: str, config: dict[str, str]) -> None:
    parsed = parse(minimal(driver=driver)).driver
    assert parsed.type == driver.split(",")[0].removeprefix("{type: ").rstrip("}")
    assert parsed.config == config


@pytest.mark.parametrize(
    ("driver", "expected"),
    [
        ("{type: docker}", ["docker requires image", "docker requires workspace"]),
        ("{type: docker, image: golang, workspace: ' '}", ["docker requires workspace"]),
        ("{type: qemu, image: }", ["qemu requires image"]),
        ("{type: ssh, addr: x}", ["ssh requires address"]),
        ("{type: qemu, image: a, arch: arm64}", ["qemu arch must be one of x86_64"]),
        ("{type: kubernetes}", ["type must be one of docker, qemu, ssh, os"]),
        ("{type: Docker}", ["type must be one of docker, qemu, ssh, os"]),
        ("{image: golang}", ["type must be one of docker, qemu, ssh, os"]),
        (
            "{type: [docker]}",
            ["type must be a string", "type must be one of docker, qemu, ssh, os"],
        ),
        ("{type: os, opts: {a: b}}", ["opts must be a string"]),
        ("docker", ["must be a mapping with a type, such as type: docker"]),
        ("", ["field required"]),
    ],
)
def test_driver_problems(driver: str, expected: list[str]) -> None:
    assert problems(minimal(driver=driver)) == [f"Manifest driver {e}" for e in expected]


def test_a_known_driver_the_server_does_not_run_is_disabled() -> None:
    text = minimal(driver="{type: qemu}")
    assert problems(text, drivers=("docker", "os")) == [
        "Manifest driver error: qemu-x86_64 - driver disabled",
        "Manifest driver qemu requires image",
    ]
    assert parse(minimal(), drivers=("os",)).driver.type == "os"


# --- env, objects, sources ------------------------------------------------------------


def test_env_entries_must_be_key_value_and_are_never_quoted() -> None:
    text = minimal(env="[GOOD=1, hunter2secret, 1BAD=x, '=nokey', A-B=c, _OK=x=y]")
    found = problems(text)
    key_rule = "a KEY starts with a letter or _ and has only letters, digits and _"
    assert found == [
        "Manifest env entries must be KEY=value (entry 2)",
        f"Manifest env entries must be KEY=value (entry 3): {key_rule}",
        f"Manifest env entries must be KEY=value (entry 4): {key_rule}",
        f"Manifest env entries must be KEY=value (entry 5): {key_rule}",
    ]
    assert not any("hunter2" in p for p in found)


@pytest.mark.parametrize("env", ["FOO=bar", "{FOO: bar}", "[[FOO=bar]]", "[{FOO: bar}]"])
def test_env_must_be_a_list_of_strings(env: str) -> None:
    assert problems(minimal(env=env)) == ["Manifest env must be a list of strings"]


def test_env_keeps_everything_after_the_first_equals_sign() -> None:
    env = parse(minimal(env="['URL=postgres://u:p@h/db?sslmode=disable']")).env
    assert env == (EnvVar("URL", "postgres://u:p@h/db?sslmode=disable"),)


def test_object_entries() -> None:
    text = minimal(
        objects="[a.tar.gz, 'b => /opt/b', 'c  =>  rel/c', bad/name, 'x =>', 'a => b => c']"
    )
    assert problems(text) == [
        "Manifest objects entry 4: bad/name is not a valid object name",
        "Manifest objects entries must be source [=> destination] (entry 5)",
        "Manifest objects entries must be source [=> destination] (entry 6)",
    ]
    objects = parse(minimal(objects="[a.tar.gz, 'b => /opt/b', 'c  =>  rel/c']")).objects
    assert objects == (
        Passthrough("a.tar.gz", "a.tar.gz"),
        Passthrough("b", "/opt/b"),
        Passthrough("c", "rel/c"),
    )


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        # The upstream test table.
        ("https://github.com/git/git", Source("https://github.com/git/git", None, "git")),
        (
            "https://github.com/git/git v1.2.3",
            Source("https://github.com/git/git", "v1.2.3", "git"),
        ),
        (
            "https://github.com/git/git v1.2.3 => git-v1.2.3",
            Source("https://github.com/git/git", "v1.2.3", "git-v1.2.3"),
        ),
        (
            "https://github.com/git/git => git-build",
            Source("https://github.com/git/git", None, "git-build"),
        ),
        # And the forms the documentation shows.
        (
            "git@github.com:andrewpillar/mgrt.git",
            Source("git@github.com:andrewpillar/mgrt.git", None, "mgrt"),
        ),
        ("git@example.com:solo.git", Source("git@example.com:solo.git", None, "solo")),
        (
            "https://example.com/repo/ main=>src/repo",
            Source("https://example.com/repo/", "main", "src/repo"),
        ),
    ],
)
def test_source_entries(entry: str, expected: Source) -> None:
    assert parse(minimal(sources=f"['{entry}']")).sources == (expected,)


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        ("a b c", "entries must be url [ref] [=> dir] (entry 1)"),
        ("=> dir", "entries must be url [ref] [=> dir] (entry 1)"),
        ("https://h/r =>", "entries must be url [ref] [=> dir] (entry 1)"),
        ("https://h/r => a => b", "entries must be url [ref] [=> dir] (entry 1)"),
        ("--upload-pack=touch /tmp/x", "entry 1: url and ref cannot start with -"),
        ("https://h/r --config=x", "entry 1: url and ref cannot start with -"),
        ("https://h/r => ../escape", "entry 1: dir must be a path inside the workspace"),
        ("https://h/r => /abs", "entry 1: dir must be a path inside the workspace"),
        ("https://h/r => a/../../b", "entry 1: dir must be a path inside the workspace"),
        ("https://h/.git", "entry 1: dir must be a path inside the workspace"),
    ],
)
def test_source_problems(entry: str, expected: str) -> None:
    assert problems(minimal(sources=f"['{entry}']")) == [f"Manifest sources {expected}"]


def test_two_sources_cannot_share_a_directory() -> None:
    text = minimal(sources="['https://a/x/repo.git', 'https://b/y/repo', 'https://c/z => other']")
    assert problems(text) == ["Manifest sources clone more than once into repo"]


# --- stages, allow_failures, jobs -----------------------------------------------------------


def test_only_the_driver_is_required() -> None:
    """As the original (and its client) expect: a manifest with no stages and no
    jobs is valid; its build runs only the setup stage."""
    for text in ("driver: {type: os}\n", "driver: {type: os}\nstages: []\njobs: []\n"):
        parsed = parse(text)
        assert (parsed.stages, parsed.jobs) == ((), ())
        assert parsed.to_yaml() == "driver:\n  type: os\n"
    assert problems("stages: [test]\n") == [
        "Manifest driver field required",
    ]


def test_jobs_without_stages_name_a_stage_that_is_not_listed() -> None:
    assert problems("driver: {type: os}\njobs:\n- {stage: test, commands: [make]}\n") == [
        "Manifest job 1 stage test is not in stages"
    ]


def test_stage_names_must_be_unique_and_present() -> None:
    text = minimal(stages="[test, build, test, '', ' ']", allow_failures="[lint, build]")
    assert problems(text) == [
        "Manifest stages entries cannot be empty",
        "Manifest stages lists test more than once",
        "Manifest allow_failures stage lint is not in stages",
    ]


def test_jobs_must_reference_listed_stages_and_run_commands() -> None:
    jobs = """
    - {stage: test, commands: [ok]}
    - {stage: deploy, commands: [rsync]}
    - {commands: [orphan]}
    - {stage: test}
    - {stage: test, commands: [[nested]]}
    - {stage: test, command: [typo], commands: [x]}
    - {stage: test, name: '!!!', commands: [x]}
    """
    assert problems(minimal(jobs="\n" + textwrap.indent(textwrap.dedent(jobs), "  "))) == [
        "Manifest job 2 stage deploy is not in stages",
        "Manifest job 3 stage field required",
        "Manifest job 4 commands field required",
        "Manifest job 5 commands must be a list of strings",
        "Manifest job 6 has unknown field command",
        "Manifest job 7 name must have letters or digits",
    ]


@pytest.mark.parametrize("jobs", ["make", "[make]", "{stage: test}", "[{stage: test}, [x]]"])
def test_jobs_must_be_a_list_of_mappings(jobs: str) -> None:
    assert problems(minimal(jobs=jobs)) == [
        "Manifest jobs must be a list of mappings with stage: and commands:"
    ]


def test_default_job_names_count_within_each_stage() -> None:
    jobs = (
        "["
        + ", ".join(
            f"{{stage: '{stage}', commands: [x]}}" for stage in ["Unit Tests", "lint", "Unit Tests"]
        )
        + "]"
    )
    parsed = parse(minimal(stages="['Unit Tests', lint]", jobs=jobs)).jobs
    assert [job.name for job in parsed] == ["unit-tests.1", "lint.1", "unit-tests.2"]


def test_job_names_and_artifacts_must_be_unique() -> None:
    jobs = (
        "[{stage: test, commands: [x], artifacts: [out/a.bin, 'log.txt => logs']},"
        " {stage: test, name: Test.1, commands: [x], artifacts: [other/a.bin, 'c => x/y']}]"
    )
    assert problems(minimal(jobs=jobs)) == [
        "Manifest job 2 artifacts entry 2: the name x/y cannot contain /",
    ]
    jobs = jobs.replace("'c => x/y'", "c")
    assert problems(minimal(jobs=jobs)) == [
        "Manifest job name test.1 is used more than once",
        "Manifest artifact a.bin is collected more than once",
    ]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Make It!", "make-it"),
        ("  build -- all  ", "build-all"),
        ("test.1", "test.1"),
        ("Ünïcode_and_more", "n-code-and-more"),
        ("a/b\\c", "a-b-c"),
    ],
)
def test_slug(name: str, expected: str) -> None:
    assert slug(name) == expected


# --- the whole document ------------------------------------------------------------


def test_every_problem_is_reported_at_once() -> None:
    text = textwrap.dedent(
        """\
        namespace: [not, a, string]
        driver: {type: docker, image: golang}
        env: [NOEQUALS]
        objects: ['../up']
        sources: ['-x']
        stages: [a, a]
        allow_failures: [b]
        jobs: [{stage: c, commands: []}]
        artefacts: [typo]
        """
    )
    with pytest.raises(InvalidManifest) as caught:
        parse(text)
    assert caught.value.problems == [
        "Manifest has unknown field artefacts",
        "Manifest namespace must be a string such as path/to/namespace@owner",
        "Manifest driver docker requires workspace",
        "Manifest env entries must be KEY=value (entry 1)",
        "Manifest objects entry 1: ../up is not a valid object name",
        "Manifest sources entry 1: url and ref cannot start with -",
        "Manifest stages lists a more than once",
        "Manifest allow_failures stage b is not in stages",
        "Manifest job 1 stage c is not in stages",
        "Manifest job 1 commands field required",
    ]
    assert caught.value.namespace is None


def test_the_namespace_is_exposed_even_when_other_fields_fail() -> None:
    with pytest.raises(InvalidManifest) as caught:
        parse("namespace: ' team/app@bob '\ndriver: {type: nope}\n")
    assert caught.value.namespace == "team/app@bob"
    assert parse(minimal(namespace="team/app")).namespace == "team/app"
    assert parse(minimal(namespace="''")).namespace is None
    assert parse(minimal()).namespace is None


@pytest.mark.parametrize("text", ["", "   \n", "# nothing\n", "---\n", None, 42])
def test_an_empty_or_absent_manifest_is_required(text: object) -> None:
    assert problems(text) == ["Manifest field required"]  # type: ignore[arg-type]


@pytest.mark.parametrize("text", ["- a\n- b\n", "just a string\n", "42\n"])
def test_the_document_must_be_a_mapping(text: str) -> None:
    assert problems(text) == ["Manifest must be a mapping of fields such as driver: and jobs:"]


def test_invalid_yaml_is_one_problem() -> None:
    assert problems("driver: {type: os\njobs: [") == [
        "Manifest is not valid YAML: while parsing a flow mapping, did not find expected ',' "
        "or '}' (line 2, column 5)"
    ]


def test_hostile_yaml_is_a_problem_not_a_crash() -> None:
    assert problems("[" * 100_000) == ["Manifest cannot nest more than 32 levels deep"]
    assert problems("a: &a [*a]") == ["Manifest contains an alias that refers to itself"]
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    for this, prev in zip("bcdefg", "abcdef", strict=True):
        bomb += f"{this}: &{this} [{', '.join([f'*{prev}'] * 10)}]\n"
    assert problems(bomb) == ["Manifest expands to more than 50000 values"]
    assert problems("driver: {type: os}\ndriver: {type: docker}\n") == [
        "Manifest has the key driver more than once in one mapping"
    ]


def test_the_length_is_capped() -> None:
    text = minimal() + "#" * 200
    assert parse(text, max_length=len(text)).driver.type == "os"
    assert problems(text, max_length=len(text) - 1) == [
        f"Manifest cannot be longer than {len(text) - 1} characters in length"
    ]
    assert problems("x" * (manifest.MAX_LENGTH + 1)) == [
        "Manifest cannot be longer than 131072 characters in length"
    ]


def test_random_input_never_escapes_as_another_exception() -> None:
    rng = random.Random(5)
    alphabet = "ab:- \n\t[]{},&*!|>'\"#%@`=>?~\\x00é"
    pieces = [EXAMPLE[i : i + 7] for i in range(0, len(EXAMPLE), 7)]
    for _ in range(1500):
        if rng.random() < 0.5:
            text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 60)))
        else:
            chunks = pieces[:]
            rng.shuffle(chunks)
            text = "".join(chunks[: rng.randint(1, len(chunks))])
        try:
            parse(text)
        except InvalidManifest as exc:
            assert exc.problems
            assert all(p.startswith("Manifest ") for p in exc.problems)


# --- normalised form ---------------------------------------------------------------------


def test_to_yaml_normalises_and_reads_back_equal() -> None:
    m = parse(EXAMPLE)
    text = m.to_yaml()
    assert parse(text) == m
    assert text == textwrap.dedent(
        """\
        namespace: djinn@andrew
        driver:
          type: qemu
          arch: x86_64
          image: djinn-dev
        env:
        - PGPASSWORD=secret
        - LDFLAGS=-s -w
        - EMPTY=
        objects:
        - data => /var/lib/data
        - keys.jks => keys.jks
        sources:
        - https://github.com/djinn-ci/djinn.git => djinn
        - git@github.com:andrewpillar/mgrt.git v1.0.0 => mgrt
        stages:
        - setup
        - integration
        - make
        allow_failures:
        - integration
        jobs:
        - stage: setup
          commands:
          - psql -U djinn -h localhost -d djinn -f djinn/schema.sql
        - stage: integration
          commands:
          - cd djinn
          - go test -tags "integration" ./integration
        - stage: make
          name: Make It!
          commands:
          - cd djinn
          - ./make.sh
          - 'true'
          artifacts:
          - djinn/bin/djinn => djinn
          - djinn/bin/sum.manif => sums
        - stage: integration
          commands:
          - echo again
        """
    )


def test_to_yaml_drops_empty_fields_and_sorts_passthroughs() -> None:
    m = parse(minimal(objects="[z, 'a => /a', m]", env="[]", namespace="''"))
    text = m.to_yaml()
    assert "env" not in text
    assert "namespace" not in text
    assert "objects:\n- a => /a\n- m => m\n- z => z\n" in text
    assert parse(text) == m


def test_to_yaml_round_trips_awkward_strings() -> None:
    commands = (
        "[\"multi\\nline\", \"quote ' and \\\" mix\", '#not a comment', '  padded  ', 'x: y']"
    )
    m = parse(minimal(jobs=f"[{{stage: test, commands: {commands}}}]"))
    assert m.jobs[0].commands == (
        "multi\nline",
        "quote ' and \" mix",
        "#not a comment",
        "  padded  ",
        "x: y",
    )
    assert parse(m.to_yaml()) == m


@pytest.mark.parametrize(
    ("text", "empty"),
    [
        ("", True),
        ("  \n", True),
        ('namespace: ""\ndriver: {}\nenv: []\nobjects: []\nstages: []\njobs: []\n', True),
        ("driver: {}\n", True),
        ("~\n", True),
        ("driver: {type: os}\n", False),
        ("driver: {}\nenv: [A=1]\n", False),
        ("[unclosed\n", False),
        ("- a\n", False),
    ],
)
def test_an_empty_manifest_is_recognised(text: str, empty: bool) -> None:
    assert manifest.is_empty(text) is empty


def test_an_empty_job_name_means_unnamed() -> None:
    """The original's Go client marshals an unnamed job as ``name: ""``."""
    jobs = '[{stage: test, commands: [make]}, {stage: test, name: "", commands: [make lint]}]'
    assert [job.name for job in parse(minimal(jobs=jobs)).jobs] == ["test.1", "test.2"]
