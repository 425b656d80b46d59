"""Helpers of the operations tests: reading Prometheus text, apps from elsewhere."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
from prometheus_client.parser import text_string_to_metric_families

from genie.runtime import Runtime
from genie.settings import Settings
from tests.conftest import app_client

#: A client address that is not loopback (TEST-NET-3).
REMOTE = ("203.0.113.7", 40000)


def samples(text: str) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    """Every sample of an exposition, by (name, labels)."""
    found = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found[(sample.name, frozenset(sample.labels.items()))] = sample.value
    return found


def value(text: str, name: str, **labels: str) -> float | None:
    """One sample's value, or None when the exposition has no such sample."""
    return samples(text).get((name, frozenset(labels.items())))


def added(before: str, after: str, name: str, **labels: str) -> float:
    """How much a sample grew between two expositions (a missing sample counts as 0)."""
    return (value(after, name, **labels) or 0) - (value(before, name, **labels) or 0)


async def scrape(client: httpx.AsyncClient) -> str:
    response = await client.get("/metrics")
    assert response.status_code == 200, response.text
    return response.text


@asynccontextmanager
async def app_from(
    database_url: str, data_dir: Path, peer: tuple[str, int] = REMOTE, **settings: object
) -> AsyncIterator[tuple[httpx.AsyncClient, Runtime]]:
    """The app on its own settings, called from ``peer``."""
    configured = Settings(database_url=database_url, data_dir=data_dir, **settings)
    async with app_client(configured, peer=peer) as (client, runtime):
        yield client, runtime
