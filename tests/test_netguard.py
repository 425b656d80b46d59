from __future__ import annotations

import pytest

from genie import netguard


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("https://example.com/hook", None),
        ("http://example.com:8080/x?y=1", None),
        ("ftp://example.com/", "URL scheme must be http or https"),
        ("example.com/hook", "URL scheme must be http or https"),
        ("https:///nohost", "URL must have a host"),
        ("http://example.com:99999/", "Invalid URL"),
        ("http://exa mple.com/", "Invalid URL"),
    ],
)
def test_url_problem(url: str, problem: str | None) -> None:
    assert netguard.url_problem(url) == problem


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://localhost:8000/",
        "http://10.1.2.3/",
        "http://192.168.0.1/",
        "http://172.16.0.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://0.0.0.0/",
        "http://100.64.0.1/",
        "http://[fe80::1]/",
        "http://224.0.0.1/",
    ],
)
async def test_private_addresses_are_refused(url: str) -> None:
    with pytest.raises(netguard.UnsafeURL, match="private or reserved"):
        await netguard.check_public(url, allow_private=False)


async def test_allow_private_lifts_only_the_address_check() -> None:
    await netguard.check_public("http://127.0.0.1:9/", allow_private=True)
    with pytest.raises(netguard.UnsafeURL, match="scheme"):
        await netguard.check_public("file:///etc/passwd", allow_private=True)


async def test_public_literal_passes_without_dns() -> None:
    await netguard.check_public("https://93.184.216.34/hook", allow_private=False)


async def test_unresolvable_host_is_refused() -> None:
    with pytest.raises(netguard.UnsafeURL, match="does not resolve"):
        await netguard.check_public("https://no-such-host.invalid/", allow_private=False)


async def test_client_refuses_private_addresses_at_connect_time(monkeypatch) -> None:
    """DNS rebinding: the name passed the first check, then resolves to loopback."""
    import asyncio
    import socket

    import httpx

    calls: list[str] = []

    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        calls.append("connected")
        await reader.readuntil(b"\r\n\r\n")
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(handler, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    loop = asyncio.get_running_loop()
    real = loop.getaddrinfo

    async def rebinding(host: str, *args, **kwargs):  # type: ignore[no-untyped-def]
        if host == "rebind.example":
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))]
        return await real(host, *args, **kwargs)

    monkeypatch.setattr(loop, "getaddrinfo", rebinding)
    async with server:
        async with netguard.client(allow_private=False) as client:
            with pytest.raises(httpx.ConnectError, match="private or reserved"):
                await client.get(f"http://rebind.example:{port}/")
        assert calls == []
        async with netguard.client(allow_private=True) as client:
            response = await client.get(f"http://127.0.0.1:{port}/")
        assert response.text == "ok" and calls == ["connected"]
