from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.cron import Cron
from ...models.cron_update import CronUpdate
from ...models.error import Error
from ...models.validation_errors import ValidationErrors
from ...types import UNSET, Response, Unset


def _get_kwargs(
    id: int,
    *,
    body: CronUpdate | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "patch",
        "url": "/cron/{id}".format(
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
) -> Cron | Error | ValidationErrors | None:
    if response.status_code == 200:
        response_200 = Cron.from_dict(response.json())

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
) -> Response[Cron | Error | ValidationErrors]:
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
    body: CronUpdate | Unset = UNSET,
) -> Response[Cron | Error | ValidationErrors]:
    """Change a cron job

     Omitted fields keep their value. **Decision (wire compatibility with the
    original's client, which always sends all three fields):** an empty `name`,
    and a `manifest` that is empty or parses to an empty manifest (every field
    empty, such as `driver: {}` with empty lists), keep their current value too.
    A new `schedule` recomputes `next_run` from now. A new manifest is validated as on create, may move
    the cron job
    to the namespace it names (the caller's personal cron jobs when it names
    none), and makes the caller its author. Its owner, or a collaborator of
    its namespace's tree, may change it. Fires `cron` (`updated`) for a cron
    job in a namespace. Requires `cron:write`.

    Args:
        id (int):
        body (CronUpdate | Unset): Omitted fields keep their value; so do an empty `name` and an
            empty manifest. Example: {'schedule': 'weekly'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Cron | Error | ValidationErrors]
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
    body: CronUpdate | Unset = UNSET,
) -> Cron | Error | ValidationErrors | None:
    """Change a cron job

     Omitted fields keep their value. **Decision (wire compatibility with the
    original's client, which always sends all three fields):** an empty `name`,
    and a `manifest` that is empty or parses to an empty manifest (every field
    empty, such as `driver: {}` with empty lists), keep their current value too.
    A new `schedule` recomputes `next_run` from now. A new manifest is validated as on create, may move
    the cron job
    to the namespace it names (the caller's personal cron jobs when it names
    none), and makes the caller its author. Its owner, or a collaborator of
    its namespace's tree, may change it. Fires `cron` (`updated`) for a cron
    job in a namespace. Requires `cron:write`.

    Args:
        id (int):
        body (CronUpdate | Unset): Omitted fields keep their value; so do an empty `name` and an
            empty manifest. Example: {'schedule': 'weekly'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Cron | Error | ValidationErrors
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
    body: CronUpdate | Unset = UNSET,
) -> Response[Cron | Error | ValidationErrors]:
    """Change a cron job

     Omitted fields keep their value. **Decision (wire compatibility with the
    original's client, which always sends all three fields):** an empty `name`,
    and a `manifest` that is empty or parses to an empty manifest (every field
    empty, such as `driver: {}` with empty lists), keep their current value too.
    A new `schedule` recomputes `next_run` from now. A new manifest is validated as on create, may move
    the cron job
    to the namespace it names (the caller's personal cron jobs when it names
    none), and makes the caller its author. Its owner, or a collaborator of
    its namespace's tree, may change it. Fires `cron` (`updated`) for a cron
    job in a namespace. Requires `cron:write`.

    Args:
        id (int):
        body (CronUpdate | Unset): Omitted fields keep their value; so do an empty `name` and an
            empty manifest. Example: {'schedule': 'weekly'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Cron | Error | ValidationErrors]
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
    body: CronUpdate | Unset = UNSET,
) -> Cron | Error | ValidationErrors | None:
    """Change a cron job

     Omitted fields keep their value. **Decision (wire compatibility with the
    original's client, which always sends all three fields):** an empty `name`,
    and a `manifest` that is empty or parses to an empty manifest (every field
    empty, such as `driver: {}` with empty lists), keep their current value too.
    A new `schedule` recomputes `next_run` from now. A new manifest is validated as on create, may move
    the cron job
    to the namespace it names (the caller's personal cron jobs when it names
    none), and makes the caller its author. Its owner, or a collaborator of
    its namespace's tree, may change it. Fires `cron` (`updated`) for a cron
    job in a namespace. Requires `cron:write`.

    Args:
        id (int):
        body (CronUpdate | Unset): Omitted fields keep their value; so do an empty `name` and an
            empty manifest. Example: {'schedule': 'weekly'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Cron | Error | ValidationErrors
    """

    return (
        await asyncio_detailed(
            id=id,
            client=client,
            body=body,
        )
    ).parsed
