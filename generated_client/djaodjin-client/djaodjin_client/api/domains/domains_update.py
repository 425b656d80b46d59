from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.detail import Detail
from ...models.domain import Domain
from ...models.domain_update import DomainUpdate
from ...models.domain_update_form import DomainUpdateForm
from ...models.domain_update_multipart import DomainUpdateMultipart
from ...models.validation_error import ValidationError
from ...types import UNSET, Response, Unset


def _get_kwargs(
    organization: str,
    domain: str,
    *,
    body: DomainUpdate | DomainUpdateForm | DomainUpdateMultipart | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/domains/{organization}/{domain}/".format(
            organization=quote(str(organization), safe=""),
            domain=quote(str(domain), safe=""),
        ),
    }

    if isinstance(body, DomainUpdate):
        if not isinstance(body, Unset):
            _kwargs["json"] = body.to_dict()

        headers["Content-Type"] = "application/json"
    if isinstance(body, DomainUpdateForm):
        if not isinstance(body, Unset):
            _kwargs["data"] = body.to_dict()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    if isinstance(body, DomainUpdateMultipart):
        if not isinstance(body, Unset):
            _kwargs["files"] = body.to_multipart()

        headers["Content-Type"] = "multipart/form-data; boundary=+++"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Detail | Domain | ValidationError | None:
    if response.status_code == 200:
        response_200 = Domain.from_dict(response.json())

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
) -> Response[Detail | Domain | ValidationError]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    organization: str,
    domain: str,
    *,
    client: AuthenticatedClient | Client,
    body: DomainUpdate | DomainUpdateForm | DomainUpdateMultipart | Unset = UNSET,
) -> Response[Detail | Domain | ValidationError]:
    """Update a domain

     Omitted fields keep their values and `null` clears a nullable one
    (`email_host_password`: `null` or `""` clears it). A certificate must
    cover `domain`; sent without `ssl_certificate_key`, it is paired with the
    key of the last `newcert/`, then with the current key. Managers only.

    Args:
        organization (str):
        domain (str):
        body (DomainUpdate | Unset): Every field is optional; fields not sent keep their values.
            Example: {'domain': 'cowork.example.com', 'from_email': 'support@example.com',
            'email_host': 'smtp.example.com', 'email_port': 587, 'email_host_user':
            'support@example.com', 'email_host_password': 'an-app-password'}.
        body (DomainUpdateForm | Unset): `DomainUpdate` as `application/x-www-form-urlencoded`: an
            empty value of a nullable field is `null`.
        body (DomainUpdateMultipart | Unset): `DomainUpdate` as `multipart/form-data`: a PEM may
            be sent as a file, and an empty part of a nullable field is `null`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Detail | Domain | ValidationError]
    """

    kwargs = _get_kwargs(
        organization=organization,
        domain=domain,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    organization: str,
    domain: str,
    *,
    client: AuthenticatedClient | Client,
    body: DomainUpdate | DomainUpdateForm | DomainUpdateMultipart | Unset = UNSET,
) -> Detail | Domain | ValidationError | None:
    """Update a domain

     Omitted fields keep their values and `null` clears a nullable one
    (`email_host_password`: `null` or `""` clears it). A certificate must
    cover `domain`; sent without `ssl_certificate_key`, it is paired with the
    key of the last `newcert/`, then with the current key. Managers only.

    Args:
        organization (str):
        domain (str):
        body (DomainUpdate | Unset): Every field is optional; fields not sent keep their values.
            Example: {'domain': 'cowork.example.com', 'from_email': 'support@example.com',
            'email_host': 'smtp.example.com', 'email_port': 587, 'email_host_user':
            'support@example.com', 'email_host_password': 'an-app-password'}.
        body (DomainUpdateForm | Unset): `DomainUpdate` as `application/x-www-form-urlencoded`: an
            empty value of a nullable field is `null`.
        body (DomainUpdateMultipart | Unset): `DomainUpdate` as `multipart/form-data`: a PEM may
            be sent as a file, and an empty part of a nullable field is `null`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Detail | Domain | ValidationError
    """

    return sync_detailed(
        organization=organization,
        domain=domain,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    organization: str,
    domain: str,
    *,
    client: AuthenticatedClient | Client,
    body: DomainUpdate | DomainUpdateForm | DomainUpdateMultipart | Unset = UNSET,
) -> Response[Detail | Domain | ValidationError]:
    """Update a domain

     Omitted fields keep their values and `null` clears a nullable one
    (`email_host_password`: `null` or `""` clears it). A certificate must
    cover `domain`; sent without `ssl_certificate_key`, it is paired with the
    key of the last `newcert/`, then with the current key. Managers only.

    Args:
        organization (str):
        domain (str):
        body (DomainUpdate | Unset): Every field is optional; fields not sent keep their values.
            Example: {'domain': 'cowork.example.com', 'from_email': 'support@example.com',
            'email_host': 'smtp.example.com', 'email_port': 587, 'email_host_user':
            'support@example.com', 'email_host_password': 'an-app-password'}.
        body (DomainUpdateForm | Unset): `DomainUpdate` as `application/x-www-form-urlencoded`: an
            empty value of a nullable field is `null`.
        body (DomainUpdateMultipart | Unset): `DomainUpdate` as `multipart/form-data`: a PEM may
            be sent as a file, and an empty part of a nullable field is `null`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Detail | Domain | ValidationError]
    """

    kwargs = _get_kwargs(
        organization=organization,
        domain=domain,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    organization: str,
    domain: str,
    *,
    client: AuthenticatedClient | Client,
    body: DomainUpdate | DomainUpdateForm | DomainUpdateMultipart | Unset = UNSET,
) -> Detail | Domain | ValidationError | None:
    """Update a domain

     Omitted fields keep their values and `null` clears a nullable one
    (`email_host_password`: `null` or `""` clears it). A certificate must
    cover `domain`; sent without `ssl_certificate_key`, it is paired with the
    key of the last `newcert/`, then with the current key. Managers only.

    Args:
        organization (str):
        domain (str):
        body (DomainUpdate | Unset): Every field is optional; fields not sent keep their values.
            Example: {'domain': 'cowork.example.com', 'from_email': 'support@example.com',
            'email_host': 'smtp.example.com', 'email_port': 587, 'email_host_user':
            'support@example.com', 'email_host_password': 'an-app-password'}.
        body (DomainUpdateForm | Unset): `DomainUpdate` as `application/x-www-form-urlencoded`: an
            empty value of a nullable field is `null`.
        body (DomainUpdateMultipart | Unset): `DomainUpdate` as `multipart/form-data`: a PEM may
            be sent as a file, and an empty part of a nullable field is `null`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Detail | Domain | ValidationError
    """

    return (
        await asyncio_detailed(
            organization=organization,
            domain=domain,
            client=client,
            body=body,
        )
    ).parsed
