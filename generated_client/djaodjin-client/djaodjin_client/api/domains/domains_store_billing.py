from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.detail import Detail
from ...models.domain import Domain
from ...models.domain_create_billing import DomainCreateBilling
from ...models.domain_create_billing_form import DomainCreateBillingForm
from ...models.domain_create_billing_multipart import DomainCreateBillingMultipart
from ...models.validation_error import ValidationError
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: DomainCreateBilling | DomainCreateBillingForm | DomainCreateBillingMultipart | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/domains/",
    }

    if isinstance(body, DomainCreateBilling):
        if not isinstance(body, Unset):
            _kwargs["json"] = body.to_dict()

        headers["Content-Type"] = "application/json"
    if isinstance(body, DomainCreateBillingForm):
        if not isinstance(body, Unset):
            _kwargs["data"] = body.to_dict()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    if isinstance(body, DomainCreateBillingMultipart):
        if not isinstance(body, Unset):
            _kwargs["files"] = body.to_multipart()

        headers["Content-Type"] = "multipart/form-data; boundary=+++"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Detail | Domain | ValidationError | None:
    if response.status_code == 201:
        response_201 = Domain.from_dict(response.json())

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
    *,
    client: AuthenticatedClient | Client,
    body: DomainCreateBilling | DomainCreateBillingForm | DomainCreateBillingMultipart | Unset = UNSET,
) -> Response[Detail | Domain | ValidationError]:
    """Create a domain in the billing organization

     Creates the domain in the organization named by `billing`, or else in the
    caller's personal organization. The caller must be its manager.

    Args:
        body (DomainCreateBilling | Unset):  Example: {'slug': 'cowork-master', 'billing':
            'cowork'}.
        body (DomainCreateBillingForm | Unset): `DomainCreateBilling` as `application/x-www-form-
            urlencoded`, read as `DomainUpdateForm` is.
        body (DomainCreateBillingMultipart | Unset): `DomainCreateBilling` as `multipart/form-
            data`, read as `DomainUpdateMultipart` is.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Detail | Domain | ValidationError]
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
    client: AuthenticatedClient | Client,
    body: DomainCreateBilling | DomainCreateBillingForm | DomainCreateBillingMultipart | Unset = UNSET,
) -> Detail | Domain | ValidationError | None:
    """Create a domain in the billing organization

     Creates the domain in the organization named by `billing`, or else in the
    caller's personal organization. The caller must be its manager.

    Args:
        body (DomainCreateBilling | Unset):  Example: {'slug': 'cowork-master', 'billing':
            'cowork'}.
        body (DomainCreateBillingForm | Unset): `DomainCreateBilling` as `application/x-www-form-
            urlencoded`, read as `DomainUpdateForm` is.
        body (DomainCreateBillingMultipart | Unset): `DomainCreateBilling` as `multipart/form-
            data`, read as `DomainUpdateMultipart` is.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Detail | Domain | ValidationError
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: DomainCreateBilling | DomainCreateBillingForm | DomainCreateBillingMultipart | Unset = UNSET,
) -> Response[Detail | Domain | ValidationError]:
    """Create a domain in the billing organization

     Creates the domain in the organization named by `billing`, or else in the
    caller's personal organization. The caller must be its manager.

    Args:
        body (DomainCreateBilling | Unset):  Example: {'slug': 'cowork-master', 'billing':
            'cowork'}.
        body (DomainCreateBillingForm | Unset): `DomainCreateBilling` as `application/x-www-form-
            urlencoded`, read as `DomainUpdateForm` is.
        body (DomainCreateBillingMultipart | Unset): `DomainCreateBilling` as `multipart/form-
            data`, read as `DomainUpdateMultipart` is.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Detail | Domain | ValidationError]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: DomainCreateBilling | DomainCreateBillingForm | DomainCreateBillingMultipart | Unset = UNSET,
) -> Detail | Domain | ValidationError | None:
    """Create a domain in the billing organization

     Creates the domain in the organization named by `billing`, or else in the
    caller's personal organization. The caller must be its manager.

    Args:
        body (DomainCreateBilling | Unset):  Example: {'slug': 'cowork-master', 'billing':
            'cowork'}.
        body (DomainCreateBillingForm | Unset): `DomainCreateBilling` as `application/x-www-form-
            urlencoded`, read as `DomainUpdateForm` is.
        body (DomainCreateBillingMultipart | Unset): `DomainCreateBilling` as `multipart/form-
            data`, read as `DomainUpdateMultipart` is.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Detail | Domain | ValidationError
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
