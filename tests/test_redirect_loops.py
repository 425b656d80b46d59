"""No request is ever redirected more than once, whatever its path holds.

``GET /api/domains/0%0A/`` used to answer 307 to ``/api/domains/0%0A``, which
answered 308 back, for ever: Starlette's slash redirect and ``TrailingSlashRedirect``
disagreed on whether a path ending in a newline matched (a regex ``$`` matches
before a final newline). Here every path of both specs gets an encoded newline,
carriage return, NUL or slash at the end of each of its segments, with and
without a trailing slash, and the redirects are followed by hand.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

import pytest

from genie import SPEC_DIR
from genie.app import apis_for, load_spec
from genie.settings import Settings
from tests.conftest import Env

ODD = ["%0A", "%0D", "%00", "%2F"]
FILLED = {"username": "alice", "path": "team/sub", "id": "1", "number": "1"}


def _templates() -> list[tuple[str, str]]:
    """(base path, path template) of every path of the two public APIs."""
    found = []
    for api in apis_for(Settings()):
        if api.spec in ("djinn.yaml", "djaodjin.yaml"):
            found += [(api.base_path, t) for t in load_spec(SPEC_DIR / api.spec)["paths"]]
    return found


def _oracle(base: str, template: str) -> re.Pattern[str]:
    """The template as a whole-path regex (``{path}``, and a tag's ``{name}``, span
    segments), newlines too."""
    pattern = ""
    for part in re.split(r"(\{[^}]+\})", base + template):
        if part.startswith("{"):
            spans = part == "{path}" or (part == "{name}" and pattern.endswith("/tags/"))
            pattern += ".+" if spans else "[^/]+"
        else:
            pattern += re.escape(part)
    return re.compile(f"{pattern}\\Z", re.DOTALL)


ORACLES = [_oracle(base, template) for base, template in _templates()]


def _samples() -> list[str]:
    samples = set()
    for base, template in _templates():
        path = base + re.sub(r"\{([^}]+)\}", lambda m: FILLED.get(m[1], "x"), template)
        segments = path.split("/")
        for i in range(1, len(segments)):
            if not segments[i]:
                continue
            for odd in ODD:
                odd_path = "/".join([*segments[:i], segments[i] + odd, *segments[i + 1 :]])
                samples.add(odd_path)
                samples.add(odd_path.rstrip("/") if odd_path.endswith("/") else odd_path + "/")
    return sorted(samples)


SAMPLES = _samples()


def test_the_samples_cover_both_apis() -> None:
    assert any(s.startswith("/djinn/n/") for s in SAMPLES)
    assert any(s.startswith("/api/domains/") for s in SAMPLES)
    assert len(SAMPLES) > 500


@pytest.mark.parametrize("method", ["GET", "POST"])
async def test_at_most_one_redirect_and_no_match_is_a_404(sqlite_env: Env, method: str) -> None:
    client = sqlite_env.client
    for sample in SAMPLES:
        path, hops = sample, []
        while True:
            response = await client.request(method, path)
            if response.status_code not in (301, 302, 303, 307, 308):
                break
            hops.append(response.headers["location"])
            assert len(hops) == 1, f"{method} {sample}: redirected again, to {hops}"
            path = response.headers["location"].removeprefix("http://testserver")
        assert response.status_code < 500, f"{method} {sample} -> {response.status_code}"
        decoded = unquote(path.split("?")[0])
        if not any(oracle.match(decoded) for oracle in ORACLES):
            assert response.status_code == 404, (
                f"{method} {sample} ({hops}) -> {response.status_code}"
            )
