from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.cron import Cron
from ...models.cron_create import CronCreate
from ...models.error import Error
from ...models.validation_errors import ValidationErrors
from ...types import Response


def _get_kwargs(
    *,
    body: CronCreate,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/cron",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Cron | Error | ValidationErrors | None:
    if response.status_code == 201:
        response_201 = Cron.from_dict(response.json())

        return response_201

    if response.status_code == 400:
        response_400 = ValidationErrors.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Error.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Error.from_dict(response.json())

        return response_403

    if response.status_code == 408:
        response_408 = Error.from_dict(response.json())

        return response_408

    if response.status_code == 413:
        response_413 = Error.from_dict(response.json())

        return response_413

    if response.status_code == 415:
        response_415 = Error.from_dict(response.json())

        return response_415

    if response.status_code == 429:
        response_429 = Error.from_dict(response.json())

        return response_429

    if response.status_code == 431:
        response_431 = Error.from_dict(response.json())

        return response_431

    if response.status_code == 500:
        response_500 = Error.from_dict(response.json())

        return response_500

    if response.status_code == 503:
        response_503 = Error.from_dict(response.json())

        return response_503

    if response.status_code == 507:
        response_507 = Error.from_dict(response.json())

        return response_507

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Cron | Error | ValidationErrors]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: CronCreate,
) -> Response[Cron | Error | ValidationErrors]:
    """Create a cron job

     Submits the manifest as a build on a schedule: `daily` (the default) runs
    at every midnight UTC, `weekly` every Monday 00:00 UTC, `monthly` on the
    1st of every month 00:00 UTC; `next_run` is the first of these after now.

    The manifest is validated as a build's: every problem is reported at once
    under `manifest`, each starting with `Manifest `. **Decision:** as in the
    original, only the driver is required: a manifest without `stages` or `jobs`
    is valid, and its builds run only the setup stage. Its `namespace:`
    (`path[@owner]`) places the cron job; a namespace the caller may not use
    is `Manifest cannot submit to namespace` (and, for a path that cannot be
    read, the reason under `namespace`). The manifest is stored normalised.
    Names are unique per owner, or per namespace. Fires `cron` (`created`)
    for a cron job in a namespace. Requires `cron:write`.

    Args:
        body (CronCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Cron | Error | ValidationErrors]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: CronCreate,
) -> Cron | Error | ValidationErrors | None:
    """Create a cron job

     Submits the manifest as a build on a schedule: `daily` (the default) runs
    at every midnight UTC, `weekly` every Monday 00:00 UTC, `monthly` on the
    1st of every month 00:00 UTC; `next_run` is the first of these after now.

    The manifest is validated as a build's: every problem is reported at once
    under `manifest`, each starting with `Manifest `. **Decision:** as in the
    original, only the driver is required: a manifest without `stages` or `jobs`
    is valid, and its builds run only the setup stage. Its `namespace:`
    (`path[@owner]`) places the cron job; a namespace the caller may not use
    is `Manifest cannot submit to namespace` (and, for a path that cannot be
    read, the reason under `namespace`). The manifest is stored normalised.
    Names are unique per owner, or per namespace. Fires `cron` (`created`)
    for a cron job in a namespace. Requires `cron:write`.

    Args:
        body (CronCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Cron | Error | ValidationErrors
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: CronCreate,
) -> Response[Cron | Error | ValidationErrors]:
    """Create a cron job

     Submits the manifest as a build on a schedule: `daily` (the default) runs
    at every midnight UTC, `weekly` every Monday 00:00 UTC, `monthly` on the
    1st of every month 00:00 UTC; `next_run` is the first of these after now.

    The manifest is validated as a build's: every problem is reported at once
    under `manifest`, each starting with `Manifest `. **Decision:** as in the
    original, only the driver is required: a manifest without `stages` or `jobs`
    is valid, and its builds run only the setup stage. Its `namespace:`
    (`path[@owner]`) places the cron job; a namespace the caller may not use
    is `Manifest cannot submit to namespace` (and, for a path that cannot be
    read, the reason under `namespace`). The manifest is stored normalised.
    Names are unique per owner, or per namespace. Fires `cron` (`created`)
    for a cron job in a namespace. Requires `cron:write`.

    Args:
        body (CronCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Cron | Error | ValidationErrors]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: CronCreate,
) -> Cron | Error | ValidationErrors | None:
    """Create a cron job

     Submits the manifest as a build on a schedule: `daily` (the default) runs
    at every midnight UTC, `weekly` every Monday 00:00 UTC, `monthly` on the
    1st of every month 00:00 UTC; `next_run` is the first of these after now.

    The manifest is validated as a build's: every problem is reported at once
    under `manifest`, each starting with `Manifest `. **Decision:** as in the
    original, only the driver is required: a manifest without `stages` or `jobs`
    is valid, and its builds run only the setup stage. Its `namespace:`
    (`path[@owner]`) places the cron job; a namespace the caller may not use
    is `Manifest cannot submit to namespace` (and, for a path that cannot be
    read, the reason under `namespace`). The manifest is stored normalised.
    Names are unique per owner, or per namespace. Fires `cron` (`created`)
    for a cron job in a namespace. Requires `cron:write`.

    Args:
        body (CronCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Cron | Error | ValidationErrors
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
