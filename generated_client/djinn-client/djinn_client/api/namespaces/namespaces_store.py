from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.namespace_create import NamespaceCreate
from ...models.namespace_detail import NamespaceDetail
from ...models.validation_errors import ValidationErrors
from ...types import Response


def _get_kwargs(
    *,
    body: NamespaceCreate,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/namespaces",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Error | NamespaceDetail | ValidationErrors | None:
    if response.status_code == 201:
        response_201 = NamespaceDetail.from_dict(response.json())

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
) -> Response[Error | NamespaceDetail | ValidationErrors]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: NamespaceCreate,
) -> Response[Error | NamespaceDetail | ValidationErrors]:
    """Create a namespace

     A root, or a child of one of the caller's namespaces (`parent`, its full
    path). A tree is at most 20 levels deep. A child always has its root's
    visibility: `visibility` only applies to a root (default `private`).
    Names are unique per owner and parent path. Fires the `namespaces` event
    (`created`). Requires `namespace:write`.

    Args:
        body (NamespaceCreate):  Example: {'parent': 'djinn', 'name': 'cicd', 'description':
            'Continuous integration'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | NamespaceDetail | ValidationErrors]
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
    body: NamespaceCreate,
) -> Error | NamespaceDetail | ValidationErrors | None:
    """Create a namespace

     A root, or a child of one of the caller's namespaces (`parent`, its full
    path). A tree is at most 20 levels deep. A child always has its root's
    visibility: `visibility` only applies to a root (default `private`).
    Names are unique per owner and parent path. Fires the `namespaces` event
    (`created`). Requires `namespace:write`.

    Args:
        body (NamespaceCreate):  Example: {'parent': 'djinn', 'name': 'cicd', 'description':
            'Continuous integration'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | NamespaceDetail | ValidationErrors
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: NamespaceCreate,
) -> Response[Error | NamespaceDetail | ValidationErrors]:
    """Create a namespace

     A root, or a child of one of the caller's namespaces (`parent`, its full
    path). A tree is at most 20 levels deep. A child always has its root's
    visibility: `visibility` only applies to a root (default `private`).
    Names are unique per owner and parent path. Fires the `namespaces` event
    (`created`). Requires `namespace:write`.

    Args:
        body (NamespaceCreate):  Example: {'parent': 'djinn', 'name': 'cicd', 'description':
            'Continuous integration'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | NamespaceDetail | ValidationErrors]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: NamespaceCreate,
) -> Error | NamespaceDetail | ValidationErrors | None:
    """Create a namespace

     A root, or a child of one of the caller's namespaces (`parent`, its full
    path). A tree is at most 20 levels deep. A child always has its root's
    visibility: `visibility` only applies to a root (default `private`).
    Names are unique per owner and parent path. Fires the `namespaces` event
    (`created`). Requires `namespace:write`.

    Args:
        body (NamespaceCreate):  Example: {'parent': 'djinn', 'name': 'cicd', 'description':
            'Continuous integration'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | NamespaceDetail | ValidationErrors
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
