"""Webhook events: fired inside the change's transaction, delivered off the request
path by the job queue (:mod:`genie.jobs`).

A resource that changes calls, in the transaction that changes it::

    await webhooks.fire(session, namespace_id, "objects", "created", {"object": ...})

and, once it has committed, ``runtime.jobs.wake()``. :func:`fire` enqueues one
``webhook.deliver`` job per active webhook of the namespace (or of a namespace
above it) that takes the event, so a delivery exists exactly when the change
commits. The body is serialised once, at fire time: retries send the same bytes.

A delivery is a ``POST`` of the JSON body with ``User-Agent: genie-hook``,
``X-Djinn-CI-Event``, ``X-Djinn-CI-Hook-ID`` and, when the webhook has a secret,
``X-Djinn-CI-Signature: sha256=<hex HMAC-SHA256 of the body under the secret>``.
The payload URL passes the SSRF guard again right before each attempt (DNS
answers change); redirects are not followed; the response body is not read. The
outcome (status, error, duration) is recorded on the webhook as its
``last_response``. A non-2xx answer or a network error is retried with the
queue's exponential backoff; a refused URL is not retried.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from typing import TYPE_CHECKING, Any

import httpx
import orjson
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from genie import jobs, netguard
from models import webhooks

if TYPE_CHECKING:
    from sqlalchemy import Row

    from genie.runtime import Runtime

KIND = "webhook.deliver"
USER_AGENT = "genie-hook"
#: The purpose webhook secrets are encrypted under (``runtime.crypto``).
SECRET_PURPOSE = "webhook-secret"  # noqa: S105 - a key-derivation label
TIMEOUT = 60.0
MAX_ATTEMPTS = 8
ERROR_LIMIT = 1000


class DeliveryFailed(Exception):
    """The receiver did not take the delivery; the job is retried."""


async def fire(
    db: AsyncSession | AsyncConnection,
    namespace_id: int | None,
    event: str,
    action: str | None,
    payload: dict[str, Any],
) -> int:
    """Enqueue the event for every webhook that takes it; returns how many.

    ``payload`` is the resource part of the body (``{"object": {...}}``); the body
    is ``{"action": action, **payload}``. Resources outside any namespace fire
    nothing. Call it inside the transaction that makes the change.
    """
    if namespace_id is None:
        return 0
    hook_ids = await webhooks.subscribers(db, namespace_id, event)
    if not hook_ids:
        return 0
    body = {"action": action, **payload} if action else dict(payload)
    raw = orjson.dumps(body, option=orjson.OPT_UTC_Z).decode()
    for hook_id in hook_ids:
        await jobs.enqueue(
            db,
            KIND,
            {"webhook_id": hook_id, "event": event, "body": raw},
            max_attempts=MAX_ATTEMPTS,
        )
    return len(hook_ids)


def signature(secret: bytes, body: bytes) -> str:
    """The ``X-Djinn-CI-Signature`` value of ``body`` under ``secret``."""
    return "sha256=" + hmac.new(secret, body, hashlib.sha256).hexdigest()


def _describe(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    return text[:ERROR_LIMIT]


@jobs.job(KIND)
async def deliver(runtime: Runtime, payload: dict[str, Any]) -> None:
    async with runtime.reader.connect() as conn:
        hook = await webhooks.for_delivery(conn, int(payload["webhook_id"]))
    if hook is None or not hook.active:
        return  # deleted or switched off since the event
    body = str(payload["body"]).encode()
    headers = _headers(runtime, hook, str(payload["event"]), body)
    started = time.perf_counter_ns()
    code, error, refused = await _post(runtime, hook, body, headers)
    duration = time.perf_counter_ns() - started

    async with runtime.engine.begin() as conn:
        await webhooks.record_response(conn, hook.id, code=code, error=error, duration_ns=duration)
    if refused:
        raise jobs.Fail(error or "refused")
    if error is not None:
        raise DeliveryFailed(error)


def _headers(runtime: Runtime, hook: Row[Any], event: str, body: bytes) -> dict[str, str]:
    """The delivery's headers, signed with the hook's secret when it has one."""
    headers = {
        "User-Agent": USER_AGENT,
        "Content-Type": "application/json",
        "X-Djinn-CI-Event": event,
        "X-Djinn-CI-Hook-ID": str(hook.id),
    }
    if hook.secret is not None:
        secret = runtime.crypto.decrypt(hook.secret, purpose=SECRET_PURPOSE)
        headers["X-Djinn-CI-Signature"] = signature(secret, body)
    return headers


async def _post(
    runtime: Runtime, hook: Row[Any], body: bytes, headers: dict[str, str]
) -> tuple[int | None, str | None, bool]:
    """POST the event: the receiver's status code (None when none came back), the
    error to record (None on a 2xx), and whether the URL was refused outright."""
    code: int | None = None
    error: str | None = None
    refused = False
    try:
        await netguard.check_public(
            hook.payload_url, allow_private=runtime.settings.allow_private_urls
        )
        async with (
            # Checks the address it connects to as well (DNS rebinding).
            netguard.client(
                allow_private=runtime.settings.allow_private_urls,
                verify=hook.ssl,
                timeout=TIMEOUT,
                follow_redirects=False,
            ) as client,
            client.stream("POST", hook.payload_url, content=body, headers=headers) as response,
        ):
            code = response.status_code
        if not 200 <= code < 300:
            error = f"the receiver answered {code}"
    except netguard.UnsafeURL as exc:
        error, refused = f"refused: {exc}", True
    except httpx.HTTPError as exc:
        error = _describe(exc)
    return code, error, refused
