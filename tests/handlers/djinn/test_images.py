"""The Djinn Images API: QCOW2 uploads, downloads from a real HTTP server on
127.0.0.1 run by the job queue, raw downloads with Range, and access."""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import secrets
import threading
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from genie import images as image_jobs
from genie import jobs
from handlers.djinn._files import too_large
from models import Image, ImageDownload, Job
from tests.conftest import Account, Env, _make_env
from tests.handlers.djinn.conftest import Receiver, add_collaborator, create_namespace, ns_url
from tests.storage_fixtures import on_s3

QCOW2 = b"QFI\xfb\x00\x00\x00\x03" + bytes(range(256)) * 64
NOT_QCOW2 = "File not a valid QCOW2 file format"


@pytest.fixture
def env(storage_env: Env) -> Env:
    """Every test here runs on the folder and on S3 (``storage_env``)."""
    return storage_env


@pytest.fixture(params=["folder", "s3"])
def private_env(request: pytest.FixtureRequest, private_env: Env) -> Env:
    """The downloads by URL, too, on both backends."""
    if request.param == "folder":
        return private_env
    env: Env = request.getfixturevalue("private_s3_env")
    return env


def image_name() -> str:
    return f"img-{secrets.token_hex(4)}"


async def upload(
    env: Env,
    account: Account | None,
    body: bytes | AsyncIterator[bytes] = QCOW2,
    *,
    content_type: str | None = "application/x-qemu-disk",
    **params: str,
) -> Any:
    headers = dict(account.auth) if account else {}
    if content_type is not None:
        headers["Content-Type"] = content_type
    params.setdefault("name", image_name())
    return await env.client.post("/djinn/images", params=params, content=body, headers=headers)


async def uploaded(env: Env, account: Account, **params: str) -> dict[str, Any]:
    response = await upload(env, account, **params)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def path_of(entity: dict[str, Any]) -> str:
    return str(entity["url"]).removeprefix("http://testserver")


async def count_images(env: Env, user_id: int) -> int:
    async with env.runtime.sessions() as session:
        return int(await session.scalar(select(func.count()).where(Image.user_id == user_id)) or 0)


# Uploads


async def test_upload_stores_the_image_and_serves_it_back(env: Env) -> None:
    alice = await env.account()
    before = env.stored_files()
    image = await uploaded(env, alice, name="debian-stable")
    assert image["name"] == "debian-stable"
    assert image["driver"] == "qemu"
    assert image["author_id"] == image["user_id"] == alice.user.id
    assert image["namespace_id"] is None and image["namespace"] is None
    assert image["download"] is None
    assert image["url"] == f"http://testserver/djinn/images/{image['id']}"
    assert image["user"]["username"] == alice.user.username
    assert len(env.stored_files()) == len(before) + 1

    shown = await env.client.get(path_of(image), headers=alice.auth)
    assert shown.status_code == 200
    assert shown.json() == image

    raw = await env.client.get(
        path_of(image), headers={**alice.auth, "Accept": "application/x-qemu-disk"}
    )
    assert raw.status_code == 200
    assert raw.content == QCOW2
    assert raw.headers["content-type"] == "application/x-qemu-disk"
    assert raw.headers["etag"] == f'"{hashlib.sha256(QCOW2).hexdigest()}"'
    assert "debian-stable.qcow2" in raw.headers["content-disposition"]
    assert raw.headers["x-content-type-options"] == "nosniff"

    part = await env.client.get(
        path_of(image),
        headers={**alice.auth, "Accept": "application/x-qemu-disk", "Range": "bytes=0-3"},
    )
    assert part.status_code == 206
    assert part.content == b"QFI\xfb"
    assert part.headers["content-range"] == f"bytes 0-3/{len(QCOW2)}"

    outside = await env.client.get(
        path_of(image),
        headers={**alice.auth, "Accept": "application/x-qemu-disk", "Range": "bytes=999999-"},
    )
    assert outside.status_code == 416
    assert outside.headers["content-range"] == f"bytes */{len(QCOW2)}"


async def test_upload_as_multipart_and_with_any_content_type(env: Env) -> None:
    alice = await env.account()
    multipart = await env.client.post(
        "/djinn/images",
        params={"name": "from-form"},
        files={"file": ("disk.qcow2", QCOW2, "application/octet-stream")},
        headers=alice.auth,
    )
    assert multipart.status_code == 201, multipart.text
    for content_type in ("application/octet-stream", None, "application/x-www-form-urlencoded"):
        assert (await upload(env, alice, content_type=content_type)).status_code == 201
    raw = await env.client.get(
        path_of(multipart.json()), headers={**alice.auth, "Accept": "application/x-qemu-disk"}
    )
    assert raw.content == QCOW2


async def test_a_file_without_the_qcow2_magic_is_refused_and_not_kept(env: Env) -> None:
    alice = await env.account()
    before = env.stored_files()
    for body in (b"QFI", b"not a disk image at all", b"\x00QFI\xfb"):
        response = await upload(env, alice, body)
        assert response.status_code == 400
        assert response.json() == {"file": [NOT_QCOW2]}
    assert await count_images(env, alice.user.id) == 0
    assert env.stored_files() == before


async def test_every_field_error_at_once(env: Env) -> None:
    alice, bob = await env.account(), await env.account()
    await create_namespace(env, bob, "bobs")
    response = await upload(
        env, alice, b"nope", name="bad name", namespace=f"bobs@{bob.user.username}"
    )
    assert response.status_code == 400
    # The parameter's pattern is checked before the handler runs.
    assert response.json() == {"name": ["Name does not match ^[a-zA-Z0-9_\\-]+$"]}

    response = await upload(env, alice, b"nope", namespace=f"bobs@{bob.user.username}")
    assert response.json() == {
        "namespace": ["Namespace permission denied"],
        "file": [NOT_QCOW2],
    }
    missing = await env.client.post(
        "/djinn/images", content=QCOW2, headers={**alice.auth, "Content-Type": "x/y"}
    )
    assert missing.status_code == 400
    assert missing.json() == {"name": ["Name field required"]}
    empty = await upload(env, alice, b"")
    assert empty.json() == {"file": ["File field required"]}


async def test_names_are_unique_per_owner_and_namespace(env: Env) -> None:
    alice, bob = await env.account(), await env.account()
    await uploaded(env, alice, name="base")
    taken = await upload(env, alice, name="base")
    assert taken.status_code == 400
    assert taken.json() == {"name": ["Name already exists"]}
    both = await upload(env, alice, b"junk", name="base")
    assert both.json() == {"name": ["Name already exists"], "file": [NOT_QCOW2]}
    await uploaded(env, bob, name="base")
    inside = await uploaded(env, alice, name="base", namespace="vms")
    assert inside["namespace"]["path"] == "vms"
    assert (await upload(env, alice, name="base", namespace="vms")).status_code == 400
    assert await count_images(env, alice.user.id) == 2


@pytest.fixture(scope="module", params=["folder", "s3"])
async def small_env(request: pytest.FixtureRequest, pg_env: Env) -> AsyncIterator[Env]:
    """The app with ``GENIE_IMAGE_MAX_SIZE`` at 4 KiB, on each backend."""
    settings = dataclasses.replace(pg_env.runtime.settings, image_max_size=4096)
    files = None
    if request.param == "s3":
        settings, files = on_s3(settings, request.getfixturevalue("moto_s3"), "small")
    async for env in _make_env(f"postgres-small-images-{request.param}", settings, files):
        yield env


async def test_the_size_limit_applies_to_declared_and_streamed_bodies(small_env: Env) -> None:
    env = small_env
    alice = await env.account()
    before = env.stored_files()
    declared = await upload(env, alice, QCOW2 + b"\x00" * 4096)
    assert declared.status_code == 400
    assert declared.json() == {"file": [too_large(4096)]}

    async def chunked() -> AsyncIterator[bytes]:
        yield QCOW2
        for _ in range(4):
            yield b"\x00" * 1024

    streamed = await upload(env, alice, chunked())
    assert streamed.status_code == 400
    assert streamed.json() == {"file": ["file too large, cannot exceed 4 KB"]}
    assert (await upload(env, alice, QCOW2[:4096])).status_code == 201
    assert await count_images(env, alice.user.id) == 1
    assert len(env.stored_files()) == len(before) + 1


async def test_a_failing_upload_stream_leaves_nothing(env: Env) -> None:
    alice = await env.account()
    before = env.stored_files()

    async def broken() -> AsyncIterator[bytes]:
        yield QCOW2
        raise ConnectionResetError("client went away")

    # The in-process transport hands the app the client's error: a 500 here. Over
    # real HTTP it is a disconnect (tests/live/test_uploads.py).
    response = await upload(env, alice, broken())
    assert response.status_code == 500
    assert await count_images(env, alice.user.id) == 0
    assert env.stored_files() == before


# Downloads from a real HTTP server


@dataclass
class ImageServer:
    url: str
    requests: list[tuple[str, str | None]] = field(default_factory=list)
    #: Basic auth the ``/private`` path wants.
    credentials: str = "alice:s3cr3t-pass"


@pytest.fixture
def image_server() -> Iterator[ImageServer]:
    state = ImageServer(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            state.requests.append((self.path, self.headers.get("Authorization")))
            kind, body = "application/x-qemu-disk", QCOW2
            if self.path == "/missing.qcow2":
                self.send_error(404)
                return
            if self.path == "/text.qcow2":
                kind = "text/html"
            if self.path == "/zip.qcow2":
                body = b"PK\x03\x04" + QCOW2
            if self.path == "/private.qcow2":
                expected = "Basic " + base64.b64encode(state.credentials.encode()).decode()
                if self.headers.get("Authorization") != expected:
                    self.send_error(401)
                    return
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


async def download_from(env: Env, account: Account, url: str, **body: Any) -> dict[str, Any]:
    response = await env.client.post(
        "/djinn/images",
        json={"name": image_name(), "download_url": url, **body},
        headers=account.auth,
    )
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


async def test_download_runs_in_the_background_and_is_served(
    private_env: Env, image_server: ImageServer
) -> None:
    env = private_env
    alice = await env.account()
    image = await download_from(env, alice, f"{image_server.url}/disk.qcow2")
    download = image["download"]
    assert download["source"] == f"{image_server.url}/disk.qcow2"
    assert download["error"] is None
    assert download["created_at"]
    assert download["started_at"] is None and download["finished_at"] is None
    # Nothing fetched yet, and nothing to serve.
    assert image_server.requests == []
    pending = await env.client.get(
        path_of(image), headers={**alice.auth, "Accept": "application/x-qemu-disk"}
    )
    assert pending.status_code == 404

    await jobs.run_due(env.runtime)
    assert [path for path, _ in image_server.requests] == ["/disk.qcow2"]
    done = (await env.client.get(path_of(image), headers=alice.auth)).json()
    assert done["download"]["error"] is None
    assert done["download"]["started_at"] is not None
    assert done["download"]["finished_at"] >= done["download"]["started_at"]
    raw = await env.client.get(
        path_of(image), headers={**alice.auth, "Accept": "application/x-qemu-disk"}
    )
    assert raw.status_code == 200
    assert raw.content == QCOW2

    # A finished download is never run again.
    await jobs.run_due(env.runtime)
    assert len(image_server.requests) == 1


@pytest.mark.parametrize(
    ("path", "error"),
    [
        ("/missing.qcow2", "Download failed: the server answered 404 Not Found"),
        (
            "/text.qcow2",
            "Download has Content-Type 'text/html', expected application/x-qemu-disk",
        ),
        ("/zip.qcow2", "Download is not a QCOW2 image: it does not start with QFI\\xfb"),
    ],
)
async def test_a_failing_download_records_its_error(
    private_env: Env, image_server: ImageServer, path: str, error: str
) -> None:
    env = private_env
    alice = await env.account()
    before = env.stored_files()
    image = await download_from(env, alice, f"{image_server.url}{path}")
    await jobs.run_due(env.runtime)
    done = (await env.client.get(path_of(image), headers=alice.auth)).json()
    assert done["download"]["error"] == error
    assert done["download"]["finished_at"] is not None
    raw = await env.client.get(
        path_of(image), headers={**alice.auth, "Accept": "application/x-qemu-disk"}
    )
    assert raw.status_code == 404
    assert env.stored_files() == before


async def test_a_host_that_does_not_answer_is_an_error(private_env: Env) -> None:
    env = private_env
    alice = await env.account()
    image = await download_from(env, alice, "http://127.0.0.1:9/gone.qcow2")
    await jobs.run_due(env.runtime)
    done = (await env.client.get(path_of(image), headers=alice.auth)).json()
    assert done["download"]["error"] == "Download could not connect to the server"


async def test_credentials_are_sent_never_shown_and_forgotten(
    private_env: Env, image_server: ImageServer
) -> None:
    env = private_env
    alice = await env.account()
    user, password = image_server.credentials.split(":")
    host = image_server.url.removeprefix("http://")
    image = await download_from(env, alice, f"http://{user}:{password}@{host}/private.qcow2")
    assert image["download"]["source"] == f"http://{user}:xxxxx@{host}/private.qcow2"
    async with env.runtime.sessions() as session:
        stored = (
            await session.scalars(select(ImageDownload).filter_by(image_id=image["id"]))
        ).one()
        assert stored.url is not None and password.encode() not in stored.url
        assert password not in stored.source
        payloads = (
            await session.scalars(select(Job.payload).filter_by(kind="image.download"))
        ).all()
        assert {"image_id": image["id"], "api_root": "http://testserver/djinn"} in payloads
        assert all(password not in str(p) for p in payloads)
    await jobs.run_due(env.runtime)
    assert image_server.requests[-1][1] is not None
    shown = await env.client.get(path_of(image), headers=alice.auth)
    assert password not in shown.text
    assert shown.json()["download"]["error"] is None
    async with env.runtime.sessions() as session:
        stored = (
            await session.scalars(select(ImageDownload).filter_by(image_id=image["id"]))
        ).one()
        assert stored.url is None  # the URL and its password are gone once done


async def test_download_url_checks(env: Env) -> None:
    """``env`` does not allow private URLs: 127.0.0.1 is refused at once."""
    alice = await env.account()
    cases = {
        "ftp://example.com/disk.qcow2": "Download_url invalid url scheme",
        "not a url": "Download_url invalid url scheme",
        "http:///disk.qcow2": "Download_url is invalid: URL must have a host",
        "http://127.0.0.1/disk.qcow2": (
            "Download_url is refused: URL resolves to a private or reserved address"
        ),
    }
    for url, message in cases.items():
        response = await env.client.post(
            "/djinn/images", json={"name": "x", "download_url": url}, headers=alice.auth
        )
        assert response.status_code == 400, url
        assert response.json() == {"download_url": [message]}, url
    response = await env.client.post("/djinn/images", json={"name": "bad name"}, headers=alice.auth)
    assert response.status_code == 400
    assert response.json() == {
        "name": ["Name does not match ^[a-zA-Z0-9_\\-]+$"],
        "file": ["File field required"],
    }
    assert await count_images(env, alice.user.id) == 0


@pytest.mark.parametrize(
    ("params", "fields"),
    [
        ({}, ["file", "name"]),
        ({"name": "!!!!!"}, ["file", "name"]),
        (
            {"name": "Test_ImageValidation", "download_url": "ssh://root:secret@example.com"},
            ["download_url"],
        ),
    ],
)
async def test_the_go_clients_image_validation(
    env: Env, params: dict[str, str], fields: list[str]
) -> None:
    """Test_ImageValidation of the original's integration suite, through its client's
    JSON: every field of ``ImageParams`` is sent, the unset ones empty. Neither a
    file nor a URL is a ``file`` error, as in the original."""
    alice = await env.account()
    body = {"namespace": "", "name": "", "download_url": "", **params}
    response = await env.client.post("/djinn/images", json=body, headers=alice.auth)
    assert response.status_code == 400
    assert sorted(response.json()) == fields
    if "file" in fields:
        assert response.json()["file"] == ["File field required"]
    assert await count_images(env, alice.user.id) == 0


async def test_deleting_an_image_while_it_downloads(
    private_env: Env, image_server: ImageServer
) -> None:
    env = private_env
    alice = await env.account()
    before = env.stored_files()
    image = await download_from(env, alice, f"{image_server.url}/disk.qcow2")
    assert (await env.client.delete(path_of(image), headers=alice.auth)).status_code == 204
    await jobs.run_due(env.runtime)
    assert image_server.requests == []
    assert env.stored_files() == before


async def test_download_into_a_namespace_fires_created_and_downloaded(
    private_env: Env, image_server: ImageServer, receiver: Receiver
) -> None:
    env = private_env
    alice = await env.account()
    await create_namespace(env, alice, "vms")
    hook = await env.client.post(
        ns_url(alice, "vms", "webhooks"),
        json={"payload_url": f"{receiver.url}/hook", "events": ["images"]},
        headers=alice.auth,
    )
    hook_id = hook.json()["id"]
    image = await download_from(env, alice, f"{image_server.url}/disk.qcow2", namespace="vms")
    await jobs.run_due(env.runtime)  # the download, then the deliveries it fired
    await jobs.run_due(env.runtime)
    assert (await env.client.delete(path_of(image), headers=alice.auth)).status_code == 204
    await jobs.run_due(env.runtime)
    deliveries = receiver.for_hook(hook_id)
    assert [d.json()["action"] for d in deliveries] == ["created", "downloaded", "deleted"]
    assert {d.headers["x-djinn-ci-event"] for d in deliveries} == {"images"}
    assert deliveries[1].json()["image"]["download"]["finished_at"] is not None
    assert deliveries[0].json()["image"]["id"] == image["id"]


# Lists


async def test_list_search_and_namespace_sub_list(env: Env) -> None:
    alice, bob = await env.account(), await env.account()
    for name in ("zeta", "alpha", "mid"):
        await uploaded(env, alice, name=name)
    await uploaded(env, alice, name="inside", namespace="shared")
    await uploaded(env, bob, name="bobs")
    listed = await env.client.get("/djinn/images", headers=alice.auth)
    assert listed.status_code == 200
    assert [i["name"] for i in listed.json()] == ["alpha", "inside", "mid", "zeta"]
    assert 'rel="prev"' in listed.headers["link"]
    found = await env.client.get("/djinn/images", params={"search": "ALP"}, headers=alice.auth)
    assert [i["name"] for i in found.json()] == ["alpha"]
    sub = await env.client.get(ns_url(alice, "shared", "images"), headers=alice.auth)
    assert [i["name"] for i in sub.json()] == ["inside"]
    hidden = await env.client.get(ns_url(alice, "shared", "images"), headers=bob.auth)
    assert hidden.status_code == 404


async def test_collaborators_share_images_of_the_tree(env: Env) -> None:
    alice, bob, carol = await env.account(), await env.account(), await env.account()
    await create_namespace(env, alice, "team")
    await add_collaborator(env, alice, "team", bob)
    image = await uploaded(env, bob, name="shared", namespace=f"team@{alice.user.username}")
    assert image["user_id"] == alice.user.id
    assert image["author_id"] == bob.user.id
    assert [
        i["id"] for i in (await env.client.get("/djinn/images", headers=alice.auth)).json()
    ] == [image["id"]]
    assert (await env.client.get(path_of(image), headers=carol.auth)).status_code == 404
    assert (await env.client.delete(path_of(image), headers=carol.auth)).status_code == 404
    assert (await env.client.delete(path_of(image), headers=bob.auth)).status_code == 204


async def test_private_images_are_not_readable_by_outsiders(env: Env) -> None:
    """The original serves any image by ID; here an outsider learns nothing."""
    alice, mallory = await env.account(), await env.account()
    personal = await uploaded(env, alice)
    await create_namespace(env, alice, "secret")
    private = await uploaded(env, alice, namespace="secret")
    for image in (personal, private):
        for accept in ("application/json", "application/x-qemu-disk"):
            shown = await env.client.get(path_of(image), headers={**mallory.auth, "Accept": accept})
            assert shown.status_code == 404
            assert shown.json() == {"message": "Not Found"}
            anonymous = await env.client.get(path_of(image), headers={"Accept": accept})
            assert anonymous.status_code == 404
        assert (await env.client.delete(path_of(image), headers=mallory.auth)).status_code == 404
    assert (await env.client.get("/djinn/images", headers=mallory.auth)).json() == []


async def test_public_images_are_readable_by_anyone(env: Env) -> None:
    alice = await env.account()
    await create_namespace(env, alice, "open", visibility="public")
    image = await uploaded(env, alice, namespace="open")
    shown = await env.client.get(path_of(image))
    assert shown.status_code == 200
    assert shown.json()["user"]["email"] is None  # anonymous callers see no emails
    raw = await env.client.get(path_of(image), headers={"Accept": "application/x-qemu-disk"})
    assert raw.content == QCOW2
    assert (await env.client.delete(path_of(image))).status_code == 401


async def test_scopes(env: Env) -> None:
    alice = await env.account()
    image = await uploaded(env, alice)
    reader = {"Authorization": f"Bearer {await env.token_for(alice, 'image:read,write')}"}
    nothing = {"Authorization": f"Bearer {await env.token_for(alice, 'object:read')}"}
    refused = await env.client.delete(path_of(image), headers=reader)
    assert refused.status_code == 403
    assert "image:delete" in refused.json()["message"]
    assert (await env.client.get(path_of(image), headers=nothing)).status_code == 403
    assert (await env.client.get("/djinn/images", headers=nothing)).status_code == 403
    assert (await upload(env, None)).status_code == 401
    assert (await env.client.get(path_of(image), headers=reader)).status_code == 200
    assert (await env.client.delete(path_of(image), headers=alice.auth)).status_code == 204
    assert (await env.client.get(path_of(image), headers=alice.auth)).status_code == 404
    assert (await env.client.delete(path_of(image), headers=alice.auth)).status_code == 404


async def test_deleting_the_namespace_keeps_images_unless_names_clash(env: Env) -> None:
    alice = await env.account()
    kept = await uploaded(env, alice, name="kept", namespace="going")
    await uploaded(env, alice, name="twice")
    await uploaded(env, alice, name="twice", namespace="clashing")
    refused = await env.client.delete(ns_url(alice, "clashing"), headers=alice.auth)
    assert refused.status_code == 400
    assert refused.json()["message"].endswith("images twice")
    assert (await env.client.delete(ns_url(alice, "going"), headers=alice.auth)).status_code == 204
    shown = (await env.client.get(path_of(kept), headers=alice.auth)).json()
    assert shown["namespace"] is None and shown["user_id"] == alice.user.id


async def test_a_fault_of_the_server_still_ends_the_download(
    private_env: Env, image_server: ImageServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = private_env
    alice = await env.account()
    image = await download_from(env, alice, f"{image_server.url}/disk.qcow2")

    async def broken_storage(*args: Any, **kwargs: Any) -> Any:
        raise OSError("disk full")

    monkeypatch.setattr(image_jobs, "fetch_to", broken_storage)
    await jobs.run_due(env.runtime)
    done = (await env.client.get(path_of(image), headers=alice.auth)).json()
    assert done["download"]["error"] == image_jobs.UNEXPECTED
    assert done["download"]["finished_at"] is not None


async def test_a_presigned_image_download(pg_s3_env: Env) -> None:
    """``GENIE_S3_PRESIGN=1``: a public image's file comes from S3 itself, named
    and typed as genie serves it."""
    settings = dataclasses.replace(pg_s3_env.runtime.settings, s3_presign=True)
    async for env in _make_env("postgres-s3-presign-images", settings, pg_s3_env.files):
        alice = await env.account()
        await create_namespace(env, alice, "pub", visibility="public")
        image = await uploaded(env, alice, name="base", namespace="pub")
        redirect = await env.client.get(
            path_of(image), headers={"Accept": "application/x-qemu-disk"}
        )
        assert redirect.status_code == 302
        async with httpx.AsyncClient() as direct:
            fetched = await direct.get(redirect.headers["location"])
        assert fetched.content == QCOW2
        assert fetched.headers["content-type"] == "application/x-qemu-disk"
        assert fetched.headers["content-disposition"] == 'attachment; filename="base.qcow2"'
