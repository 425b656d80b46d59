"""Sending one e-mail through a given SMTP server (a domain's own, or the platform's).

Port 465 (or an ``smtps://`` platform URL) speaks TLS from the first byte. On any
other port the client upgrades with STARTTLS whenever the server offers it, and
**requires** it whenever there is a password, so that a password never crosses the
network in clear. Certificates are verified. Connecting and sending time out after
:data:`TIMEOUT` seconds. ``smtplib`` is blocking, so it runs in a worker thread.

Every failure is a :class:`MailError` whose message is the reason, for the user; it
never contains the password.
"""

from __future__ import annotations

import asyncio
import smtplib
import ssl
from dataclasses import dataclass, field
from email.message import EmailMessage
from urllib.parse import unquote, urlsplit

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


def _send(server: SmtpServer, msg: EmailMessage) -> None:
    context = ssl.create_default_context()
    implicit = server.implicit_tls or server.port == IMPLICIT_TLS_PORT
    smtp: smtplib.SMTP
    if implicit:
        smtp = smtplib.SMTP_SSL(server.host, server.port, timeout=TIMEOUT, context=context)
    else:
        smtp = smtplib.SMTP(server.host, server.port, timeout=TIMEOUT)
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


async def send(server: SmtpServer, msg: EmailMessage) -> None:
    try:
        await asyncio.to_thread(_send, server, msg)
    except MailError:
        raise
    except smtplib.SMTPResponseException as exc:
        text = (
            exc.smtp_error.decode("utf-8", "replace")
            if isinstance(exc.smtp_error, bytes)
            else exc.smtp_error
        )
        raise MailError(f"the server answered {exc.smtp_code} {text}".strip()) from None
    except (smtplib.SMTPException, OSError) as exc:  # ssl.SSLError and timeouts are OSErrors
        raise MailError(str(exc) or type(exc).__name__) from None
