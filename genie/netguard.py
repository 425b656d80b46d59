"""The SSRF guard for outbound requests (webhook deliveries, image downloads).

A URL must be http(s) with a host, and every address its host resolves to must
be public: loopback, link-local, private, reserved, multicast, unspecified and
shared (CGNAT) addresses are refused, and so are IPv4-mapped IPv6 forms of them.
``GENIE_ALLOW_PRIVATE_URLS=1`` lifts the address check (tests, private
deployments); the syntax check always applies.

Callers check when the URL is stored (a clear 400), and send requests with
:func:`client`, whose connections check the address they actually connect to:
a host that resolved to a public address at the first check and to a private
one a moment later (DNS rebinding) is refused at connect time.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import ssl
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

import httpcore
import httpx

DEFAULT_SCHEMES = ("http", "https")


class UnsafeURL(ValueError):
    """The URL may not be fetched; the message says why, for the API user."""


def url_problem(url: str, schemes: tuple[str, ...] = DEFAULT_SCHEMES) -> str | None:
    """Why ``url`` is not an acceptable URL, or None."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return "Invalid URL"
    if parts.scheme.lower() not in schemes:
        return f"URL scheme must be {' or '.join(schemes)}"
    if not parts.hostname:
        return "URL must have a host"
    if port == 0:
        return "Invalid URL port"
    if any(ch.isspace() for ch in url):
        return "Invalid URL"
    return None


def address_problem(address: str) -> str | None:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if (
        ip.is_loopback
        or ip.is_link_local
        or ip.is_private
        or ip.is_reserved
        or ip.is_multicast
        or ip.is_unspecified
        or not ip.is_global
    ):
        return "URL resolves to a private or reserved address"
    return None


async def check_public(
    url: str, *, allow_private: bool, schemes: tuple[str, ...] = DEFAULT_SCHEMES
) -> None:
    """Raise :class:`UnsafeURL` unless ``url`` is acceptable and (unless allowed)
    every address of its host is public."""
    problem = url_problem(url, schemes)
    if problem:
        raise UnsafeURL(problem)
    if allow_private:
        return
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise UnsafeURL("URL host does not resolve") from None
    for info in infos:
        problem = address_problem(str(info[4][0]))
        if problem:
            raise UnsafeURL(problem)


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """httpcore's network backend, resolving hosts itself and connecting only to
    public addresses (unless ``allow_private``)."""

    def __init__(self, *, allow_private: bool) -> None:
        self._inner = httpcore.AnyIOBackend()
        self._allow_private = allow_private

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,  # noqa: ASYNC109 - httpcore's interface
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        if not self._allow_private:
            try:
                infos = await asyncio.get_running_loop().getaddrinfo(
                    host, port, type=socket.SOCK_STREAM
                )
            except (OSError, UnicodeError) as exc:
                raise httpcore.ConnectError(f"{host} does not resolve") from exc
            addresses = [str(info[4][0]) for info in infos]
            for address in addresses:
                if address_problem(address):
                    raise httpcore.ConnectError(f"{host} resolves to a private or reserved address")
            host = addresses[0]  # connect to the address just checked, not a new lookup
        return await self._inner.connect_tcp(
            host, port, timeout=timeout, local_address=local_address, socket_options=socket_options
        )

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,  # noqa: ASYNC109 - httpcore's interface
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise httpcore.ConnectError("unix sockets are not reachable from here")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


class GuardedTransport(httpx.AsyncHTTPTransport):
    """httpx's transport on a :class:`GuardedBackend`. Proxies and ``.netrc`` are
    never used, so the address checked is the address connected to."""

    def __init__(self, *, allow_private: bool, verify: ssl.SSLContext | bool = True) -> None:
        super().__init__(verify=verify, trust_env=False)
        limits = httpx.Limits(max_connections=20, max_keepalive_connections=5)
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=httpx.create_ssl_context(verify=verify, trust_env=False),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=GuardedBackend(allow_private=allow_private),
        )


def client(
    *, allow_private: bool, verify: ssl.SSLContext | bool = True, **kwargs: Any
) -> httpx.AsyncClient:
    """An httpx client for user-given URLs: guarded at connect time, no env proxies."""
    return httpx.AsyncClient(
        transport=GuardedTransport(allow_private=allow_private, verify=verify),
        trust_env=False,
        **kwargs,
    )
