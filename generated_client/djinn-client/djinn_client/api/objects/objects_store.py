from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.object_ import Object
from ...models.objects_store_files_body import ObjectsStoreFilesBody
from ...models.validation_errors import ValidationErrors
from ...types import UNSET, File, Response, Unset


def _get_kwargs(
    *,
    body: File | ObjectsStoreFilesBody | Unset = UNSET,
    name: str,
    namespace: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    params: dict[str, Any] = {}

    params["name"] = name

    params["namespace"] = namespace

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/objects",
        "params": params,
    }

    if isinstance(body, File):
        _kwargs["content"] = body.payload
        headers["Content-Type"] = "application/octet-stream"
    if isinstance(body, ObjectsStoreFilesBody):
        _kwargs["files"] = body.to_multipart()

        headers["Content-Type"] = "multipart/form-data; boundary=+++"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Error | Object | ValidationErrors | None:
    if response.status_code == 201:
        response_201 = Object.from_dict(response.json())

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
) -> Response[Error | Object | ValidationErrors]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: File | ObjectsStoreFilesBody | Unset = UNSET,
    name: str,
    namespace: str | Unset = UNSET,
) -> Response[Error | Object | ValidationErrors]:
    """Upload an object

     The request body is the file itself, streamed to storage. `Content-Type`
    is the file's MIME type; when it is absent, `application/octet-stream` or
    `application/x-www-form-urlencoded` (curl's default for `-d`/`--data-binary`),
    the type is detected from the content, then from the name.

    The size limit is `GENIE_OBJECT_MAX_SIZE` (5 MiB by default). A rejected
    or interrupted upload leaves nothing behind. Requires `object:write`.

    Args:
        name (str):
        namespace (str | Unset):
        body (File):
        body (ObjectsStoreFilesBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | Object | ValidationErrors]
    """

    kwargs = _get_kwargs(
        body=body,
        name=name,
        namespace=namespace,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: File | ObjectsStoreFilesBody | Unset = UNSET,
    name: str,
    namespace: str | Unset = UNSET,
) -> Error | Object | ValidationErrors | None:
    """Upload an object

     The request body is the file itself, streamed to storage. `Content-Type`
    is the file's MIME type; when it is absent, `application/octet-stream` or
    `application/x-www-form-urlencoded` (curl's default for `-d`/`--data-binary`),
    the type is detected from the content, then from the name.

    The size limit is `GENIE_OBJECT_MAX_SIZE` (5 MiB by default). A rejected
    or interrupted upload leaves nothing behind. Requires `object:write`.

    Args:
        name (str):
        namespace (str | Unset):
        body (File):
        body (ObjectsStoreFilesBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | Object | ValidationErrors
    """

    return sync_detailed(
        client=client,
        body=body,
        name=name,
        namespace=namespace,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: File | ObjectsStoreFilesBody | Unset = UNSET,
    name: str,
    namespace: str | Unset = UNSET,
) -> Response[Error | Object | ValidationErrors]:
    """Upload an object

     The request body is the file itself, streamed to storage. `Content-Type`
    is the file's MIME type; when it is absent, `application/octet-stream` or
    `application/x-www-form-urlencoded` (curl's default for `-d`/`--data-binary`),
    the type is detected from the content, then from the name.

    The size limit is `GENIE_OBJECT_MAX_SIZE` (5 MiB by default). A rejected
    or interrupted upload leaves nothing behind. Requires `object:write`.

    Args:
        name (str):
        namespace (str | Unset):
        body (File):
        body (ObjectsStoreFilesBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | Object | ValidationErrors]
    """

    kwargs = _get_kwargs(
        body=body,
        name=name,
        namespace=namespace,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: File | ObjectsStoreFilesBody | Unset = UNSET,
    name: str,
    namespace: str | Unset = UNSET,
) -> Error | Object | ValidationErrors | None:
    """Upload an object

     The request body is the file itself, streamed to storage. `Content-Type`
    is the file's MIME type; when it is absent, `application/octet-stream` or
    `application/x-www-form-urlencoded` (curl's default for `-d`/`--data-binary`),
    the type is detected from the content, then from the name.

    The size limit is `GENIE_OBJECT_MAX_SIZE` (5 MiB by default). A rejected
    or interrupted upload leaves nothing behind. Requires `object:write`.

    Args:
        name (str):
        namespace (str | Unset):
        body (File):
        body (ObjectsStoreFilesBody):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | Object | ValidationErrors
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            name=name,
            namespace=namespace,
        )
    ).parsed
