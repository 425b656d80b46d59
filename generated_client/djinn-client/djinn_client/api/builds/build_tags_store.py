from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.build_tag import BuildTag
from ...models.error import Error
from ...models.validation_errors import ValidationErrors
from ...types import Response


def _get_kwargs(
    username: str,
    number: int,
    *,
    body: list[str],
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/b/{username}/{number}/tags".format(
            username=quote(str(username), safe=""),
            number=quote(str(number), safe=""),
        ),
    }

    _kwargs["json"] = body

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Error | ValidationErrors | list[BuildTag] | None:
    if response.status_code == 201:
        response_201 = []
        _response_201 = response.json()
        for response_201_item_data in _response_201:
            response_201_item = BuildTag.from_dict(response_201_item_data)

            response_201.append(response_201_item)

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

    if response.status_code == 404:
        response_404 = Error.from_dict(response.json())

        return response_404

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
) -> Response[Error | ValidationErrors | list[BuildTag]]:
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
    body: list[str],
) -> Response[Error | ValidationErrors | list[BuildTag]]:
    """Tag a build

     A JSON array of tag names: Unicode letters, digits and `-_./`. Invalid,
    duplicate and existing tags are dropped silently; the answer lists only
    the new ones. Fires `build.tagged` when there are any. Needs the build's
    owner or a collaborator, and `build:write`.

    Args:
        username (str):
        number (int):
        body (list[str]):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | ValidationErrors | list[BuildTag]]
    """

    kwargs = _get_kwargs(
        username=username,
        number=number,
        body=body,
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
    body: list[str],
) -> Error | ValidationErrors | list[BuildTag] | None:
    """Tag a build

     A JSON array of tag names: Unicode letters, digits and `-_./`. Invalid,
    duplicate and existing tags are dropped silently; the answer lists only
    the new ones. Fires `build.tagged` when there are any. Needs the build's
    owner or a collaborator, and `build:write`.

    Args:
        username (str):
        number (int):
        body (list[str]):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | ValidationErrors | list[BuildTag]
    """

    return sync_detailed(
        username=username,
        number=number,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    username: str,
    number: int,
    *,
    client: AuthenticatedClient,
    body: list[str],
) -> Response[Error | ValidationErrors | list[BuildTag]]:
    """Tag a build

     A JSON array of tag names: Unicode letters, digits and `-_./`. Invalid,
    duplicate and existing tags are dropped silently; the answer lists only
    the new ones. Fires `build.tagged` when there are any. Needs the build's
    owner or a collaborator, and `build:write`.

    Args:
        username (str):
        number (int):
        body (list[str]):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | ValidationErrors | list[BuildTag]]
    """

    kwargs = _get_kwargs(
        username=username,
        number=number,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    username: str,
    number: int,
    *,
    client: AuthenticatedClient,
    body: list[str],
) -> Error | ValidationErrors | list[BuildTag] | None:
    """Tag a build

     A JSON array of tag names: Unicode letters, digits and `-_./`. Invalid,
    duplicate and existing tags are dropped silently; the answer lists only
    the new ones. Fires `build.tagged` when there are any. Needs the build's
    owner or a collaborator, and `build:write`.

    Args:
        username (str):
        number (int):
        body (list[str]):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | ValidationErrors | list[BuildTag]
    """

    return (
        await asyncio_detailed(
            username=username,
            number=number,
            client=client,
            body=body,
        )
    ).parsed
