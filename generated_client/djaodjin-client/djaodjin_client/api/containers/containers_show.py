from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.container import Container
from ...models.detail import Detail
from ...types import Response


def _get_kwargs(
    organization: str,
    app: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/containers/{organization}/apps/{app}/".format(
            organization=quote(str(organization), safe=""),
            app=quote(str(app), safe=""),
        ),
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Container | Detail | None:
    if response.status_code == 200:
        response_200 = Container.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = Detail.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Detail.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = Detail.from_dict(response.json())

        return response_404

    if response.status_code == 429:
        response_429 = Detail.from_dict(response.json())

        return response_429

    if response.status_code == 431:
        response_431 = Detail.from_dict(response.json())

        return response_431

    if response.status_code == 500:
        response_500 = Detail.from_dict(response.json())

        return response_500

    if response.status_code == 503:
        response_503 = Detail.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Container | Detail]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    organization: str,
    app: str,
    *,
    client: AuthenticatedClient | Client,
) -> Response[Container | Detail]:
    """Get a container

    Args:
        organization (str):
        app (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Container | Detail]
    """

    kwargs = _get_kwargs(
        organization=organization,
        app=app,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    organization: str,
    app: str,
    *,
    client: AuthenticatedClient | Client,
) -> Container | Detail | None:
    """Get a container

    Args:
        organization (str):
        app (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Container | Detail
    """

    return sync_detailed(
        organization=organization,
        app=app,
        client=client,
    ).parsed


async def asyncio_detailed(
    organization: str,
    app: str,
    *,
    client: AuthenticatedClient | Client,
) -> Response[Container | Detail]:
    """Get a container

    Args:
        organization (str):
        app (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Container | Detail]
    """

    kwargs = _get_kwargs(
        organization=organization,
        app=app,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    organization: str,
    app: str,
    *,
    client: AuthenticatedClient | Client,
) -> Container | Detail | None:
    """Get a container

    Args:
        organization (str):
        app (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Container | Detail
    """

    return (
        await asyncio_detailed(
            organization=organization,
            app=app,
            client=client,
        )
    ).parsed
