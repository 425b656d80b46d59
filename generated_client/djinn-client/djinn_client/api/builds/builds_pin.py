from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.build import Build
from ...models.error import Error
from ...models.validation_errors import ValidationErrors
from ...types import Response


def _get_kwargs(
    username: str,
    number: int,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "patch",
        "url": "/b/{username}/{number}/pin".format(
            username=quote(str(username), safe=""),
            number=quote(str(number), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Build | Error | ValidationErrors | None:
    if response.status_code == 200:
        response_200 = Build.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = ValidationErrors.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Error.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Error.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = Error.from_dict(response.json())

        return response_404

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
    username: str,
    number: int,
    *,
    client: AuthenticatedClient,
) -> Response[Build | Error | ValidationErrors]:
    """Pin a build

     A pinned build keeps its artifacts when the owner's artifact quota is
    curated. Idempotent. Fires `build.pinned`. Needs the build's owner or a
    collaborator, and `build:write`.

    Args:
        username (str):
        number (int):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Build | Error | ValidationErrors]
    """

    kwargs = _get_kwargs(
        username=username,
        number=number,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    username: str,
    number: int,
    *,
    client: AuthenticatedClient,
) -> Build | Error | ValidationErrors | None:
    """Pin a build

     A pinned build keeps its artifacts when the owner's artifact quota is
    curated. Idempotent. Fires `build.pinned`. Needs the build's owner or a
    collaborator, and `build:write`.

    Args:
        username (str):
        number (int):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Build | Error | ValidationErrors
    """

    return sync_detailed(
        username=username,
        number=number,
        client=client,
    ).parsed


async def asyncio_detailed(
    username: str,
    number: int,
    *,
    client: AuthenticatedClient,
) -> Response[Build | Error | ValidationErrors]:
    """Pin a build

     A pinned build keeps its artifacts when the owner's artifact quota is
    curated. Idempotent. Fires `build.pinned`. Needs the build's owner or a
    collaborator, and `build:write`.

    Args:
        username (str):
        number (int):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Build | Error | ValidationErrors]
    """

    kwargs = _get_kwargs(
        username=username,
        number=number,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    username: str,
    number: int,
    *,
    client: AuthenticatedClient,
) -> Build | Error | ValidationErrors | None:
    """Pin a build

     A pinned build keeps its artifacts when the owner's artifact quota is
    curated. Idempotent. Fires `build.pinned`. Needs the build's owner or a
    collaborator, and `build:write`.

    Args:
        username (str):
        number (int):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Build | Error | ValidationErrors
    """

    return (
        await asyncio_detailed(
            username=username,
            number=number,
            client=client,
        )
    ).parsed
