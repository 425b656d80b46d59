from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.validation_errors import ValidationErrors
from ...models.variable import Variable
from ...models.variable_create import VariableCreate
from ...types import Response


def _get_kwargs(
    *,
    body: VariableCreate,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/variables",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Error | ValidationErrors | Variable | None:
    if response.status_code == 201:
        response_201 = Variable.from_dict(response.json())

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
) -> Response[Error | ValidationErrors | Variable]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: VariableCreate,
) -> Response[Error | ValidationErrors | Variable]:
    """Create a variable

     Builds get the variable in their environment. `key` is unique per owner
    (personal variables) or per namespace: a key in use gives
    `400 {"key": ["Key already exists"]}`. A **masked** variable (`mask:
    true`) needs a value of at least 6 characters; it is stored encrypted and
    never returned (it reads `xxxxxx`). An unmasked value is stored and
    returned as it is. Fires `variables` (`created`, `{"variable": {...}}`)
    for a variable in a namespace. Requires `variable:write`.

    Args:
        body (VariableCreate):  Example: {'key': 'DEPLOY_TOKEN', 'value': 's3cr3t-value', 'mask':
            True}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | ValidationErrors | Variable]
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
    body: VariableCreate,
) -> Error | ValidationErrors | Variable | None:
    """Create a variable

     Builds get the variable in their environment. `key` is unique per owner
    (personal variables) or per namespace: a key in use gives
    `400 {"key": ["Key already exists"]}`. A **masked** variable (`mask:
    true`) needs a value of at least 6 characters; it is stored encrypted and
    never returned (it reads `xxxxxx`). An unmasked value is stored and
    returned as it is. Fires `variables` (`created`, `{"variable": {...}}`)
    for a variable in a namespace. Requires `variable:write`.

    Args:
        body (VariableCreate):  Example: {'key': 'DEPLOY_TOKEN', 'value': 's3cr3t-value', 'mask':
            True}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | ValidationErrors | Variable
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: VariableCreate,
) -> Response[Error | ValidationErrors | Variable]:
    """Create a variable

     Builds get the variable in their environment. `key` is unique per owner
    (personal variables) or per namespace: a key in use gives
    `400 {"key": ["Key already exists"]}`. A **masked** variable (`mask:
    true`) needs a value of at least 6 characters; it is stored encrypted and
    never returned (it reads `xxxxxx`). An unmasked value is stored and
    returned as it is. Fires `variables` (`created`, `{"variable": {...}}`)
    for a variable in a namespace. Requires `variable:write`.

    Args:
        body (VariableCreate):  Example: {'key': 'DEPLOY_TOKEN', 'value': 's3cr3t-value', 'mask':
            True}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | ValidationErrors | Variable]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: VariableCreate,
) -> Error | ValidationErrors | Variable | None:
    """Create a variable

     Builds get the variable in their environment. `key` is unique per owner
    (personal variables) or per namespace: a key in use gives
    `400 {"key": ["Key already exists"]}`. A **masked** variable (`mask:
    true`) needs a value of at least 6 characters; it is stored encrypted and
    never returned (it reads `xxxxxx`). An unmasked value is stored and
    returned as it is. Fires `variables` (`created`, `{"variable": {...}}`)
    for a variable in a namespace. Requires `variable:write`.

    Args:
        body (VariableCreate):  Example: {'key': 'DEPLOY_TOKEN', 'value': 's3cr3t-value', 'mask':
            True}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | ValidationErrors | Variable
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
