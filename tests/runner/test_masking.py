"""Masking: the streamed result equals masking the whole text, at every split."""

from __future__ import annotations

import asyncio
import contextlib
import random

import pytest

from genie.runner.masking import MASK, Masker
from genie.runner.output import FLUSH_INTERVAL, JobOutput
from tests.runner.helpers import Recorder

SECRETS = ("hunter22", "line one\nline two", "abcabd", "hunter22-long-version")


def streamed(masker: Masker, pieces: list[str]) -> str:
    return "".join(masker.feed(p) for p in pieces) + masker.close()


TEXTS = [
    "before hunter22 after",
    "x line one\nline two y",
    "abcabcabd abcab",  # overlapping self-prefix: the match starts at the second abc
    "hunter22-long-version and hunter22-long but hunter22",
    "hunter2 is not it",
]


@pytest.mark.parametrize("text", TEXTS)
def test_every_two_way_split_matches_the_one_shot_result(text: str) -> None:
    expected = Masker(SECRETS).mask_all(text)
    for cut in range(len(text) + 1):
        assert streamed(Masker(SECRETS), [text[:cut], text[cut:]]) == expected, cut


@pytest.mark.parametrize("secret", SECRETS)
def test_a_secret_split_at_every_offset_never_shows(secret: str) -> None:
    text = f"<{secret}>"
    for cut in range(len(text) + 1):
        out = streamed(Masker([secret]), [text[:cut], text[cut:]])
        assert out == f"<{MASK}>", cut


def test_one_character_at_a_time_and_random_splits() -> None:
    rng = random.Random(7)
    alphabet = "ahunter2bcd-lie\n o"
    masker = Masker(SECRETS)
    for _ in range(300):
        text = "".join(rng.choice(alphabet) for _ in range(60)) + rng.choice(SECRETS)
        text += "".join(rng.choice(alphabet) for _ in range(10))
        cuts = sorted(rng.sample(range(len(text)), 8))
        pieces = [text[a:b] for a, b in zip([0, *cuts], [*cuts, len(text)], strict=True)]
        assert streamed(Masker(SECRETS), pieces) == masker.mask_all(text)
        assert streamed(Masker(SECRETS), list(text)) == masker.mask_all(text)


def test_only_a_possible_prefix_is_held_back() -> None:
    masker = Masker(["hunter22"])
    assert masker.feed("log line\nhun") == "log line\n"
    assert masker.feed("gry\n") == "hungry\n"
    assert masker.feed("no secret here") == "no secret here"


def test_empty_secrets_are_ignored() -> None:
    masker = Masker(["", ""])
    assert not masker.active
    assert masker.feed("text") == "text"


async def test_job_output_masks_across_byte_writes_at_every_offset() -> None:
    data = b"start hunter22 and line one\nline two end\n"
    for cut in range(len(data) + 1):
        recorder = Recorder()
        out = JobOutput(recorder, "j", SECRETS, 1 << 20)
        await out.write(data[:cut])
        await out.write(data[cut:])
        await out.close()
        assert recorder.text("j") == f"start {MASK} and {MASK} end\n", cut


async def test_a_character_split_across_reads_survives() -> None:
    data = "é€ hunter22".encode()
    recorder = Recorder()
    out = JobOutput(recorder, "j", ("hunter22",), 1 << 20)
    for i in range(len(data)):
        await out.write(data[i : i + 1])
    await out.close()
    assert recorder.text("j") == f"é€ {MASK}"


async def test_the_cap_keeps_limit_bytes_then_one_notice() -> None:
    recorder = Recorder()
    out = JobOutput(recorder, "j", (), 100)
    for _ in range(50):
        await out.write(b"0123456789")
    await out.close()
    text = recorder.text("j")
    assert text.startswith("0123456789" * 10 + "\n[output truncated")
    assert text.count("truncated") == 1
    assert out.capped


class SlowReporter(Recorder):
    """Each output takes a while to be stored, as a database write does."""

    async def output(self, job: str, text: str) -> None:
        await asyncio.sleep(0.2)
        await super().output(job, text)


async def test_the_end_of_a_job_never_drops_the_batch_being_stored() -> None:
    recorder = SlowReporter()
    out = JobOutput(recorder, "j", (), 1 << 20)
    async with out.ticking():
        await out.line("first")
        await asyncio.sleep(FLUSH_INTERVAL + 0.05)  # the ticker is storing "first"
        await out.line("last")
    assert recorder.text("j") == "first\nlast\n"


async def test_a_kill_never_drops_the_batch_being_stored() -> None:
    recorder = SlowReporter()
    out = JobOutput(recorder, "j", (), 1 << 20)

    async def job() -> None:
        async with out.ticking():
            await out.line("first")
            await asyncio.sleep(60)

    task = asyncio.create_task(job())
    await asyncio.sleep(FLUSH_INTERVAL + 0.05)
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
    assert recorder.text("j") == "first\n"
