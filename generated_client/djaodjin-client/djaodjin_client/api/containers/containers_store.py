from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.container import Container
from ...models.container_create import ContainerCreate
from ...models.container_create_form import ContainerCreateForm
from ...models.container_create_multipart import ContainerCreateMultipart
from ...models.detail import Detail
from ...models.validation_error import ValidationError
from ...types import UNSET, Response, Unset


def _get_kwargs(
    organization: str,
    *,
    body: ContainerCreate | ContainerCreateForm | ContainerCreateMultipart | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/containers/{organization}/apps/".format(
            organization=quote(str(organization), safe=""),
        ),
    }

    if isinstance(body, ContainerCreate):
        if not isinstance(body, Unset):
            _kwargs["json"] = body.to_dict()

        headers["Content-Type"] = "application/json"
    if isinstance(body, ContainerCreateForm):
        if not isinstance(body, Unset):
            _kwargs["data"] = body.to_dict()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    if isinstance(body, ContainerCreateMultipart):
        if not isinstance(body, Unset):
            _kwargs["files"] = body.to_multipart()

        headers["Content-Type"] = "multipart/form-data; boundary=+++"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Container | Detail | ValidationError | None:
    if response.status_code == 201:
        response_201 = Container.from_dict(response.json())

        return response_201

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
    *,
    client: AuthenticatedClient | Client,
    body: ContainerCreate | ContainerCreateForm | ContainerCreateMultipart | Unset = UNSET,
) -> Response[Container | Detail | ValidationError]:
    """Create a container

     Creates a container. `slug` is also the app's subdomain, so it is unique
    across every organization, whatever its case. `external_id` is generated
    when absent. When `location` is set, a first deploy is queued. Managers only.

    Args:
        organization (str):
        body (ContainerCreate | Unset):  Example: {'slug': 'cowork', 'dataset': 'production',
            'location': '01.dkr.ecr.us-west-2.amazonaws.com/cowork:master', 'role_name':
            'arn:aws:iam::123456789012:role/cowork-deploy', 'env': [{'name': 'DEBUG', 'value': '0'}]}.
        body (ContainerCreateForm | Unset): `ContainerCreate` as a form: `env` is JSON text, and
            an empty value of a nullable field is `null`. Example: {'slug': 'cowork', 'location':
            '01.dkr.ecr.us-west-2.amazonaws.com/cowork:master'}.
        body (ContainerCreateMultipart | Unset): `ContainerCreate` as multipart: `env` is one JSON
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
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    organization: str,
    *,
    client: AuthenticatedClient | Client,
    body: ContainerCreate | ContainerCreateForm | ContainerCreateMultipart | Unset = UNSET,
) -> Container | Detail | ValidationError | None:
    """Create a container

     Creates a container. `slug` is also the app's subdomain, so it is unique
    across every organization, whatever its case. `external_id` is generated
    when absent. When `location` is set, a first deploy is queued. Managers only.

    Args:
        organization (str):
        body (ContainerCreate | Unset):  Example: {'slug': 'cowork', 'dataset': 'production',
            'location': '01.dkr.ecr.us-west-2.amazonaws.com/cowork:master', 'role_name':
            'arn:aws:iam::123456789012:role/cowork-deploy', 'env': [{'name': 'DEBUG', 'value': '0'}]}.
        body (ContainerCreateForm | Unset): `ContainerCreate` as a form: `env` is JSON text, and
            an empty value of a nullable field is `null`. Example: {'slug': 'cowork', 'location':
            '01.dkr.ecr.us-west-2.amazonaws.com/cowork:master'}.
        body (ContainerCreateMultipart | Unset): `ContainerCreate` as multipart: `env` is one JSON
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
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    organization: str,
    *,
    client: AuthenticatedClient | Client,
    body: ContainerCreate | ContainerCreateForm | ContainerCreateMultipart | Unset = UNSET,
) -> Response[Container | Detail | ValidationError]:
    """Create a container

     Creates a container. `slug` is also the app's subdomain, so it is unique
    across every organization, whatever its case. `external_id` is generated
    when absent. When `location` is set, a first deploy is queued. Managers only.

    Args:
        organization (str):
        body (ContainerCreate | Unset):  Example: {'slug': 'cowork', 'dataset': 'production',
            'location': '01.dkr.ecr.us-west-2.amazonaws.com/cowork:master', 'role_name':
            'arn:aws:iam::123456789012:role/cowork-deploy', 'env': [{'name': 'DEBUG', 'value': '0'}]}.
        body (ContainerCreateForm | Unset): `ContainerCreate` as a form: `env` is JSON text, and
            an empty value of a nullable field is `null`. Example: {'slug': 'cowork', 'location':
            '01.dkr.ecr.us-west-2.amazonaws.com/cowork:master'}.
        body (ContainerCreateMultipart | Unset): `ContainerCreate` as multipart: `env` is one JSON
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
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    organization: str,
    *,
    client: AuthenticatedClient | Client,
    body: ContainerCreate | ContainerCreateForm | ContainerCreateMultipart | Unset = UNSET,
) -> Container | Detail | ValidationError | None:
    """Create a container

     Creates a container. `slug` is also the app's subdomain, so it is unique
    across every organization, whatever its case. `external_id` is generated
    when absent. When `location` is set, a first deploy is queued. Managers only.

    Args:
        organization (str):
        body (ContainerCreate | Unset):  Example: {'slug': 'cowork', 'dataset': 'production',
            'location': '01.dkr.ecr.us-west-2.amazonaws.com/cowork:master', 'role_name':
            'arn:aws:iam::123456789012:role/cowork-deploy', 'env': [{'name': 'DEBUG', 'value': '0'}]}.
        body (ContainerCreateForm | Unset): `ContainerCreate` as a form: `env` is JSON text, and
            an empty value of a nullable field is `null`. Example: {'slug': 'cowork', 'location':
            '01.dkr.ecr.us-west-2.amazonaws.com/cowork:master'}.
        body (ContainerCreateMultipart | Unset): `ContainerCreate` as multipart: `env` is one JSON
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
            client=client,
            body=body,
        )
    ).parsed
