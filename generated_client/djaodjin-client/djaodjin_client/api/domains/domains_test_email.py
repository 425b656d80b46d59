from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.detail import Detail
from ...types import Response


def _get_kwargs(
    organization: str,
    domain: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/domains/{organization}/{domain}/test-email/".format(
            organization=quote(str(organization), safe=""),
            domain=quote(str(domain), safe=""),
        ),
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Detail | None:
    if response.status_code == 201:
        response_201 = Detail.from_dict(response.json())

        return response_201

    if response.status_code == 400:
        response_400 = Detail.from_dict(response.json())

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Detail]:
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
) -> Response[Detail]:
    """Send yourself a test e-mail

     Sends an e-mail to the caller's address through the domain's SMTP settings
    (the platform's mail server when the domain has none), from `from_email`,
    else `email_host_user` when it is an address, else the platform sender.
    Port 465 uses TLS from the start; on any other port STARTTLS is required
    whenever a password is set. An SMTP failure is `400` with the reason. Any
    request body is ignored. Managers only.

    Args:
        organization (str):
        domain (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Detail]
    """

    kwargs = _get_kwargs(
        organization=organization,
        domain=domain,
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
) -> Detail | None:
    """Send yourself a test e-mail

     Sends an e-mail to the caller's address through the domain's SMTP settings
    (the platform's mail server when the domain has none), from `from_email`,
    else `email_host_user` when it is an address, else the platform sender.
    Port 465 uses TLS from the start; on any other port STARTTLS is required
    whenever a password is set. An SMTP failure is `400` with the reason. Any
    request body is ignored. Managers only.

    Args:
        organization (str):
        domain (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Detail
    """

    return sync_detailed(
        organization=organization,
        domain=domain,
        client=client,
    ).parsed


async def asyncio_detailed(
    organization: str,
    domain: str,
    *,
    client: AuthenticatedClient | Client,
) -> Response[Detail]:
    """Send yourself a test e-mail

     Sends an e-mail to the caller's address through the domain's SMTP settings
    (the platform's mail server when the domain has none), from `from_email`,
    else `email_host_user` when it is an address, else the platform sender.
    Port 465 uses TLS from the start; on any other port STARTTLS is required
    whenever a password is set. An SMTP failure is `400` with the reason. Any
    request body is ignored. Managers only.

    Args:
        organization (str):
        domain (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Detail]
    """

    kwargs = _get_kwargs(
        organization=organization,
        domain=domain,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    organization: str,
    domain: str,
    *,
    client: AuthenticatedClient | Client,
) -> Detail | None:
    """Send yourself a test e-mail

     Sends an e-mail to the caller's address through the domain's SMTP settings
    (the platform's mail server when the domain has none), from `from_email`,
    else `email_host_user` when it is an address, else the platform sender.
    Port 465 uses TLS from the start; on any other port STARTTLS is required
    whenever a password is set. An SMTP failure is `400` with the reason. Any
    request body is ignored. Managers only.

    Args:
        organization (str):
        domain (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Detail
    """

    return (
        await asyncio_detailed(
            organization=organization,
            domain=domain,
            client=client,
        )
    ).parsed
