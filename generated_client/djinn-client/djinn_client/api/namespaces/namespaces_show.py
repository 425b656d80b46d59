from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.namespace_detail import NamespaceDetail
from ...models.validation_errors import ValidationErrors
from ...types import Response


def _get_kwargs(
    username: str,
    path: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/n/{username}/{path}".format(
            username=quote(str(username), safe=""),
            path=quote(str(path), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Error | NamespaceDetail | ValidationErrors | None:
    if response.status_code == 200:
        response_200 = NamespaceDetail.from_dict(response.json())

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

    if response.status_code == 405:
        response_405 = Error.from_dict(response.json())

        return response_405

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
) -> Response[Error | NamespaceDetail | ValidationErrors]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    username: str,
    path: str,
    *,
    client: AuthenticatedClient,
) -> Response[Error | NamespaceDetail | ValidationErrors]:
    """Get a namespace

     With its owner, its parent and its latest build. Anyone may read a public
    namespace (anonymous callers too), any authenticated user an internal
    one, and only its owner and collaborators a private one; for the others it
    does not exist (404). A namespace that is not public also needs
    `namespace:read`.

    Args:
        username (str):
        path (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | NamespaceDetail | ValidationErrors]
    """

    kwargs = _get_kwargs(
        username=username,
        path=path,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    username: str,
    path: str,
    *,
    client: AuthenticatedClient,
) -> Error | NamespaceDetail | ValidationErrors | None:
    """Get a namespace

     With its owner, its parent and its latest build. Anyone may read a public
    namespace (anonymous callers too), any authenticated user an internal
    one, and only its owner and collaborators a private one; for the others it
    does not exist (404). A namespace that is not public also needs
    `namespace:read`.

    Args:
        username (str):
        path (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | NamespaceDetail | ValidationErrors
    """

    return sync_detailed(
        username=username,
        path=path,
        client=client,
    ).parsed


async def asyncio_detailed(
    username: str,
    path: str,
    *,
    client: AuthenticatedClient,
) -> Response[Error | NamespaceDetail | ValidationErrors]:
    """Get a namespace

     With its owner, its parent and its latest build. Anyone may read a public
    namespace (anonymous callers too), any authenticated user an internal
    one, and only its owner and collaborators a private one; for the others it
    does not exist (404). A namespace that is not public also needs
    `namespace:read`.

    Args:
        username (str):
        path (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | NamespaceDetail | ValidationErrors]
    """

    kwargs = _get_kwargs(
        username=username,
        path=path,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    username: str,
    path: str,
    *,
    client: AuthenticatedClient,
) -> Error | NamespaceDetail | ValidationErrors | None:
    """Get a namespace

     With its owner, its parent and its latest build. Anyone may read a public
    namespace (anonymous callers too), any authenticated user an internal
    one, and only its owner and collaborators a private one; for the others it
    does not exist (404). A namespace that is not public also needs
    `namespace:read`.

    Args:
        username (str):
        path (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | NamespaceDetail | ValidationErrors
    """

    return (
        await asyncio_detailed(
            username=username,
            path=path,
            client=client,
        )
    ).parsed
