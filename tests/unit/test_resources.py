"""``models.resources``: the shared statements of namespaced resources never
select a secret column, and a secret that names no column is refused."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table
from sqlalchemy.dialects import postgresql

from models import cron, images, keys, objects, variables
from models.resources import NamespacedResource

SECRETS = [
    (variables.VARIABLES, "encrypted_value"),
    (keys.KEYS, "encrypted_key"),
]
RESOURCES = [variables.VARIABLES, keys.KEYS, images.IMAGES, cron.CRON, objects.OBJECTS]


def _reads(resource: NamespacedResource) -> list[Any]:
    listings = [
        resource.visible(1),
        resource.visible(1, "x"),
        resource.in_namespace(1),
        resource.in_namespace(1, "x"),
    ]
    return [
        resource.rows,
        resource._by_id,
        resource._readable,
        resource._writable,
        *(s for listing in listings for s in (listing.page, listing.count)),
    ]


@pytest.mark.parametrize(("resource", "secret"), SECRETS)
def test_reads_never_select_the_secret(resource: NamespacedResource, secret: str) -> None:
    assert secret in resource.table.c
    for statement in _reads(resource):
        sql = str(statement.compile(dialect=postgresql.dialect()))
        assert secret not in sql


@pytest.mark.parametrize("resource", RESOURCES, ids=lambda r: r.table.name)
def test_rows_have_author_owner_and_namespace(resource: NamespacedResource) -> None:
    names = set(resource.rows.selected_columns.keys())
    assert {"id", "user_id", "namespace_id", resource.name} <= names
    assert {"author_username", "user_username", "ns_path", "ns_owner"} <= names


def test_a_misspelt_secret_is_refused() -> None:
    table = Table(
        "things",
        MetaData(),
        Column("id", Integer, primary_key=True),
        Column("name", String),
        Column("encrypted_value", String),
    )

    class Taken(Exception):
        pass

    with pytest.raises(ValueError, match="encrypted_valeu"):
        NamespacedResource(
            table, label="things", taken=Taken, clash_markers=(), secret=("encrypted_valeu",)
        )
