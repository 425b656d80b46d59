from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.invite import Invite
from ...models.invite_create import InviteCreate
from ...models.validation_errors import ValidationErrors
from ...types import Response


def _get_kwargs(
    username: str,
    path: str,
    *,
    body: InviteCreate,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/n/{username}/{path}/-/invites".format(
            username=quote(str(username), safe=""),
            path=quote(str(path), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Error | Error | ValidationErrors | Invite | None:
    if response.status_code == 201:
        response_201 = Invite.from_dict(response.json())

        return response_201

    if response.status_code == 400:

        def _parse_response_400(data: object) -> Error | ValidationErrors:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                response_400_type_0 = ValidationErrors.from_dict(data)

                return response_400_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            response_400_type_1 = Error.from_dict(data)

            return response_400_type_1

        response_400 = _parse_response_400(response.json())

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
) -> Response[Error | Error | ValidationErrors | Invite]:
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
    body: InviteCreate,
) -> Response[Error | Error | ValidationErrors | Invite]:
    """Invite a collaborator

     Invites a user, by username or email, to collaborate on the namespace's
    tree. Only the tree's owner invites. A user has at most one pending invite
    per tree. Fires `invite.sent`. Requires `invite:write`.

    Args:
        username (str):
        path (str):
        body (InviteCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | Error | ValidationErrors | Invite]
    """

    kwargs = _get_kwargs(
        username=username,
        path=path,
        body=body,
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
    body: InviteCreate,
) -> Error | Error | ValidationErrors | Invite | None:
    """Invite a collaborator

     Invites a user, by username or email, to collaborate on the namespace's
    tree. Only the tree's owner invites. A user has at most one pending invite
    per tree. Fires `invite.sent`. Requires `invite:write`.

    Args:
        username (str):
        path (str):
        body (InviteCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | Error | ValidationErrors | Invite
    """

    return sync_detailed(
        username=username,
        path=path,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    username: str,
    path: str,
    *,
    client: AuthenticatedClient,
    body: InviteCreate,
) -> Response[Error | Error | ValidationErrors | Invite]:
    """Invite a collaborator

     Invites a user, by username or email, to collaborate on the namespace's
    tree. Only the tree's owner invites. A user has at most one pending invite
    per tree. Fires `invite.sent`. Requires `invite:write`.

    Args:
        username (str):
        path (str):
        body (InviteCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | Error | ValidationErrors | Invite]
    """

    kwargs = _get_kwargs(
        username=username,
        path=path,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    username: str,
    path: str,
    *,
    client: AuthenticatedClient,
    body: InviteCreate,
) -> Error | Error | ValidationErrors | Invite | None:
    """Invite a collaborator

     Invites a user, by username or email, to collaborate on the namespace's
    tree. Only the tree's owner invites. A user has at most one pending invite
    per tree. Fires `invite.sent`. Requires `invite:write`.

    Args:
        username (str):
        path (str):
        body (InviteCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | Error | ValidationErrors | Invite
    """

    return (
        await asyncio_detailed(
            username=username,
            path=path,
            client=client,
            body=body,
        )
    ).parsed
