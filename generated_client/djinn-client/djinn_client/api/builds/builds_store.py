from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.build import Build
from ...models.build_create import BuildCreate
from ...models.error import Error
from ...models.validation_errors import ValidationErrors
from ...types import Response


def _get_kwargs(
    *,
    body: BuildCreate,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/builds",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Build | Error | ValidationErrors | None:
    if response.status_code == 201:
        response_201 = Build.from_dict(response.json())

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
) -> Response[Build | Error | ValidationErrors]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: BuildCreate,
) -> Response[Build | Error | ValidationErrors]:
    """Submit a build

     Validates the manifest as cron does (every problem at once under
    `manifest`), takes the owner's next build number, snapshots the
    variables (the submitter's personal ones, the namespace's, then the
    manifest's `env`), keys and manifest-named objects, prepends the setup
    stage (`create-driver`, then `clone.<i>` per source) and queues the build.
    Empty, duplicate and invalid tags are dropped. The build belongs to the
    namespace's owner; the trigger is `manual`. Fires `build.submitted` for a
    build in a namespace. Requires `build:write`.

    Args:
        body (BuildCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Build | Error | ValidationErrors]
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
    body: BuildCreate,
) -> Build | Error | ValidationErrors | None:
    """Submit a build

     Validates the manifest as cron does (every problem at once under
    `manifest`), takes the owner's next build number, snapshots the
    variables (the submitter's personal ones, the namespace's, then the
    manifest's `env`), keys and manifest-named objects, prepends the setup
    stage (`create-driver`, then `clone.<i>` per source) and queues the build.
    Empty, duplicate and invalid tags are dropped. The build belongs to the
    namespace's owner; the trigger is `manual`. Fires `build.submitted` for a
    build in a namespace. Requires `build:write`.

    Args:
        body (BuildCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Build | Error | ValidationErrors
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: BuildCreate,
) -> Response[Build | Error | ValidationErrors]:
    """Submit a build

     Validates the manifest as cron does (every problem at once under
    `manifest`), takes the owner's next build number, snapshots the
    variables (the submitter's personal ones, the namespace's, then the
    manifest's `env`), keys and manifest-named objects, prepends the setup
    stage (`create-driver`, then `clone.<i>` per source) and queues the build.
    Empty, duplicate and invalid tags are dropped. The build belongs to the
    namespace's owner; the trigger is `manual`. Fires `build.submitted` for a
    build in a namespace. Requires `build:write`.

    Args:
        body (BuildCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Build | Error | ValidationErrors]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: BuildCreate,
) -> Build | Error | ValidationErrors | None:
    """Submit a build

     Validates the manifest as cron does (every problem at once under
    `manifest`), takes the owner's next build number, snapshots the
    variables (the submitter's personal ones, the namespace's, then the
    manifest's `env`), keys and manifest-named objects, prepends the setup
    stage (`create-driver`, then `clone.<i>` per source) and queues the build.
    Empty, duplicate and invalid tags are dropped. The build belongs to the
    namespace's owner; the trigger is `manual`. Fires `build.submitted` for a
    build in a namespace. Requires `build:write`.

    Args:
        body (BuildCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Build | Error | ValidationErrors
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
