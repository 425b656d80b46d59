"""The SSRF guard for outbound requests (webhook deliveries, image downloads).

A URL must be http(s) with a host, and every address its host resolves to must
be public: loopback, link-local, private, reserved, multicast, unspecified and
shared (CGNAT) addresses are refused, and so are IPv4-mapped IPv6 forms of them.
``GENIE_ALLOW_PRIVATE_URLS=1`` lifts the address check (tests, private
deployments); the syntax check always applies.

Callers check twice: when the URL is stored (a clear 400) and again right before
each request, since DNS answers change.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from urllib.parse import urlsplit

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
