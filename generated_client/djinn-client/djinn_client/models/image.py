from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.image_driver import ImageDriver

if TYPE_CHECKING:
    from ..models.image_download import ImageDownload
    from ..models.namespace import Namespace
    from ..models.user import User


T = TypeVar("T", bound="Image")


@_attrs_define
class Image:
    """A QCOW2 image for the qemu driver.

    Example:
        {'id': 2, 'author_id': 1, 'user_id': 1, 'namespace_id': None, 'driver': 'qemu', 'name': 'debian-stable',
            'created_at': '2026-11-23T10:15:00.123456Z', 'url': 'https://genie.example.com/djinn/images/2', 'author':
            {'email': 'alice@example.com', 'username': 'alice', 'created_at': '2026-11-23T10:15:00.123456Z'}, 'user':
            {'email': 'alice@example.com', 'username': 'alice', 'created_at': '2026-11-23T10:15:00.123456Z'}, 'namespace':
            None, 'download': {'source': 'https://alice:xxxxx@images.example.com/debian.qcow2', 'error': None, 'created_at':
            '2026-11-23T10:15:00.123456Z', 'started_at': '2026-11-23T10:15:01.123456Z', 'finished_at':
            '2026-11-23T10:17:30.123456Z'}}

    Attributes:
        id (int):
        author_id (int): ID of the user who created the image.
        user_id (int): ID of the owner (the namespace's owner for an image in a namespace).
        namespace_id (int | None):
        driver (ImageDriver):
        name (str):
        created_at (datetime.datetime):
        url (str):
        author (None | User):
        user (None | User):
        namespace (Namespace | None):
        download (ImageDownload | None): The download of an image made from a URL; null for an uploaded one.
    """

    id: int
    author_id: int
    user_id: int
    namespace_id: int | None
    driver: ImageDriver
    name: str
    created_at: datetime.datetime
    url: str
    author: None | User
    user: None | User
    namespace: Namespace | None
    download: ImageDownload | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.image_download import ImageDownload  # noqa: PLC0415
        from ..models.namespace import Namespace  # noqa: PLC0415
        from ..models.user import User  # noqa: PLC0415

        id = self.id

        author_id = self.author_id

        user_id = self.user_id

        namespace_id: int | None
        namespace_id = self.namespace_id

        driver = self.driver.value

        name = self.name

        created_at = self.created_at.isoformat()

        url = self.url

        author: dict[str, Any] | None
        if isinstance(self.author, User):
            author = self.author.to_dict()
        else:
            author = self.author

        user: dict[str, Any] | None
        if isinstance(self.user, User):
            user = self.user.to_dict()
        else:
            user = self.user

        namespace: dict[str, Any] | None
        if isinstance(self.namespace, Namespace):
            namespace = self.namespace.to_dict()
        else:
            namespace = self.namespace

        download: dict[str, Any] | None
        if isinstance(self.download, ImageDownload):
            download = self.download.to_dict()
        else:
            download = self.download

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "author_id": author_id,
                "user_id": user_id,
                "namespace_id": namespace_id,
                "driver": driver,
                "name": name,
                "created_at": created_at,
                "url": url,
                "author": author,
                "user": user,
                "namespace": namespace,
                "download": download,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.image_download import ImageDownload  # noqa: PLC0415
        from ..models.namespace import Namespace  # noqa: PLC0415
        from ..models.user import User  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        author_id = d.pop("author_id")

        user_id = d.pop("user_id")

        def _parse_namespace_id(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        namespace_id = _parse_namespace_id(d.pop("namespace_id"))

        driver = ImageDriver(d.pop("driver"))

        name = d.pop("name")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        url = d.pop("url")

        def _parse_author(data: object) -> None | User:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                author_type_0 = User.from_dict(data)

                return author_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | User, data)

        author = _parse_author(d.pop("author"))

        def _parse_user(data: object) -> None | User:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                user_type_0 = User.from_dict(data)

                return user_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | User, data)

        user = _parse_user(d.pop("user"))

        def _parse_namespace(data: object) -> Namespace | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                namespace_type_0 = Namespace.from_dict(data)

                return namespace_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Namespace | None, data)

        namespace = _parse_namespace(d.pop("namespace"))

        def _parse_download(data: object) -> ImageDownload | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                download_type_0 = ImageDownload.from_dict(data)

                return download_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ImageDownload | None, data)

        download = _parse_download(d.pop("download"))

        image = cls(
            id=id,
            author_id=author_id,
            user_id=user_id,
            namespace_id=namespace_id,
            driver=driver,
            name=name,
            created_at=created_at,
            url=url,
            author=author,
            user=user,
            namespace=namespace,
            download=download,
        )

        image.additional_properties = d
        return image

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
