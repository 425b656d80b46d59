"""The Djinn Objects API, against PostgreSQL and the SQLite default."""

from __future__ import annotations

import dataclasses
import hashlib
import re
import secrets
from collections.abc import AsyncIterator
from email.utils import parsedate_to_datetime
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from handlers.djinn.objects import too_large
from models import Build, BuildObject, Object
from tests.conftest import Account, Env, _make_env

LIMIT = 5 * 1024 * 1024
PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452") + b"\x00" * 64


@pytest.fixture
def env(storage_env: Env) -> Env:
    """Every test here runs on the folder and on S3 (``storage_env``)."""
    return storage_env


def name() -> str:
    return f"obj-{secrets.token_hex(4)}.bin"


async def upload(
    env: Env,
    account: Account,
    body: bytes | AsyncIterator[bytes],
    *,
    obj_name: str | None = None,
    content_type: str | None = "application/octet-stream",
    **params: str,
) -> Any:
    headers = dict(account.auth)
    if content_type is not None:
        headers["Content-Type"] = content_type
    query = {"name": obj_name or name(), **params}
    return await env.client.post("/djinn/objects", params=query, content=body, headers=headers)


async def count_objects(env: Env, user_id: int) -> int:
    async with env.runtime.sessions() as session:
        return int(await session.scalar(select(func.count()).where(Object.user_id == user_id)) or 0)


def links(response: Any) -> dict[str, str]:
    found = dict(
        (rel, url) for url, rel in re.findall(r'<([^>]+)>; rel="(\w+)"', response.headers["link"])
    )
    return found


# Upload


async def test_upload_stores_file_and_returns_entity(env: Env) -> None:
    alice = await env.account()
    body = b"hello world\n" * 1000
    response = await upload(env, alice, body, obj_name="data.txt", content_type="text/plain")
    assert response.status_code == 201
    assert response.headers["content-type"].startswith("application/json")
    obj = response.json()
    assert obj["name"] == "data.txt"
    assert obj["type"] == "text/plain"
    assert obj["size"] == len(body)
    assert obj["md5"] == hashlib.md5(body).hexdigest()
    assert obj["sha256"] == hashlib.sha256(body).hexdigest()
    assert obj["author_id"] == obj["user_id"] == alice.user.id
    assert obj["namespace_id"] is None and obj["namespace"] is None
    assert obj["url"] == f"http://testserver/djinn/objects/{obj['id']}"
    assert obj["builds_url"] == obj["url"] + "/builds"
    assert obj["author"] == obj["user"]
    assert obj["user"]["username"] == alice.user.username
    assert obj["user"]["email"] == alice.user.email
    assert "id" not in obj["user"]
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?Z$", obj["created_at"])
    stored = [p for p in env.stored_files() if p.read_bytes() == body]
    assert len(stored) == 1


async def test_upload_streams_chunked_body(env: Env) -> None:
    alice = await env.account()

    async def chunks() -> AsyncIterator[bytes]:
        for i in range(40):
            yield bytes([i]) * 65536

    response = await upload(env, alice, chunks())
    assert response.status_code == 201
    expected = b"".join(bytes([i]) * 65536 for i in range(40))
    assert response.json()["sha256"] == hashlib.sha256(expected).hexdigest()
    assert response.json()["size"] == len(expected)


@pytest.mark.parametrize(
    ("content_type", "body", "obj_name", "expected"),
    [
        ("image/png", PNG, "a.bin", "image/png"),
        ("text/plain; charset=utf-8", b"hi", "a.bin", "text/plain; charset=utf-8"),
        # curl's default for -d and --data-binary: detect from the bytes, then the name.
        ("application/x-www-form-urlencoded", PNG, "pic", "image/png"),
        ("application/x-www-form-urlencoded", b"plain words", "notes.txt", "text/plain"),
        ("application/octet-stream", PNG, "x", "image/png"),
        (None, b"\x00\x01\x02", "blob", "application/octet-stream"),
        (None, b"a,b\n", "table.csv", "text/csv"),
        ("not a type", PNG, "x", "image/png"),
    ],
)
async def test_upload_type(
    env: Env, content_type: str | None, body: bytes, obj_name: str, expected: str
) -> None:
    alice = await env.account()
    unique = f"{secrets.token_hex(3)}-{obj_name}"
    response = await upload(env, alice, body, obj_name=unique, content_type=content_type)
    assert response.status_code == 201, response.text
    assert response.json()["type"] == expected


async def test_upload_without_name_or_file_reports_both(env: Env) -> None:
    alice = await env.account()
    response = await env.client.post("/djinn/objects", headers=alice.auth, content=b"")
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {"name": ["Name field required"], "file": ["File field required"]}


async def test_upload_empty_body(env: Env) -> None:
    alice = await env.account()
    response = await upload(env, alice, b"")
    assert response.status_code == 400
    assert response.json() == {"file": ["File field required"]}
    assert await count_objects(env, alice.user.id) == 0


@pytest.mark.parametrize("bad", ["a b", "../etc", "x/y", "naïve", "semi;colon"])
async def test_upload_bad_name(env: Env, bad: str) -> None:
    alice = await env.account()
    response = await upload(env, alice, b"data", obj_name=bad)
    assert response.status_code == 400
    assert response.json() == {"name": ["Name does not match ^[a-zA-Z0-9._-]+$"]}


async def test_upload_name_too_long_and_empty_body_together(env: Env) -> None:
    alice = await env.account()
    response = await upload(env, alice, b"", obj_name="a" * 256)
    assert response.status_code == 400
    assert response.json() == {
        "name": ["Name cannot be longer than 255 characters in length"],
        "file": ["File field required"],
    }


async def test_upload_duplicate_name_is_refused_by_constraint(env: Env) -> None:
    alice = await env.account()
    first = await upload(env, alice, b"one", obj_name="dup.txt")
    assert first.status_code == 201
    before = env.stored_files()
    second = await upload(env, alice, b"two", obj_name="dup.txt")
    assert second.status_code == 400
    assert second.json() == {"name": ["Name already exists"]}
    assert await count_objects(env, alice.user.id) == 1
    assert env.stored_files() == before


async def test_same_name_for_two_users(env: Env) -> None:
    alice, bob = await env.account(), await env.account()
    assert (await upload(env, alice, b"a", obj_name="same")).status_code == 201
    assert (await upload(env, bob, b"b", obj_name="same")).status_code == 201


async def test_upload_field_errors_come_before_the_namespace(env: Env) -> None:
    alice = await env.account()
    response = await upload(env, alice, b"", obj_name="bad name", namespace="djinn")
    assert response.status_code == 400
    assert response.json() == {
        "name": ["Name does not match ^[a-zA-Z0-9._-]+$"],
        "file": ["File field required"],
    }
    # The request failed: the namespace was not created.
    mine = await env.client.get("/djinn/namespaces", headers=alice.auth)
    assert mine.json() == []


# Uploads into namespaces (path[@owner]).


async def namespaces_of(env: Env, account: Account) -> list[str]:
    response = await env.client.get("/djinn/namespaces", headers=account.auth)
    return [n["path"] for n in response.json()]


async def test_upload_into_own_namespace_creates_the_missing_segments(env: Env) -> None:
    alice = await env.account()
    response = await upload(env, alice, b"data", obj_name="o", namespace="submit/into/namespace")
    assert response.status_code == 201, response.text
    obj = response.json()
    assert obj["user_id"] == obj["author_id"] == alice.user.id
    assert obj["namespace"]["path"] == "submit/into/namespace"
    assert obj["namespace"]["level"] == 2
    assert obj["namespace"]["visibility"] == "private"
    assert obj["namespace_id"] == obj["namespace"]["id"]
    assert await namespaces_of(env, alice) == ["submit", "submit/into", "submit/into/namespace"]
    # The existing path is reused; a new branch only adds the missing segment.
    again = await upload(env, alice, b"more", obj_name="p", namespace="submit/into/namespace")
    assert again.json()["namespace_id"] == obj["namespace_id"]
    other = await upload(env, alice, b"more", obj_name="q", namespace="submit/other")
    assert other.status_code == 201
    assert await namespaces_of(env, alice) == [
        "submit",
        "submit/into",
        "submit/into/namespace",
        "submit/other",
    ]


async def test_created_segments_take_their_roots_visibility(env: Env) -> None:
    alice = await env.account()
    created = await env.client.post(
        "/djinn/namespaces", json={"name": "pub", "visibility": "public"}, headers=alice.auth
    )
    assert created.status_code == 201
    response = await upload(env, alice, b"d", namespace="pub/deep/inner")
    assert response.json()["namespace"]["visibility"] == "public"


async def test_names_are_unique_per_namespace(env: Env) -> None:
    alice = await env.account()
    assert (await upload(env, alice, b"a", obj_name="same")).status_code == 201
    first = await upload(env, alice, b"b", obj_name="same", namespace="one")
    assert first.status_code == 201
    assert (await upload(env, alice, b"c", obj_name="same", namespace="two")).status_code == 201
    taken = await upload(env, alice, b"d", obj_name="same", namespace="one")
    assert taken.status_code == 400
    assert taken.json() == {"name": ["Name already exists"]}
    # Found before storing, together with a file error.
    both = await upload(env, alice, b"x" * (LIMIT + 1), obj_name="same", namespace="one")
    assert both.json() == {
        "file": ["file too large, cannot exceed 5 MB"],
        "name": ["Name already exists"],
    }


async def collaborating(env: Env) -> tuple[Account, Account]:
    """``alice`` owns ``proj``; ``bob`` collaborates on it."""
    alice, bob = await env.account(), await env.account()
    assert (
        await env.client.post("/djinn/namespaces", json={"name": "proj"}, headers=alice.auth)
    ).status_code == 201
    sent = await env.client.post(
        f"/djinn/n/{alice.user.username}/proj/-/invites",
        json={"handle": bob.user.username},
        headers=alice.auth,
    )
    accepted = await env.client.patch(f"/djinn/invites/{sent.json()['id']}", headers=bob.auth)
    assert accepted.status_code == 200
    return alice, bob


async def test_collaborator_upload_belongs_to_the_namespace_owner(env: Env) -> None:
    alice, bob = await collaborating(env)
    response = await upload(
        env, bob, b"shared", obj_name="s.bin", namespace=f"proj@{alice.user.username}"
    )
    assert response.status_code == 201, response.text
    obj = response.json()
    assert obj["user_id"] == alice.user.id
    assert obj["author_id"] == bob.user.id
    assert obj["user"]["username"] == alice.user.username
    assert obj["author"]["username"] == bob.user.username
    assert obj["namespace"]["path"] == "proj"
    # Both list it; both may delete it.
    for account in (alice, bob):
        listed = await env.client.get("/djinn/objects", headers=account.auth)
        assert [o["id"] for o in listed.json()] == [obj["id"]]
    deleted = await env.client.delete(f"/djinn/objects/{obj['id']}", headers=bob.auth)
    assert deleted.status_code == 204


async def test_collaborator_cannot_create_namespaces_in_the_owners_account(env: Env) -> None:
    alice, bob = await collaborating(env)
    owner = alice.user.username
    response = await upload(env, bob, b"x", namespace=f"proj/new@{owner}")
    assert response.status_code == 400
    assert response.json() == {"namespace": ["Namespace permission denied"]}
    assert await namespaces_of(env, alice) == ["proj"]


async def test_stranger_upload_is_denied_together_with_other_errors(env: Env) -> None:
    alice, _bob = await collaborating(env)
    carol = await env.account()
    owner = alice.user.username
    before = env.stored_files()
    denied = await upload(env, carol, b"x", namespace=f"proj@{owner}")
    assert denied.status_code == 400
    assert denied.json() == {"namespace": ["Namespace permission denied"]}
    both = await upload(env, carol, b"x" * (LIMIT + 1), namespace=f"proj@{owner}")
    assert both.json() == {
        "namespace": ["Namespace permission denied"],
        "file": ["file too large, cannot exceed 5 MB"],
    }
    # A namespace of alice that does not exist: the same answer, and nothing created.
    missing = await upload(env, carol, b"x", namespace=f"elsewhere@{owner}")
    assert missing.json() == {"namespace": ["Namespace permission denied"]}
    assert await namespaces_of(env, alice) == ["proj"]
    assert await count_objects(env, alice.user.id) == 0
    assert await count_objects(env, carol.user.id) == 0
    assert env.stored_files() == before


@pytest.mark.parametrize(
    ("reference", "message"),
    [
        ("@someone", "Namespace @someone: invalid namespace path"),
        ("a_b", "Namespace a_b: namespace: name can only have letters, and numbers"),
        ("ok/x", "Namespace ok/x: namespace: name must be between 3 and 32 characters in length"),
        ("proj@nobodyatall", "Namespace proj@nobodyatall: namespace: invalid owner"),
        ("/".join(["abc"] * 21), "namespace cannot exceed depth of 20"),
    ],
)
async def test_upload_bad_namespace_reference(env: Env, reference: str, message: str) -> None:
    alice = await env.account()
    response = await upload(env, alice, b"x", namespace=reference)
    assert response.status_code == 400
    [got] = response.json()["namespace"]
    assert got.endswith(message), got
    assert await namespaces_of(env, alice) == []


async def test_object_in_a_public_namespace_is_readable_not_writable(env: Env) -> None:
    alice, carol = await env.account(), await env.account()
    await env.client.post(
        "/djinn/namespaces", json={"name": "open", "visibility": "public"}, headers=alice.auth
    )
    obj = (await upload(env, alice, b"public data", namespace="open")).json()
    read = await env.client.get(f"/djinn/objects/{obj['id']}", headers=carol.auth)
    assert read.status_code == 200
    raw = await env.client.get(
        f"/djinn/objects/{obj['id']}", headers={**carol.auth, "Accept": "application/octet-stream"}
    )
    assert raw.content == b"public data"
    builds = await env.client.get(f"/djinn/objects/{obj['id']}/builds", headers=carol.auth)
    assert builds.status_code == 200
    assert (
        await env.client.delete(f"/djinn/objects/{obj['id']}", headers=carol.auth)
    ).status_code == 404
    # Not in carol's collection: that lists what she owns or shares.
    assert (await env.client.get("/djinn/objects", headers=carol.auth)).json() == []
    # Private again: gone for carol.
    await env.client.patch(
        f"/djinn/n/{alice.user.username}/open", json={"visibility": "private"}, headers=alice.auth
    )
    assert (
        await env.client.get(f"/djinn/objects/{obj['id']}", headers=carol.auth)
    ).status_code == 404


async def test_upload_at_the_limit_is_accepted(env: Env) -> None:
    alice = await env.account()
    response = await upload(env, alice, b"x" * LIMIT)
    assert response.status_code == 201
    assert response.json()["size"] == LIMIT


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
async def test_upload_over_the_limit_leaves_nothing(env: Env, chunked: bool) -> None:
    alice = await env.account()
    before = env.stored_files()
    body = b"x" * (LIMIT + 1)

    async def stream() -> AsyncIterator[bytes]:
        for i in range(0, len(body), 1 << 20):
            yield body[i : i + (1 << 20)]

    response = await upload(env, alice, stream() if chunked else body)
    assert response.status_code == 400
    assert response.json() == {"file": ["file too large, cannot exceed 5 MB"]}
    assert await count_objects(env, alice.user.id) == 0
    assert env.stored_files() == before


async def test_over_limit_and_duplicate_name_reported_together(env: Env) -> None:
    alice = await env.account()
    assert (await upload(env, alice, b"a", obj_name="taken")).status_code == 201
    response = await upload(env, alice, b"x" * (LIMIT + 1), obj_name="taken")
    assert response.json() == {
        "file": ["file too large, cannot exceed 5 MB"],
        "name": ["Name already exists"],
    }


@pytest.mark.parametrize(
    ("limit", "message"),
    [
        (5 * 1024 * 1024, "file too large, cannot exceed 5 MB"),
        (5_000_000, "file too large, cannot exceed 4 MB"),
        (1023, "file too large, cannot exceed 1023 B"),
        (3 * 1024**3, "file too large, cannot exceed 3 GB"),
    ],
)
def test_too_large_message_sizes_like_the_original(limit: int, message: str) -> None:
    assert too_large(limit) == message


# List


async def test_list_pages_by_name_with_links(env: Env) -> None:
    alice = await env.account()
    bob = await env.account()
    names = [f"n{i:02d}" for i in range(30)]
    for n in reversed(names):
        assert (await upload(env, alice, b"d", obj_name=n)).status_code == 201
    await upload(env, bob, b"d", obj_name="bobs")

    first = await env.client.get("/djinn/objects", headers=alice.auth)
    assert first.status_code == 200
    assert [o["name"] for o in first.json()] == names[:25]
    assert links(first) == {
        "prev": "http://testserver/djinn/objects?page=1",
        "next": "http://testserver/djinn/objects?page=2",
    }
    second = await env.client.get("/djinn/objects", params={"page": 2}, headers=alice.auth)
    assert [o["name"] for o in second.json()] == names[25:]
    assert links(second) == {
        "prev": "http://testserver/djinn/objects?page=1",
        "next": "http://testserver/djinn/objects?page=2",
    }
    past = await env.client.get("/djinn/objects", params={"page": 99}, headers=alice.auth)
    assert past.json() == second.json()
    assert links(past)["next"].endswith("page=2")


async def test_list_largest_page_gives_the_last_page(env: Env) -> None:
    alice = await env.account()
    await upload(env, alice, b"d", obj_name="only")
    for path in ["/djinn/objects", "/djinn/objects?search=only"]:
        response = await env.client.get(path, params={"page": 2147483647}, headers=alice.auth)
        assert response.status_code == 200
        assert [o["name"] for o in response.json()] == ["only"]
        assert links(response)["next"].endswith("page=1")


async def test_list_empty(env: Env) -> None:
    alice = await env.account()
    response = await env.client.get("/djinn/objects", headers=alice.auth)
    assert response.json() == []
    assert links(response) == {
        "prev": "http://testserver/djinn/objects?page=1",
        "next": "http://testserver/djinn/objects?page=1",
    }


async def test_list_search_is_case_insensitive_substring(env: Env) -> None:
    alice = await env.account()
    for n in ["Report.PDF", "report-2", "other", "50%_off", "500_off"]:
        await upload(env, alice, b"d", obj_name=n.replace("%", "pc"))
    found = await env.client.get("/djinn/objects", params={"search": "REPORT"}, headers=alice.auth)
    assert [o["name"] for o in found.json()] == ["Report.PDF", "report-2"]
    # LIKE wildcards are matched literally.
    found = await env.client.get("/djinn/objects", params={"search": "0_"}, headers=alice.auth)
    assert [o["name"] for o in found.json()] == ["500_off"]
    found = await env.client.get("/djinn/objects", params={"search": "%"}, headers=alice.auth)
    assert found.json() == []


async def test_list_link_keeps_and_encodes_other_parameters(env: Env) -> None:
    alice = await env.account()
    response = await env.client.get(
        "/djinn/objects", params={"search": 'a b&c<>"', "page": 1}, headers=alice.auth
    )
    assert links(response)["next"] == (
        "http://testserver/djinn/objects?search=a+b%26c%3C%3E%22&page=1"
    )


async def test_list_bad_query_reports_every_field(env: Env) -> None:
    alice = await env.account()
    response = await env.client.get(
        "/djinn/objects", params={"page": "abc", "search": "x" * 256}, headers=alice.auth
    )
    assert response.status_code == 400
    assert response.json() == {
        "search": ["Search cannot be longer than 255 characters in length"],
        "page": ["Page must be an integer"],
    }
    response = await env.client.get("/djinn/objects", params={"page": 0}, headers=alice.auth)
    assert response.json() == {"page": ["Page must be at least 1"]}


# Get


async def test_get_json_by_default(env: Env) -> None:
    alice = await env.account()
    created = (await upload(env, alice, PNG, content_type="image/png")).json()
    for accept in [None, "application/json", "*/*", "image/*"]:
        headers = dict(alice.auth)
        if accept:
            headers["Accept"] = accept
        response = await env.client.get(f"/djinn/objects/{created['id']}", headers=headers)
        assert response.status_code == 200
        assert response.json() == created


@pytest.mark.parametrize("accept", ["image/png", "IMAGE/PNG; q=0.9", "application/octet-stream"])
async def test_get_raw_when_accept_matches(env: Env, accept: str) -> None:
    alice = await env.account()
    created = (await upload(env, alice, PNG, content_type="image/png")).json()
    response = await env.client.get(
        f"/djinn/objects/{created['id']}", headers={**alice.auth, "Accept": accept}
    )
    assert response.status_code == 200
    assert response.content == PNG
    assert response.headers["content-type"] == "image/png"
    assert response.headers["content-length"] == str(len(PNG))
    assert response.headers["etag"] == f'"{created["sha256"]}"'
    assert response.headers["accept-ranges"] == "bytes"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["content-disposition"] == f'attachment; filename="{created["name"]}"'


async def test_get_raw_ignores_type_parameters(env: Env) -> None:
    alice = await env.account()
    created = (await upload(env, alice, b"text", content_type="text/plain; charset=utf-8")).json()
    response = await env.client.get(
        f"/djinn/objects/{created['id']}", headers={**alice.auth, "Accept": "text/plain"}
    )
    assert response.content == b"text"
    assert response.headers["content-type"] == "text/plain; charset=utf-8"


async def test_get_raw_range(env: Env) -> None:
    alice = await env.account()
    body = bytes(range(256)) * 4
    created = (await upload(env, alice, body)).json()
    url = f"/djinn/objects/{created['id']}"
    raw = {**alice.auth, "Accept": "application/octet-stream"}
    part = await env.client.get(url, headers={**raw, "Range": "bytes=10-19"})
    assert part.status_code == 206
    assert part.content == body[10:20]
    assert part.headers["content-range"] == f"bytes 10-19/{len(body)}"
    tail = await env.client.get(url, headers={**raw, "Range": "bytes=-4"})
    assert tail.content == body[-4:]
    # A malformed range is ignored: the whole file.
    whole = await env.client.get(url, headers={**raw, "Range": "lines=1-2"})
    assert whole.status_code == 200 and whole.content == body
    beyond = await env.client.get(url, headers={**raw, "Range": "bytes=5000-6000"})
    assert beyond.status_code == 416
    assert beyond.json() == {"message": "Range Not Satisfiable"}
    assert beyond.headers["content-range"] == f"bytes */{len(body)}"


async def test_get_missing_file_is_404(env: Env) -> None:
    alice = await env.account()
    created = (await upload(env, alice, b"gone soon", obj_name="lost.bin")).json()
    for path in env.stored_files():
        if path.read_bytes() == b"gone soon":
            path.unlink()
    response = await env.client.get(
        f"/djinn/objects/{created['id']}",
        headers={**alice.auth, "Accept": "application/octet-stream"},
    )
    assert response.status_code == 404
    assert response.json() == {"message": "Not Found"}
    # Deleting the row whose file is gone is no error.
    deleted = await env.client.delete(f"/djinn/objects/{created['id']}", headers=alice.auth)
    assert deleted.status_code == 204


async def test_get_raw_validators_and_conditional_requests(env: Env) -> None:
    alice = await env.account()
    body = bytes(range(256)) * 4
    created = (await upload(env, alice, body)).json()
    url = f"/djinn/objects/{created['id']}"
    raw = {**alice.auth, "Accept": "application/octet-stream"}
    first = await env.client.get(url, headers=raw)
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    assert etag == f'"{created["sha256"]}"'
    assert parsedate_to_datetime(modified).tzinfo is not None
    for matching in (etag, f"W/{etag}", f'"other", {etag}', "*"):
        unchanged = await env.client.get(url, headers={**raw, "If-None-Match": matching})
        assert unchanged.status_code == 304, matching
        assert unchanged.content == b""
        assert unchanged.headers["etag"] == etag
        assert unchanged.headers["last-modified"] == modified
    changed = await env.client.get(url, headers={**raw, "If-None-Match": '"other"'})
    assert changed.status_code == 200 and changed.content == body
    # If-Range: the range only while the validator still holds.
    for validator, status in ((etag, 206), (modified, 206), ('"stale"', 200)):
        ranged = await env.client.get(
            url, headers={**raw, "Range": "bytes=0-9", "If-Range": validator}
        )
        assert ranged.status_code == status, validator
    # Several ranges: the whole file (RFC 9110 lets a server ignore Range).
    several = await env.client.get(url, headers={**raw, "Range": "bytes=0-1,10-11"})
    assert several.status_code == 200 and several.content == body


# Delete


async def test_delete_removes_row_and_file(env: Env) -> None:
    alice = await env.account()
    created = (await upload(env, alice, b"delete me please")).json()
    assert any(p.read_bytes() == b"delete me please" for p in env.stored_files())
    response = await env.client.delete(f"/djinn/objects/{created['id']}", headers=alice.auth)
    assert response.status_code == 204
    assert response.content == b""
    assert await count_objects(env, alice.user.id) == 0
    assert not any(p.read_bytes() == b"delete me please" for p in env.stored_files())
    again = await env.client.delete(f"/djinn/objects/{created['id']}", headers=alice.auth)
    assert again.status_code == 404
    assert again.json() == {"message": "Not Found"}


# Builds of an object


async def test_builds_of_object(env: Env) -> None:
    alice = await env.account()
    created = (await upload(env, alice, b"used by a build")).json()
    response = await env.client.get(f"/djinn/objects/{created['id']}/builds", headers=alice.auth)
    assert response.status_code == 200
    assert response.json() == []
    assert 'rel="next"' in response.headers["link"]

    async with env.runtime.sessions() as session, session.begin():
        build = Build(user_id=alice.user.id, number=1, manifest="driver:\n  type: os\n")
        session.add(build)
        await session.flush()
        session.add(BuildObject(build_id=build.id, object_id=created["id"], source="a", name="a"))
    response = await env.client.get(f"/djinn/objects/{created['id']}/builds", headers=alice.auth)
    [listed] = response.json()
    assert listed["number"] == 1
    assert listed["status"] == "queued"
    assert listed["url"] == f"http://testserver/djinn/b/{alice.user.username}/1"
    assert listed["user"]["username"] == alice.user.username


# Auth


OPERATIONS = [
    ("GET", "/djinn/objects", "object:read"),
    ("POST", "/djinn/objects?name=x", "object:write"),
    ("GET", "/djinn/objects/{id}", "object:read"),
    ("DELETE", "/djinn/objects/{id}", "object:delete"),
    ("GET", "/djinn/objects/{id}/builds", "object:read build:read"),
]


@pytest.mark.parametrize(("method", "path", "scope"), OPERATIONS)
async def test_missing_or_bad_token_is_401(env: Env, method: str, path: str, scope: str) -> None:
    url = path.format(id=1)
    for headers in [
        {},
        {"Authorization": "Bearer 0123456789abcdef0123456789abcdef"},
        {"Authorization": "Bearer"},
        {"Authorization": "Basic dXNlcjpwYXNz"},
        {"Authorization": "Bearer " + "a" * 5000},
    ]:
        response = await env.client.request(method, url, headers=headers, content=b"x")
        assert response.status_code == 401, (headers, response.text)
        assert response.json() == {"message": "Unauthorized"}
        assert response.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize(("method", "path", "scope"), OPERATIONS)
async def test_wrong_scope_is_403_naming_it(env: Env, method: str, path: str, scope: str) -> None:
    owner = await env.account()
    obj = (await upload(env, owner, b"x")).json()
    needed = scope.split()
    others = " ".join(
        f"{r}:read,write,delete" for r in ["namespace", "variable"]
    )  # every permission, but not the ones needed
    token = await env.token_for(owner, others)
    response = await env.client.request(
        method, path.format(id=obj["id"]), headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 403
    message = response.json()["message"]
    assert all(s in message for s in needed), message


async def test_scope_partially_held_names_the_missing_one(env: Env) -> None:
    owner = await env.account()
    obj = (await upload(env, owner, b"x")).json()
    token = await env.token_for(owner, "object:read")
    response = await env.client.get(
        f"/djinn/objects/{obj['id']}/builds", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 403
    assert response.json() == {"message": "Forbidden: the token lacks the scope build:read"}


async def test_other_users_object_is_not_found(env: Env) -> None:
    owner, other = await env.account(), await env.account()
    obj = (await upload(env, owner, b"secret", obj_name="mine")).json()
    for method, path in [
        ("GET", f"/djinn/objects/{obj['id']}"),
        ("DELETE", f"/djinn/objects/{obj['id']}"),
        ("GET", f"/djinn/objects/{obj['id']}/builds"),
    ]:
        response = await env.client.request(method, path, headers=other.auth)
        assert response.status_code == 404
        assert response.json() == {"message": "Not Found"}
    raw = await env.client.get(
        f"/djinn/objects/{obj['id']}", headers={**other.auth, "Accept": "application/octet-stream"}
    )
    assert raw.status_code == 404
    listed = await env.client.get("/djinn/objects", params={"search": "mine"}, headers=other.auth)
    assert listed.json() == []
    # Still there for the owner.
    mine = await env.client.get(f"/djinn/objects/{obj['id']}", headers=owner.auth)
    assert mine.status_code == 200


async def test_unknown_and_out_of_range_ids(env: Env) -> None:
    alice = await env.account()
    assert (await env.client.get("/djinn/objects/999999", headers=alice.auth)).status_code == 404
    huge = await env.client.get("/djinn/objects/99999999999", headers=alice.auth)
    assert huge.status_code == 400
    assert huge.json() == {"id": ["Id must be at most 2147483647"]}
    text = await env.client.get("/djinn/objects/abc", headers=alice.auth)
    assert text.status_code == 404
    assert text.json() == {"message": "Not Found"}


# Multipart uploads (curl -F file=@data), streamed like raw ones.


async def test_multipart_file_field(env: Env) -> None:
    alice = await env.account()
    response = await env.client.post(
        "/djinn/objects",
        params={"name": "form.png"},
        data={"comment": "ignored"},
        files={"file": ("picture.png", PNG, "image/png")},
        headers=alice.auth,
    )
    assert response.status_code == 201, response.text
    obj = response.json()
    assert obj["type"] == "image/png"
    assert obj["size"] == len(PNG)
    assert obj["sha256"] == hashlib.sha256(PNG).hexdigest()
    raw = await env.client.get(
        f"/djinn/objects/{obj['id']}", headers={**alice.auth, "Accept": "image/png"}
    )
    assert raw.content == PNG


async def test_multipart_without_file_field(env: Env) -> None:
    alice = await env.account()
    response = await env.client.post(
        "/djinn/objects",
        params={"name": "form.bin"},
        files={"other": ("x", b"data", "text/plain")},
        headers=alice.auth,
    )
    assert response.status_code == 400
    assert response.json() == {"file": ["File field required"]}
    assert await count_objects(env, alice.user.id) == 0


@pytest.mark.parametrize(
    "body",
    [
        b'--XX\r\nContent-Disposition: form-data; name="file"\r\n\r\npartial data',
        b"not multipart at all",
    ],
    ids=["truncated", "garbage"],
)
async def test_malformed_multipart_leaves_nothing(env: Env, body: bytes) -> None:
    alice = await env.account()
    before = env.stored_files()
    response = await upload(env, alice, body, content_type="multipart/form-data; boundary=XX")
    assert response.status_code == 400
    [message] = response.json()["file"]
    assert message.startswith("File is not valid multipart/form-data: ")
    assert await count_objects(env, alice.user.id) == 0
    assert env.stored_files() == before


async def test_multipart_over_the_limit(env: Env) -> None:
    alice = await env.account()
    response = await env.client.post(
        "/djinn/objects",
        params={"name": "big.bin"},
        files={"file": ("big.bin", b"x" * (LIMIT + 1), "application/octet-stream")},
        headers=alice.auth,
    )
    assert response.json() == {"file": ["file too large, cannot exceed 5 MB"]}
    exact = await env.client.post(
        "/djinn/objects",
        params={"name": "exact.bin"},
        files={"file": ("exact.bin", b"x" * LIMIT, "application/octet-stream")},
        headers=alice.auth,
    )
    assert exact.status_code == 201


# Presigned downloads (S3 only)


@pytest.fixture(scope="module")
async def presigning_env(pg_s3_env: Env) -> AsyncIterator[Env]:
    """S3 storage with ``GENIE_S3_PRESIGN=1``."""
    settings = dataclasses.replace(pg_s3_env.runtime.settings, s3_presign=True)
    async for env in _make_env("postgres-s3-presign", settings, pg_s3_env.files):
        yield env


async def test_presigned_download_redirects_to_s3(presigning_env: Env) -> None:
    env = presigning_env
    alice = await env.account()
    body = PNG + secrets.token_bytes(16)
    created = (await upload(env, alice, body, obj_name="plan.png")).json()
    url = f"/djinn/objects/{created['id']}"
    raw = {**alice.auth, "Accept": "image/png"}
    response = await env.client.get(url, headers=raw)
    assert response.status_code == 302
    assert response.headers["cache-control"] == "no-store"
    assert response.content == b""
    location = response.headers["location"]
    assert "X-Amz-Signature=" in location and "X-Amz-Expires=300" in location
    async with httpx.AsyncClient() as direct:
        fetched = await direct.get(location)
        part = await direct.get(location, headers={"Range": "bytes=0-3"})
    assert fetched.status_code == 200 and fetched.content == body
    assert fetched.headers["content-type"] == "image/png"
    assert fetched.headers["content-disposition"] == 'attachment; filename="plan.png"'
    assert part.status_code == 206 and part.content == body[:4]
    # The JSON stays here; a client that has the file gets its 304 without a trip.
    assert (await env.client.get(url, headers=alice.auth)).json() == created
    etag = f'"{created["sha256"]}"'
    unchanged = await env.client.get(url, headers={**raw, "If-None-Match": etag})
    assert unchanged.status_code == 304
    # No file, no redirect.
    for stored in env.stored_files():
        if stored.read_bytes() == body:
            stored.unlink()
    assert (await env.client.get(url, headers=raw)).status_code == 404
