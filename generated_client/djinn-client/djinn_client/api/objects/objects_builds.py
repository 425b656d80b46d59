from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.build import Build
from ...models.build_status import BuildStatus
from ...models.error import Error
from ...models.validation_errors import ValidationErrors
from ...types import UNSET, Response, Unset


def _get_kwargs(
    id: int,
    *,
    tag: str | Unset = UNSET,
    search: str | Unset = UNSET,
    status: BuildStatus | Unset = UNSET,
    pinned: bool | Unset = UNSET,
    page: int | Unset = 1,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["tag"] = tag

    params["search"] = search

    json_status: str | Unset = UNSET
    if not isinstance(status, Unset):
        json_status = status.value

    params["status"] = json_status

    params["pinned"] = pinned

    params["page"] = page

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/objects/{id}/builds".format(
            id=quote(str(id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Error | ValidationErrors | list[Build] | None:
    if response.status_code == 200:
        response_200 = []
        _response_200 = response.json()
        for response_200_item_data in _response_200:
            response_200_item = Build.from_dict(response_200_item_data)

            response_200.append(response_200_item)

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
) -> Response[Error | ValidationErrors | list[Build]]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    id: int,
    *,
    client: AuthenticatedClient,
    tag: str | Unset = UNSET,
    search: str | Unset = UNSET,
    status: BuildStatus | Unset = UNSET,
    pinned: bool | Unset = UNSET,
    page: int | Unset = 1,
) -> Response[Error | ValidationErrors | list[Build]]:
    """List the builds an object was placed on

     Newest first, 25 a page, filtered as `GET /builds` (`tag`, `search`,
    `status`, `pinned`). Requires `object:read` and `build:read`.

    Args:
        id (int):
        tag (str | Unset):
        search (str | Unset):
        status (BuildStatus | Unset):
        pinned (bool | Unset):
        page (int | Unset):  Default: 1.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | ValidationErrors | list[Build]]
    """

    kwargs = _get_kwargs(
        id=id,
        tag=tag,
        search=search,
        status=status,
        pinned=pinned,
        page=page,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    id: int,
    *,
    client: AuthenticatedClient,
    tag: str | Unset = UNSET,
    search: str | Unset = UNSET,
    status: BuildStatus | Unset = UNSET,
    pinned: bool | Unset = UNSET,
    page: int | Unset = 1,
) -> Error | ValidationErrors | list[Build] | None:
    """List the builds an object was placed on

     Newest first, 25 a page, filtered as `GET /builds` (`tag`, `search`,
    `status`, `pinned`). Requires `object:read` and `build:read`.

    Args:
        id (int):
        tag (str | Unset):
        search (str | Unset):
        status (BuildStatus | Unset):
        pinned (bool | Unset):
        page (int | Unset):  Default: 1.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | ValidationErrors | list[Build]
    """

    return sync_detailed(
        id=id,
        client=client,
        tag=tag,
        search=search,
        status=status,
        pinned=pinned,
        page=page,
    ).parsed


async def asyncio_detailed(
    id: int,
    *,
    client: AuthenticatedClient,
    tag: str | Unset = UNSET,
    search: str | Unset = UNSET,
    status: BuildStatus | Unset = UNSET,
    pinned: bool | Unset = UNSET,
    page: int | Unset = 1,
) -> Response[Error | ValidationErrors | list[Build]]:
    """List the builds an object was placed on

     Newest first, 25 a page, filtered as `GET /builds` (`tag`, `search`,
    `status`, `pinned`). Requires `object:read` and `build:read`.

    Args:
        id (int):
        tag (str | Unset):
        search (str | Unset):
        status (BuildStatus | Unset):
        pinned (bool | Unset):
        page (int | Unset):  Default: 1.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | ValidationErrors | list[Build]]
    """

    kwargs = _get_kwargs(
        id=id,
        tag=tag,
        search=search,
        status=status,
        pinned=pinned,
        page=page,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    id: int,
    *,
    client: AuthenticatedClient,
    tag: str | Unset = UNSET,
    search: str | Unset = UNSET,
    status: BuildStatus | Unset = UNSET,
    pinned: bool | Unset = UNSET,
    page: int | Unset = 1,
) -> Error | ValidationErrors | list[Build] | None:
    """List the builds an object was placed on

     Newest first, 25 a page, filtered as `GET /builds` (`tag`, `search`,
    `status`, `pinned`). Requires `object:read` and `build:read`.

    Args:
        id (int):
        tag (str | Unset):
        search (str | Unset):
        status (BuildStatus | Unset):
        pinned (bool | Unset):
        page (int | Unset):  Default: 1.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | ValidationErrors | list[Build]
    """

    return (
        await asyncio_detailed(
            id=id,
            client=client,
            tag=tag,
            search=search,
            status=status,
            pinned=pinned,
            page=page,
        )
    ).parsed
