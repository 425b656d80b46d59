from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.namespace import Namespace
    from ..models.user import User


T = TypeVar("T", bound="Object")


@_attrs_define
class Object:
    """
    Example:
        {'id': 3, 'author_id': 1, 'user_id': 1, 'namespace_id': None, 'name': 'data', 'type': 'image/jpeg', 'size':
            10240, 'md5': '0cc175b9c0f1b6a831c399e269772661', 'sha256':
            'ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb', 'created_at': '2026-11-23T10:15:00.123456Z',
            'url': 'https://genie.example.com/djinn/objects/3', 'builds_url':
            'https://genie.example.com/djinn/objects/3/builds', 'author': {'email': 'alice@example.com', 'username':
            'alice', 'created_at': '2026-11-23T10:15:00.123456Z'}, 'user': {'email': 'alice@example.com', 'username':
            'alice', 'created_at': '2026-11-23T10:15:00.123456Z'}, 'namespace': None}

    Attributes:
        id (int): Unique ID for the object.
        author_id (int): ID of the user who created the object.
        user_id (int): ID of the user who owns the object.
        namespace_id (int | None): ID of the namespace the object belongs to.
        name (str): The name of the object.
        type_ (str): The MIME type of the object.
        size (int): The size of the object in bytes.
        md5 (str): The MD5 sum of the object, lowercase hex.
        sha256 (str): The SHA-256 sum of the object, lowercase hex.
        created_at (datetime.datetime): When the object was created (RFC 3339, UTC).
        url (str): The API URL of the object itself.
        builds_url (str): The API URL of the builds the object was placed on.
        author (None | User): The user who created the object.
        user (None | User): The user who owns the object.
        namespace (Namespace | None): The namespace the object belongs to.
    """

    id: int
    author_id: int
    user_id: int
    namespace_id: int | None
    name: str
    type_: str
    size: int
    md5: str
    sha256: str
    created_at: datetime.datetime
    url: str
    builds_url: str
    author: None | User
    user: None | User
    namespace: Namespace | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.namespace import Namespace  # noqa: PLC0415
        from ..models.user import User  # noqa: PLC0415

        id = self.id

        author_id = self.author_id

        user_id = self.user_id

        namespace_id: int | None
        namespace_id = self.namespace_id

        name = self.name

        type_ = self.type_

        size = self.size

        md5 = self.md5

        sha256 = self.sha256

        created_at = self.created_at.isoformat()

        url = self.url

        builds_url = self.builds_url

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

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "author_id": author_id,
                "user_id": user_id,
                "namespace_id": namespace_id,
                "name": name,
                "type": type_,
                "size": size,
                "md5": md5,
                "sha256": sha256,
                "created_at": created_at,
                "url": url,
                "builds_url": builds_url,
                "author": author,
                "user": user,
                "namespace": namespace,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
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

        name = d.pop("name")

        type_ = d.pop("type")

        size = d.pop("size")

        md5 = d.pop("md5")

        sha256 = d.pop("sha256")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        url = d.pop("url")

        builds_url = d.pop("builds_url")

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

        object_ = cls(
            id=id,
            author_id=author_id,
            user_id=user_id,
            namespace_id=namespace_id,
            name=name,
            type_=type_,
            size=size,
            md5=md5,
            sha256=sha256,
            created_at=created_at,
            url=url,
            builds_url=builds_url,
            author=author,
            user=user,
            namespace=namespace,
        )

        object_.additional_properties = d
        return object_

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
