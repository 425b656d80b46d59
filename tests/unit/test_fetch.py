"""fetch_to against a real HTTP server on 127.0.0.1 (asyncio.start_server)."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import socket
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

from genie import fetch, netguard
from genie.fetch import FetchError, fetch_to, redact
from genie.storage import Storage
from tests.storage_fixtures import Backend

QCOW2 = fetch.QCOW2_MAGIC + bytes(range(256)) * 4096  # about 1 MiB
QEMU = "application/x-qemu-disk"


@dataclass
class Reply:
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    #: Send the body in chunks of this size without a Content-Length.
    chunked: int = 0
    #: Claim this Content-Length, whatever the body is.
    length: int | None = None
    #: Wait this long after the headers before the body.
    stall: float = 0.0
    #: Keep the connection open this long after the body.
    hold: float = 0.0


@dataclass
class Seen:
    path: str
    headers: dict[str, str]


class Server:
    """One tiny HTTP/1.1 server: a route table of canned replies, and a log."""

    def __init__(self) -> None:
        self.routes: dict[str, Callable[[Seen], Reply]] = {}
        self.seen: list[Seen] = []
        self.port = 0
        self._server: asyncio.Server | None = None

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def route(self, path: str, reply: Reply | Callable[[Seen], Reply]) -> str:
        self.routes[path] = reply if callable(reply) else (lambda _seen: reply)
        return self.url(path)

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        assert self._server is not None
        self._server.close()
        await self._server.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            path = lines[0].split()[1]
            headers = {}
            for line in lines[1:]:
                if ":" in line:
                    name, value = line.split(":", 1)
                    headers[name.strip().lower()] = value.strip()
            seen = Seen(path, headers)
            self.seen.append(seen)
            route = self.routes.get(path)
            reply = route(seen) if route else Reply(404, {"Content-Type": "text/plain"}, b"nope")
            await self._reply(writer, reply)
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.close()

    async def _reply(self, writer: asyncio.StreamWriter, reply: Reply) -> None:
        headers = dict(reply.headers)
        if reply.chunked:
            headers["Transfer-Encoding"] = "chunked"
        else:
            headers["Content-Length"] = str(
                len(reply.body) if reply.length is None else reply.length
            )
        headers["Connection"] = "close"
        head = f"HTTP/1.1 {reply.status} Whatever\r\n" + "".join(
            f"{k}: {v}\r\n" for k, v in headers.items()
        )
        writer.write(head.encode() + b"\r\n")
        await writer.drain()
        if reply.stall:
            await asyncio.sleep(reply.stall)
        if not reply.chunked:
            writer.write(reply.body)
        else:
            for start in range(0, len(reply.body), reply.chunked):
                chunk = reply.body[start : start + reply.chunked]
                writer.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
                await writer.drain()
            writer.write(b"0\r\n\r\n")
        await writer.drain()
        if reply.hold:
            await asyncio.sleep(reply.hold)


@pytest.fixture
async def server() -> AsyncIterator[Server]:
    srv = Server()
    await srv.start()
    yield srv
    await srv.stop()


@pytest.fixture
def storage(backend: Backend) -> Storage:
    """Each backend in turn: the fetch suite is part of the storage suite."""
    return backend.storage


Fetch = Callable[..., Awaitable[fetch.FetchResult]]
KEY = "images/1/qemu/abc"


@pytest.fixture
def get(storage: Storage) -> Fetch:
    async def run(url: str, **kwargs: object) -> fetch.FetchResult:
        options: dict[str, object] = {"allow_private": True, "max_size": 10 * 1024 * 1024}
        options.update(kwargs)
        return await fetch_to(url, storage, KEY, **options)  # type: ignore[arg-type]

    return run


async def failure(get: Fetch, url: str, **kwargs: object) -> FetchError:
    with pytest.raises(FetchError) as caught:
        await get(url, **kwargs)
    return caught.value


# --- success ---------------------------------------------------------------------------------


@pytest.mark.parametrize("chunked", [0, 65536, 3], ids=["length", "chunked", "tiny-chunks"])
async def test_an_image_is_streamed_hashed_and_left_for_the_caller_to_commit(
    server: Server, get: Fetch, backend: Backend, chunked: int
) -> None:
    body = QCOW2 if chunked != 3 else QCOW2[:5000]
    url = server.route(
        "/disk.qcow2", Reply(headers={"Content-Type": QEMU}, body=body, chunked=chunked)
    )
    result = await get(url)
    assert (result.size, result.content_type, result.url) == (len(body), QEMU, url)
    assert result.md5 == hashlib.md5(body).hexdigest()
    assert result.sha256 == hashlib.sha256(body).hexdigest()
    assert server.seen[0].headers["accept"] == QEMU
    await result.upload.commit()
    [stored] = backend.files.files()
    assert stored.name.endswith(KEY)
    assert stored.read_bytes() == body


async def test_content_type_parameters_and_case_are_ignored(server: Server, get: Fetch) -> None:
    url = server.route(
        "/d", Reply(headers={"Content-Type": "Application/X-QEMU-Disk; foo=bar"}, body=QCOW2)
    )
    result = await get(url)
    assert result.content_type == QEMU
    await result.upload.abort()


async def test_redirects_are_followed_and_the_final_url_reported(
    server: Server, get: Fetch
) -> None:
    server.route("/disk", Reply(headers={"Content-Type": QEMU}, body=QCOW2))
    server.route("/hop2", Reply(302, {"Location": "/disk"}))
    url = server.route("/hop1", Reply(301, {"Location": server.url("/hop2")}))
    result = await get(url)
    assert result.url == server.url("/disk")
    assert [s.path for s in server.seen] == ["/hop1", "/hop2", "/disk"]
    await result.upload.abort()


async def test_basic_auth_comes_from_the_url_and_stays_with_its_origin(
    server: Server, get: Fetch, backend: Backend
) -> None:
    def guarded(seen: Seen) -> Reply:
        expected = "Basic " + base64.b64encode(b"deploy:s3cr:t").decode()
        if seen.headers.get("authorization") != expected:
            return Reply(401, {"Content-Type": "text/plain"}, b"who?")
        return Reply(302, {"Location": server.url("/elsewhere", host="localhost")})

    server.route("/private", guarded)
    server.route("/elsewhere", Reply(headers={"Content-Type": QEMU}, body=QCOW2))
    url = server.url("/private").replace("://", "://deploy:s3cr%3At@")
    result = await get(url)
    assert result.size == len(QCOW2)
    # localhost is another origin than 127.0.0.1: the credentials stayed behind.
    assert "authorization" not in server.seen[1].headers
    await result.upload.abort()

    error = await failure(get, url.replace("s3cr%3At", "wrong"))
    assert error.message == "Download failed: the server answered 401 Whatever"
    assert backend.files.files() == []


# --- failures leave nothing behind -----------------------------------------------------------


async def test_a_wrong_content_type_is_refused_before_the_body(
    server: Server, get: Fetch, backend: Backend
) -> None:
    url = server.route("/page", Reply(headers={"Content-Type": "text/html"}, body=QCOW2))
    error = await failure(get, url)
    assert (
        error.message == "Download has Content-Type 'text/html', expected application/x-qemu-disk"
    )
    assert not error.transient
    url = server.route("/none", Reply(body=QCOW2))
    assert (await failure(get, url)).message == (
        "Download has Content-Type none, expected application/x-qemu-disk"
    )
    assert backend.files.files() == []


async def test_other_accepted_types_can_be_given(server: Server, get: Fetch) -> None:
    url = server.route(
        "/o", Reply(headers={"Content-Type": "application/octet-stream"}, body=QCOW2)
    )
    result = await get(url, accepted_types=(QEMU, "application/octet-stream"))
    await result.upload.abort()


async def test_a_declared_length_over_the_limit_is_refused_before_the_body(
    server: Server, get: Fetch, backend: Backend
) -> None:
    url = server.route("/big", Reply(headers={"Content-Type": QEMU}, body=QCOW2))
    error = await failure(get, url, max_size=1000)
    assert error.message == "Download is larger than the image size limit of 1000 bytes"
    assert backend.files.files() == []


async def test_a_body_over_the_limit_is_cut_off_and_removed(
    server: Server, get: Fetch, backend: Backend
) -> None:
    url = server.route("/big", Reply(headers={"Content-Type": QEMU}, body=QCOW2, chunked=65536))
    error = await failure(get, url, max_size=300_000)
    assert error.message == "Download is larger than the image size limit of 300000 bytes"
    assert backend.files.files() == []
    # 0 means no limit, as for uploads.
    result = await get(url, max_size=0)
    assert result.size == len(QCOW2)
    await result.upload.abort()


@pytest.mark.parametrize(
    ("body", "chunked", "message"),
    [
        (b"\x00" * 70000, 0, "Download is not a QCOW2 image: it does not start with QFI\\xfb"),
        (
            b"QFI\xfa" + QCOW2[4:100],
            1,
            "Download is not a QCOW2 image: it does not start with QFI\\xfb",
        ),
        (b"QF", 1, "Download is not a QCOW2 image: it does not start with QFI\\xfb"),
        (b"", 0, "Download is empty"),
    ],
    ids=["zeros", "near-miss", "short", "empty"],
)
async def test_the_qcow2_magic_is_required(
    server: Server,
    get: Fetch,
    backend: Backend,
    body: bytes,
    chunked: int,
    message: str,
) -> None:
    url = server.route("/x", Reply(headers={"Content-Type": QEMU}, body=body, chunked=chunked))
    assert (await failure(get, url)).message == message
    assert backend.files.files() == []


async def test_a_bad_magic_stops_reading_at_once(server: Server, get: Fetch) -> None:
    # The server sends 4 wrong bytes of a 1 MiB body, then hangs on to the rest.
    url = server.route(
        "/slow", Reply(headers={"Content-Type": QEMU}, body=b"NOPE", length=len(QCOW2), hold=30)
    )
    loop = asyncio.get_running_loop()
    started = loop.time()
    error = await failure(get, url, time_limit=10)
    assert error.message == "Download is not a QCOW2 image: it does not start with QFI\\xfb"
    assert loop.time() - started < 5


@pytest.mark.parametrize(
    ("status", "transient"), [(404, False), (403, False), (500, True), (503, True), (429, True)]
)
async def test_error_statuses(
    server: Server, get: Fetch, backend: Backend, status: int, transient: bool
) -> None:
    url = server.route("/s", Reply(status, {"Content-Type": QEMU}, QCOW2))
    error = await failure(get, url)
    assert error.message == f"Download failed: the server answered {status} Whatever"
    assert error.transient is transient
    assert backend.files.files() == []


async def test_connection_refused(get: Fetch) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    error = await failure(get, f"http://127.0.0.1:{port}/disk")
    assert error.message == "Download could not connect to the server"
    assert error.transient


async def test_a_body_cut_short_leaves_nothing(
    server: Server, get: Fetch, backend: Backend
) -> None:
    url = server.route(
        "/cut", Reply(headers={"Content-Type": QEMU}, body=QCOW2[:1000], length=len(QCOW2))
    )
    error = await failure(get, url)
    assert error.message == "Download was cut off by the server"
    assert error.transient
    assert backend.files.files() == []


async def test_the_time_limit_covers_the_whole_download(
    server: Server, get: Fetch, backend: Backend
) -> None:
    url = server.route("/stall", Reply(headers={"Content-Type": QEMU}, body=QCOW2, stall=30))
    error = await failure(get, url, time_limit=0.5)
    assert error.message == "Download took longer than 0.5 seconds"
    assert error.transient
    assert backend.files.files() == []


async def test_a_redirect_to_an_invalid_location(server: Server, get: Fetch) -> None:
    url = server.route("/r", Reply(302, {"Location": "http://[::1/broken"}))
    error = await failure(get, url)
    assert error.message == "Download redirect has an invalid Location"
    assert not error.transient


async def test_a_cancelled_download_leaves_nothing(
    server: Server, get: Fetch, backend: Backend
) -> None:
    """A worker shutting down mid-download cancels the job's task. The first part
    is more than an S3 part, so that the bucket has begun a multipart upload."""
    first = QCOW2 * 9  # 9 MiB
    url = server.route(
        "/half",
        Reply(headers={"Content-Type": QEMU}, body=first, length=2 * len(first), hold=30),
    )
    task = asyncio.create_task(get(url, max_size=0))
    for _ in range(250):
        await asyncio.sleep(0.02)
        if backend.files.staged():
            break
    assert backend.files.staged(), "the download had begun its upload"
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert backend.files.files() == []


async def test_redirect_loops_end(server: Server, get: Fetch) -> None:
    url = server.route("/loop", Reply(302, {"Location": "/loop"}))
    error = await failure(get, url)
    assert error.message == "Download redirected more than 5 times"
    assert len(server.seen) == fetch.MAX_REDIRECTS + 1


# --- the SSRF guard, on every hop -------------------------------------------------------------


async def test_a_private_address_is_refused_without_a_request(server: Server, get: Fetch) -> None:
    url = server.route("/disk", Reply(headers={"Content-Type": QEMU}, body=QCOW2))
    error = await failure(get, url, allow_private=False)
    assert error.message == "Download refused: URL resolves to a private or reserved address"
    assert not error.transient
    assert server.seen == []


async def test_a_redirect_to_a_private_address_is_refused(
    server: Server, get: Fetch, backend: Backend, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first hop stands in for a public host (the guard is told so); the real
    guard then refuses the redirect to 127.0.0.1, before any request is made."""
    server.route("/disk", Reply(headers={"Content-Type": QEMU}, body=QCOW2))
    start = server.route("/public", Reply(302, {"Location": server.url("/disk")}))
    checked: list[str] = []
    real = netguard.check_public

    async def guard(url: str, *, allow_private: bool) -> None:
        checked.append(url)
        if url != start:
            await real(url, allow_private=allow_private)

    monkeypatch.setattr(fetch.netguard, "check_public", guard)
    # The connect-time guard (tested in tests/test_netguard.py) would refuse even
    # the first hop here, since the stand-in public host is 127.0.0.1 too.
    real_client = netguard.client

    def lenient_client(*, allow_private: bool, **kwargs: Any) -> Any:
        return real_client(allow_private=True, **kwargs)

    monkeypatch.setattr(fetch.netguard, "client", lenient_client)
    error = await failure(get, start, allow_private=False)
    assert error.message == (
        f"Download redirect to {server.url('/disk')} refused: "
        "URL resolves to a private or reserved address"
    )
    assert checked == [start, server.url("/disk")]
    assert [s.path for s in server.seen] == ["/public"]
    assert backend.files.files() == []


@pytest.mark.parametrize(
    ("location", "message"),
    [
        ("file:///etc/passwd", "URL scheme must be http or https"),
        ("gopher://127.0.0.1:70/x", "URL scheme must be http or https"),
    ],
)
async def test_a_redirect_to_another_scheme_is_refused(
    server: Server, get: Fetch, location: str, message: str
) -> None:
    url = server.route("/r", Reply(302, {"Location": location}))
    error = await failure(get, url)
    # httpx fills an empty host in from the request.
    shown = location.replace(":///", "://127.0.0.1/")
    assert error.message == f"Download redirect to {shown} refused: {message}"


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://example.com/disk.qcow2", "Download refused: URL scheme must be http or https"),
        ("sftp://u:p@example.com/disk", "Download refused: URL scheme must be http or https"),
        ("http:///nohost", "Download refused: URL must have a host"),
        ("http://example.com:99999/x", "Download refused: Invalid URL"),
    ],
)
async def test_bad_urls_are_refused(get: Fetch, url: str, message: str) -> None:
    assert (await failure(get, url)).message == message


async def test_no_message_carries_the_password(server: Server, get: Fetch) -> None:
    server.route("/private", Reply(302, {"Location": "file:///x"}))
    url = server.url("/private").replace("://", "://me:hunter2@")
    messages = [(await failure(get, url)).message]
    server.route(
        "/private", Reply(302, {"Location": server.url("/x").replace("://", "://a:hunter2@")})
    )
    server.route("/x", Reply(404))
    messages.append((await failure(get, url)).message)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    messages.append((await failure(get, f"http://me:hunter2@127.0.0.1:{port}/")).message)
    assert messages[0] == (
        "Download redirect to file://127.0.0.1/x refused: URL scheme must be http or https"
    )
    assert all("hunter2" not in m for m in messages)


# --- redact ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://user:pass@host/path", "https://user:xxxxx@host/path"),
        ("https://user:p%40ss@host:8443/a?b=c#d", "https://user:xxxxx@host:8443/a?b=c#d"),
        ("https://user:pa:ss@host/", "https://user:xxxxx@host/"),
        ("https://a@b:c@host/", "https://a@b:xxxxx@host/"),
        ("https://user:pass@[::1]:8080/x", "https://user:xxxxx@[::1]:8080/x"),
        ("sftp://root:toor@10.0.0.1/images/disk", "sftp://root:xxxxx@10.0.0.1/images/disk"),
        ("https://user:pass@host", "https://user:xxxxx@host"),
        ("https://User:Pass@Host/Case", "https://User:xxxxx@Host/Case"),
        # Nothing to hide:
        ("https://user@host/path", "https://user@host/path"),
        ("https://user:@host/path", "https://user:@host/path"),
        ("https://host/npm/@scope:pkg/x", "https://host/npm/@scope:pkg/x"),
        ("https://host/path?u=a:b@c", "https://host/path?u=a:b@c"),
        ("not a url", "not a url"),
        ("", ""),
    ],
)
def test_redact(url: str, expected: str) -> None:
    assert redact(url) == expected
