"""Sending one e-mail through a given SMTP server (a domain's own, or the platform's).

Port 465 (or an ``smtps://`` platform URL) speaks TLS from the first byte. On any
other port the client upgrades with STARTTLS whenever the server offers it, and
**requires** it whenever there is a password, so that a password never crosses the
network in clear. Certificates are verified. Connecting and sending time out after
:data:`TIMEOUT` seconds. ``smtplib`` is blocking, so it runs in a worker thread.

The host is resolved once, every address it has must be public (the SSRF guard of
:mod:`genie.netguard`, lifted by ``GENIE_ALLOW_PRIVATE_URLS``), and the connection
goes to the address that was checked, while TLS still verifies the host name: a
host that resolves elsewhere a moment later (DNS rebinding) changes nothing.

Every failure is a :class:`MailError` whose message is the reason, for the user; it
never contains the password.
"""

from __future__ import annotations

import asyncio
import smtplib
import socket
import ssl
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any
from urllib.parse import unquote, urlsplit

from genie import netguard

TIMEOUT = 10.0
IMPLICIT_TLS_PORT = 465


class MailError(Exception):
    """The e-mail could not be sent; the message says why."""


@dataclass(frozen=True)
class SmtpServer:
    host: str
    port: int
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    implicit_tls: bool = False

    @classmethod
    def from_url(cls, url: str) -> SmtpServer:
        """``smtp://[user[:password]@]host[:port]`` or ``smtps://...`` (implicit TLS)."""
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise ValueError("the SMTP URL must look like smtp://user:password@host:587")
        implicit = parts.scheme == "smtps"
        return cls(
            host=parts.hostname,
            port=parts.port or (IMPLICIT_TLS_PORT if implicit else 587),
            user=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
            implicit_tls=implicit,
        )


def message(sender: str, recipient: str, subject: str, body: str) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = recipient
    msg["Subject"] = subject
    msg.set_content(body)
    return msg


def _connect(addresses: list[str], port: int, timeout: float, source: Any) -> socket.socket:
    """A connection to the first of ``addresses`` that answers."""
    error: OSError = OSError("no address to connect to")
    for address in addresses:
        try:
            return socket.create_connection((address, port), timeout, source)
        except OSError as exc:
            error = exc
    raise error


class _PinnedSMTP(smtplib.SMTP):
    """SMTP to checked addresses; the host name stays for STARTTLS verification."""

    def __init__(self, addresses: list[str], **kwargs: Any) -> None:
        self._addresses = addresses
        super().__init__(**kwargs)

    def _get_socket(self, host: str, port: int, timeout: float) -> socket.socket:
        return _connect(self._addresses, port, timeout, self.source_address)


class _PinnedSMTPSSL(smtplib.SMTP_SSL):
    """SMTP over TLS to checked addresses, verifying the host name."""

    def __init__(self, addresses: list[str], **kwargs: Any) -> None:
        self._addresses = addresses
        super().__init__(**kwargs)

    def _get_socket(self, host: str, port: int, timeout: float) -> socket.socket:
        raw = _connect(self._addresses, port, timeout, self.source_address)
        return self.context.wrap_socket(raw, server_hostname=host)


def _addresses(server: SmtpServer, allow_private: bool) -> list[str]:
    """The addresses to connect to, once every one the host has is allowed."""
    try:
        infos = socket.getaddrinfo(server.host, server.port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise MailError(f"{server.host} does not resolve") from None
    addresses = [str(info[4][0]) for info in infos]
    if not allow_private and any(netguard.address_problem(a) for a in addresses):
        raise MailError(f"{server.host} resolves to a private or reserved address")
    return addresses


def _send(server: SmtpServer, msg: EmailMessage, allow_private: bool) -> None:
    addresses = _addresses(server, allow_private)
    context = ssl.create_default_context()
    implicit = server.implicit_tls or server.port == IMPLICIT_TLS_PORT
    smtp: smtplib.SMTP
    if implicit:
        smtp = _PinnedSMTPSSL(
            addresses, host=server.host, port=server.port, timeout=TIMEOUT, context=context
        )
    else:
        smtp = _PinnedSMTP(addresses, host=server.host, port=server.port, timeout=TIMEOUT)
    with smtp:
        smtp.ehlo()
        if not implicit:
            if smtp.has_extn("starttls"):
                smtp.starttls(context=context)
                smtp.ehlo()
            elif server.password:
                raise MailError(
                    "the server does not offer STARTTLS, and the password is never sent "
                    "unencrypted (use port 465 for TLS from the start)"
                )
        if server.user and server.password:
            smtp.login(server.user, server.password)
        smtp.send_message(msg)


async def send(server: SmtpServer, msg: EmailMessage, *, allow_private: bool = False) -> None:
    try:
        await asyncio.to_thread(_send, server, msg, allow_private)
    except MailError:
        raise
    except smtplib.SMTPResponseException as exc:
        error = exc.smtp_error
        text = error.decode("utf-8", "replace") if isinstance(error, bytes) else str(error)
        raise MailError(f"the server answered {exc.smtp_code} {text}".strip()) from None
    except (smtplib.SMTPException, OSError) as exc:  # ssl.SSLError and timeouts are OSErrors
        raise MailError(str(exc) or type(exc).__name__) from None
