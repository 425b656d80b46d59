from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.container import Container
from ...models.container_update import ContainerUpdate
from ...models.container_update_form import ContainerUpdateForm
from ...models.container_update_multipart import ContainerUpdateMultipart
from ...models.detail import Detail
from ...models.validation_error import ValidationError
from ...types import UNSET, Response, Unset


def _get_kwargs(
    organization: str,
    app: str,
    *,
    body: ContainerUpdate | ContainerUpdateForm | ContainerUpdateMultipart | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/containers/{organization}/apps/{app}/".format(
            organization=quote(str(organization), safe=""),
            app=quote(str(app), safe=""),
        ),
    }

    if isinstance(body, ContainerUpdate):
        if not isinstance(body, Unset):
            _kwargs["json"] = body.to_dict()

        headers["Content-Type"] = "application/json"
    if isinstance(body, ContainerUpdateForm):
        if not isinstance(body, Unset):
            _kwargs["data"] = body.to_dict()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    if isinstance(body, ContainerUpdateMultipart):
        if not isinstance(body, Unset):
            _kwargs["files"] = body.to_multipart()

        headers["Content-Type"] = "multipart/form-data; boundary=+++"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Container | Detail | ValidationError | None:
    if response.status_code == 200:
        response_200 = Container.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = ValidationError.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Detail.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Detail.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = Detail.from_dict(response.json())

        return response_404

    if response.status_code == 408:
        response_408 = Detail.from_dict(response.json())

        return response_408

    if response.status_code == 413:
        response_413 = Detail.from_dict(response.json())

        return response_413

    if response.status_code == 415:
        response_415 = Detail.from_dict(response.json())

        return response_415

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

    if response.status_code == 507:
        response_507 = Detail.from_dict(response.json())

        return response_507

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Container | Detail | ValidationError]:
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
    body: ContainerUpdate | ContainerUpdateForm | ContainerUpdateMultipart | Unset = UNSET,
) -> Response[Container | Detail | ValidationError]:
    """Update a container

     Omitted fields keep their values, `null` clears a nullable field, `env`
    replaces the whole list, and `slug` cannot change. The container restarts
    only when `location`, `role_name`, `external_id` or `env` changed.
    Managers only.

    Args:
        organization (str):
        app (str):
        body (ContainerUpdate | Unset): Every field is optional; fields not sent keep their
            values. Example: {'location': 'ghcr.io/djaodjin/djaopsp/livedemo:main', 'env': [{'name':
            'DEBUG', 'value': '0'}]}.
        body (ContainerUpdateForm | Unset): `ContainerUpdate` as a form: `env` is JSON text, and
            an empty value of a nullable field is `null`. Example: {'location':
            'ghcr.io/djaodjin/djaopsp/livedemo:main'}.
        body (ContainerUpdateMultipart | Unset): `ContainerUpdate` as multipart: `env` is one JSON
            part per variable, or one
            JSON part holding the array; an empty part of a nullable field is `null`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Container | Detail | ValidationError]
    """

    kwargs = _get_kwargs(
        organization=organization,
        app=app,
        body=body,
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
    body: ContainerUpdate | ContainerUpdateForm | ContainerUpdateMultipart | Unset = UNSET,
) -> Container | Detail | ValidationError | None:
    """Update a container

     Omitted fields keep their values, `null` clears a nullable field, `env`
    replaces the whole list, and `slug` cannot change. The container restarts
    only when `location`, `role_name`, `external_id` or `env` changed.
    Managers only.

    Args:
        organization (str):
        app (str):
        body (ContainerUpdate | Unset): Every field is optional; fields not sent keep their
            values. Example: {'location': 'ghcr.io/djaodjin/djaopsp/livedemo:main', 'env': [{'name':
            'DEBUG', 'value': '0'}]}.
        body (ContainerUpdateForm | Unset): `ContainerUpdate` as a form: `env` is JSON text, and
            an empty value of a nullable field is `null`. Example: {'location':
            'ghcr.io/djaodjin/djaopsp/livedemo:main'}.
        body (ContainerUpdateMultipart | Unset): `ContainerUpdate` as multipart: `env` is one JSON
            part per variable, or one
            JSON part holding the array; an empty part of a nullable field is `null`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Container | Detail | ValidationError
    """

    return sync_detailed(
        organization=organization,
        app=app,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    organization: str,
    app: str,
    *,
    client: AuthenticatedClient | Client,
    body: ContainerUpdate | ContainerUpdateForm | ContainerUpdateMultipart | Unset = UNSET,
) -> Response[Container | Detail | ValidationError]:
    """Update a container

     Omitted fields keep their values, `null` clears a nullable field, `env`
    replaces the whole list, and `slug` cannot change. The container restarts
    only when `location`, `role_name`, `external_id` or `env` changed.
    Managers only.

    Args:
        organization (str):
        app (str):
        body (ContainerUpdate | Unset): Every field is optional; fields not sent keep their
            values. Example: {'location': 'ghcr.io/djaodjin/djaopsp/livedemo:main', 'env': [{'name':
            'DEBUG', 'value': '0'}]}.
        body (ContainerUpdateForm | Unset): `ContainerUpdate` as a form: `env` is JSON text, and
            an empty value of a nullable field is `null`. Example: {'location':
            'ghcr.io/djaodjin/djaopsp/livedemo:main'}.
        body (ContainerUpdateMultipart | Unset): `ContainerUpdate` as multipart: `env` is one JSON
            part per variable, or one
            JSON part holding the array; an empty part of a nullable field is `null`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Container | Detail | ValidationError]
    """

    kwargs = _get_kwargs(
        organization=organization,
        app=app,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    organization: str,
    app: str,
    *,
    client: AuthenticatedClient | Client,
    body: ContainerUpdate | ContainerUpdateForm | ContainerUpdateMultipart | Unset = UNSET,
) -> Container | Detail | ValidationError | None:
    """Update a container

     Omitted fields keep their values, `null` clears a nullable field, `env`
    replaces the whole list, and `slug` cannot change. The container restarts
    only when `location`, `role_name`, `external_id` or `env` changed.
    Managers only.

    Args:
        organization (str):
        app (str):
        body (ContainerUpdate | Unset): Every field is optional; fields not sent keep their
            values. Example: {'location': 'ghcr.io/djaodjin/djaopsp/livedemo:main', 'env': [{'name':
            'DEBUG', 'value': '0'}]}.
        body (ContainerUpdateForm | Unset): `ContainerUpdate` as a form: `env` is JSON text, and
            an empty value of a nullable field is `null`. Example: {'location':
            'ghcr.io/djaodjin/djaopsp/livedemo:main'}.
        body (ContainerUpdateMultipart | Unset): `ContainerUpdate` as multipart: `env` is one JSON
            part per variable, or one
            JSON part holding the array; an empty part of a nullable field is `null`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Container | Detail | ValidationError
    """

    return (
        await asyncio_detailed(
            organization=organization,
            app=app,
            client=client,
            body=body,
        )
    ).parsed
