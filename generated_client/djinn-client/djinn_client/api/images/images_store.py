from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.image import Image
from ...models.image_create import ImageCreate
from ...models.images_store_files_body import ImagesStoreFilesBody
from ...models.validation_errors import ValidationErrors
from ...types import UNSET, File, Response, Unset


def _get_kwargs(
    *,
    body: File | ImagesStoreFilesBody | ImageCreate | Unset = UNSET,
    name: str | Unset = UNSET,
    namespace: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    params: dict[str, Any] = {}

    params["name"] = name

    params["namespace"] = namespace

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/images",
        "params": params,
    }

    if isinstance(body, File):
        _kwargs["content"] = body.payload
        headers["Content-Type"] = "application/octet-stream"
    if isinstance(body, ImagesStoreFilesBody):
        _kwargs["files"] = body.to_multipart()

        headers["Content-Type"] = "multipart/form-data; boundary=+++"
    if isinstance(body, ImageCreate):
        _kwargs["json"] = body.to_dict()

        headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Error | Image | ValidationErrors | None:
    if response.status_code == 201:
        response_201 = Image.from_dict(response.json())

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
) -> Response[Error | Image | ValidationErrors]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: File | ImagesStoreFilesBody | ImageCreate | Unset = UNSET,
    name: str | Unset = UNSET,
    namespace: str | Unset = UNSET,
) -> Response[Error | Image | ValidationErrors]:
    """Upload or download an image

     Two ways to make a QCOW2 image for the qemu driver:

    * **Upload**: the request body is the image itself (any `Content-Type`
      but `application/json`, e.g. `application/x-qemu-disk`), or the field
      `file` of a `multipart/form-data` body, streamed to storage, with
      `name` and `namespace` in the query. It must start with the QCOW2 magic
      `QFI\\xfb` (`File not a valid QCOW2 file format`). The size limit is
      `GENIE_IMAGE_MAX_SIZE` (none by default). A rejected or interrupted
      upload leaves nothing behind. `download` is null.
    * **Download**: a JSON body `{name, namespace?, download_url}`. The image
      is created at once with `download` set, and a background job fetches
      the http(s) URL (basic auth from its user info, redirects followed, the
      SSRF guard on every hop; the answer's `Content-Type` must be
      `application/x-qemu-disk` and the file must be QCOW2). Its outcome lands
      in `download.finished_at` and `download.error`, and success fires
      `images` (`downloaded`). A URL whose host resolves to a private address
      is refused unless `GENIE_ALLOW_PRIVATE_URLS=1`. The query parameters
      are not used.

    Names are unique per owner, or per namespace. Fires `images` (`created`)
    for an image in a namespace. Requires `image:write`.

    Args:
        name (str | Unset):
        namespace (str | Unset):
        body (File):
        body (ImagesStoreFilesBody):
        body (ImageCreate): An image to download from a URL, in the background.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | Image | ValidationErrors]
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
    body: File | ImagesStoreFilesBody | ImageCreate | Unset = UNSET,
    name: str | Unset = UNSET,
    namespace: str | Unset = UNSET,
) -> Error | Image | ValidationErrors | None:
    """Upload or download an image

     Two ways to make a QCOW2 image for the qemu driver:

    * **Upload**: the request body is the image itself (any `Content-Type`
      but `application/json`, e.g. `application/x-qemu-disk`), or the field
      `file` of a `multipart/form-data` body, streamed to storage, with
      `name` and `namespace` in the query. It must start with the QCOW2 magic
      `QFI\\xfb` (`File not a valid QCOW2 file format`). The size limit is
      `GENIE_IMAGE_MAX_SIZE` (none by default). A rejected or interrupted
      upload leaves nothing behind. `download` is null.
    * **Download**: a JSON body `{name, namespace?, download_url}`. The image
      is created at once with `download` set, and a background job fetches
      the http(s) URL (basic auth from its user info, redirects followed, the
      SSRF guard on every hop; the answer's `Content-Type` must be
      `application/x-qemu-disk` and the file must be QCOW2). Its outcome lands
      in `download.finished_at` and `download.error`, and success fires
      `images` (`downloaded`). A URL whose host resolves to a private address
      is refused unless `GENIE_ALLOW_PRIVATE_URLS=1`. The query parameters
      are not used.

    Names are unique per owner, or per namespace. Fires `images` (`created`)
    for an image in a namespace. Requires `image:write`.

    Args:
        name (str | Unset):
        namespace (str | Unset):
        body (File):
        body (ImagesStoreFilesBody):
        body (ImageCreate): An image to download from a URL, in the background.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | Image | ValidationErrors
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
    body: File | ImagesStoreFilesBody | ImageCreate | Unset = UNSET,
    name: str | Unset = UNSET,
    namespace: str | Unset = UNSET,
) -> Response[Error | Image | ValidationErrors]:
    """Upload or download an image

     Two ways to make a QCOW2 image for the qemu driver:

    * **Upload**: the request body is the image itself (any `Content-Type`
      but `application/json`, e.g. `application/x-qemu-disk`), or the field
      `file` of a `multipart/form-data` body, streamed to storage, with
      `name` and `namespace` in the query. It must start with the QCOW2 magic
      `QFI\\xfb` (`File not a valid QCOW2 file format`). The size limit is
      `GENIE_IMAGE_MAX_SIZE` (none by default). A rejected or interrupted
      upload leaves nothing behind. `download` is null.
    * **Download**: a JSON body `{name, namespace?, download_url}`. The image
      is created at once with `download` set, and a background job fetches
      the http(s) URL (basic auth from its user info, redirects followed, the
      SSRF guard on every hop; the answer's `Content-Type` must be
      `application/x-qemu-disk` and the file must be QCOW2). Its outcome lands
      in `download.finished_at` and `download.error`, and success fires
      `images` (`downloaded`). A URL whose host resolves to a private address
      is refused unless `GENIE_ALLOW_PRIVATE_URLS=1`. The query parameters
      are not used.

    Names are unique per owner, or per namespace. Fires `images` (`created`)
    for an image in a namespace. Requires `image:write`.

    Args:
        name (str | Unset):
        namespace (str | Unset):
        body (File):
        body (ImagesStoreFilesBody):
        body (ImageCreate): An image to download from a URL, in the background.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | Image | ValidationErrors]
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
    body: File | ImagesStoreFilesBody | ImageCreate | Unset = UNSET,
    name: str | Unset = UNSET,
    namespace: str | Unset = UNSET,
) -> Error | Image | ValidationErrors | None:
    """Upload or download an image

     Two ways to make a QCOW2 image for the qemu driver:

    * **Upload**: the request body is the image itself (any `Content-Type`
      but `application/json`, e.g. `application/x-qemu-disk`), or the field
      `file` of a `multipart/form-data` body, streamed to storage, with
      `name` and `namespace` in the query. It must start with the QCOW2 magic
      `QFI\\xfb` (`File not a valid QCOW2 file format`). The size limit is
      `GENIE_IMAGE_MAX_SIZE` (none by default). A rejected or interrupted
      upload leaves nothing behind. `download` is null.
    * **Download**: a JSON body `{name, namespace?, download_url}`. The image
      is created at once with `download` set, and a background job fetches
      the http(s) URL (basic auth from its user info, redirects followed, the
      SSRF guard on every hop; the answer's `Content-Type` must be
      `application/x-qemu-disk` and the file must be QCOW2). Its outcome lands
      in `download.finished_at` and `download.error`, and success fires
      `images` (`downloaded`). A URL whose host resolves to a private address
      is refused unless `GENIE_ALLOW_PRIVATE_URLS=1`. The query parameters
      are not used.

    Names are unique per owner, or per namespace. Fires `images` (`created`)
    for an image in a namespace. Requires `image:write`.

    Args:
        name (str | Unset):
        namespace (str | Unset):
        body (File):
        body (ImagesStoreFilesBody):
        body (ImageCreate): An image to download from a URL, in the background.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | Image | ValidationErrors
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            name=name,
            namespace=namespace,
        )
    ).parsed
