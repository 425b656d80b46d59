from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.csr import Csr
from ...models.detail import Detail
from ...models.new_cert import NewCert
from ...models.new_cert_form import NewCertForm
from ...models.new_cert_multipart import NewCertMultipart
from ...models.validation_error import ValidationError
from ...types import UNSET, Response, Unset


def _get_kwargs(
    organization: str,
    domain: str,
    *,
    body: NewCert | NewCertForm | NewCertMultipart | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/domains/{organization}/{domain}/newcert/".format(
            organization=quote(str(organization), safe=""),
            domain=quote(str(domain), safe=""),
        ),
    }

    if isinstance(body, NewCert):
        if not isinstance(body, Unset):
            _kwargs["json"] = body.to_dict()

        headers["Content-Type"] = "application/json"
    if isinstance(body, NewCertForm):
        if not isinstance(body, Unset):
            _kwargs["data"] = body.to_dict()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    if isinstance(body, NewCertMultipart):
        if not isinstance(body, Unset):
            _kwargs["files"] = body.to_multipart()

        headers["Content-Type"] = "multipart/form-data; boundary=+++"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Csr | Detail | ValidationError | None:
    if response.status_code == 201:
        response_201 = Csr.from_dict(response.json())

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
) -> Response[Csr | Detail | ValidationError]:
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
    body: NewCert | NewCertForm | NewCertMultipart | Unset = UNSET,
) -> Response[Csr | Detail | ValidationError]:
    """Create a key and a certificate signing request

     Generates a private key (RSA-2048 by default, or P-256) and returns a
    SHA-256 CSR for `domain` (subject `CN=<domain>`, SAN `DNS:<domain>`) to
    hand to a certificate authority. The key is kept encrypted as the pending
    key, never returned, and replaced by each call; the current certificate
    stays in service until a certificate for the pending key is uploaded with
    `PUT`. The domain must have a custom `domain`. Managers only.

    Args:
        organization (str):
        domain (str):
        body (NewCert | Unset):  Example: {'key_type': 'rsa-2048'}.
        body (NewCertForm | Unset): `NewCert` as `application/x-www-form-urlencoded`.
        body (NewCertMultipart | Unset): `NewCert` as `multipart/form-data`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Csr | Detail | ValidationError]
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
    body: NewCert | NewCertForm | NewCertMultipart | Unset = UNSET,
) -> Csr | Detail | ValidationError | None:
    """Create a key and a certificate signing request

     Generates a private key (RSA-2048 by default, or P-256) and returns a
    SHA-256 CSR for `domain` (subject `CN=<domain>`, SAN `DNS:<domain>`) to
    hand to a certificate authority. The key is kept encrypted as the pending
    key, never returned, and replaced by each call; the current certificate
    stays in service until a certificate for the pending key is uploaded with
    `PUT`. The domain must have a custom `domain`. Managers only.

    Args:
        organization (str):
        domain (str):
        body (NewCert | Unset):  Example: {'key_type': 'rsa-2048'}.
        body (NewCertForm | Unset): `NewCert` as `application/x-www-form-urlencoded`.
        body (NewCertMultipart | Unset): `NewCert` as `multipart/form-data`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Csr | Detail | ValidationError
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
    body: NewCert | NewCertForm | NewCertMultipart | Unset = UNSET,
) -> Response[Csr | Detail | ValidationError]:
    """Create a key and a certificate signing request

     Generates a private key (RSA-2048 by default, or P-256) and returns a
    SHA-256 CSR for `domain` (subject `CN=<domain>`, SAN `DNS:<domain>`) to
    hand to a certificate authority. The key is kept encrypted as the pending
    key, never returned, and replaced by each call; the current certificate
    stays in service until a certificate for the pending key is uploaded with
    `PUT`. The domain must have a custom `domain`. Managers only.

    Args:
        organization (str):
        domain (str):
        body (NewCert | Unset):  Example: {'key_type': 'rsa-2048'}.
        body (NewCertForm | Unset): `NewCert` as `application/x-www-form-urlencoded`.
        body (NewCertMultipart | Unset): `NewCert` as `multipart/form-data`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Csr | Detail | ValidationError]
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
    body: NewCert | NewCertForm | NewCertMultipart | Unset = UNSET,
) -> Csr | Detail | ValidationError | None:
    """Create a key and a certificate signing request

     Generates a private key (RSA-2048 by default, or P-256) and returns a
    SHA-256 CSR for `domain` (subject `CN=<domain>`, SAN `DNS:<domain>`) to
    hand to a certificate authority. The key is kept encrypted as the pending
    key, never returned, and replaced by each call; the current certificate
    stays in service until a certificate for the pending key is uploaded with
    `PUT`. The domain must have a custom `domain`. Managers only.

    Args:
        organization (str):
        domain (str):
        body (NewCert | Unset):  Example: {'key_type': 'rsa-2048'}.
        body (NewCertForm | Unset): `NewCert` as `application/x-www-form-urlencoded`.
        body (NewCertMultipart | Unset): `NewCert` as `multipart/form-data`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Csr | Detail | ValidationError
    """

    return (
        await asyncio_detailed(
            organization=organization,
            domain=domain,
            client=client,
            body=body,
        )
    ).parsed
