from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.key import Key
from ...models.key_update import KeyUpdate
from ...models.validation_errors import ValidationErrors
from ...types import UNSET, Response, Unset


def _get_kwargs(
    id: int,
    *,
    body: KeyUpdate | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "patch",
        "url": "/keys/{id}".format(
            id=quote(str(id), safe=""),
        ),
    }

    if not isinstance(body, Unset):
        _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Error | Key | ValidationErrors | None:
    if response.status_code == 200:
        response_200 = Key.from_dict(response.json())

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
) -> Response[Error | Key | ValidationErrors]:
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
    body: KeyUpdate | Unset = UNSET,
) -> Response[Error | Key | ValidationErrors]:
    """Change an SSH key's config

     Only `config` changes: omitted (or no body at all), it keeps its value;
    `""` clears it. Other fields are ignored (a key's name, namespace and
    material never change: add a new key instead). Its owner, or a
    collaborator of its namespace's tree, may change it. Fires `ssh_keys`
    (`updated`, `{"key": {...}}`) for a key in a namespace. Requires
    `key:write`.

    Args:
        id (int):
        body (KeyUpdate | Unset): Only `config` changes; omitted, it keeps its value. Example:
            {'config': 'Host gitlab.com\\n  User git\\n'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | Key | ValidationErrors]
    """

    kwargs = _get_kwargs(
        id=id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    id: int,
    *,
    client: AuthenticatedClient,
    body: KeyUpdate | Unset = UNSET,
) -> Error | Key | ValidationErrors | None:
    """Change an SSH key's config

     Only `config` changes: omitted (or no body at all), it keeps its value;
    `""` clears it. Other fields are ignored (a key's name, namespace and
    material never change: add a new key instead). Its owner, or a
    collaborator of its namespace's tree, may change it. Fires `ssh_keys`
    (`updated`, `{"key": {...}}`) for a key in a namespace. Requires
    `key:write`.

    Args:
        id (int):
        body (KeyUpdate | Unset): Only `config` changes; omitted, it keeps its value. Example:
            {'config': 'Host gitlab.com\\n  User git\\n'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | Key | ValidationErrors
    """

    return sync_detailed(
        id=id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    id: int,
    *,
    client: AuthenticatedClient,
    body: KeyUpdate | Unset = UNSET,
) -> Response[Error | Key | ValidationErrors]:
    """Change an SSH key's config

     Only `config` changes: omitted (or no body at all), it keeps its value;
    `""` clears it. Other fields are ignored (a key's name, namespace and
    material never change: add a new key instead). Its owner, or a
    collaborator of its namespace's tree, may change it. Fires `ssh_keys`
    (`updated`, `{"key": {...}}`) for a key in a namespace. Requires
    `key:write`.

    Args:
        id (int):
        body (KeyUpdate | Unset): Only `config` changes; omitted, it keeps its value. Example:
            {'config': 'Host gitlab.com\\n  User git\\n'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | Key | ValidationErrors]
    """

    kwargs = _get_kwargs(
        id=id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    id: int,
    *,
    client: AuthenticatedClient,
    body: KeyUpdate | Unset = UNSET,
) -> Error | Key | ValidationErrors | None:
    """Change an SSH key's config

     Only `config` changes: omitted (or no body at all), it keeps its value;
    `""` clears it. Other fields are ignored (a key's name, namespace and
    material never change: add a new key instead). Its owner, or a
    collaborator of its namespace's tree, may change it. Fires `ssh_keys`
    (`updated`, `{"key": {...}}`) for a key in a namespace. Requires
    `key:write`.

    Args:
        id (int):
        body (KeyUpdate | Unset): Only `config` changes; omitted, it keeps its value. Example:
            {'config': 'Host gitlab.com\\n  User git\\n'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | Key | ValidationErrors
    """

    return (
        await asyncio_detailed(
            id=id,
            client=client,
            body=body,
        )
    ).parsed
