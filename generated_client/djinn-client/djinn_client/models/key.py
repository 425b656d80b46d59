from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.namespace import Namespace
    from ..models.user import User


T = TypeVar("T", bound="Key")


@_attrs_define
class Key:
    """An SSH private key for builds. Its material is never returned.

    Example:
        {'id': 2, 'author_id': 1, 'user_id': 1, 'namespace_id': None, 'name': 'id_deploy', 'type': 'ssh-ed25519',
            'fingerprint': 'SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s', 'config': 'Host github.com\\n  User
            git\\n', 'created_at': '2026-11-23T10:15:00.123456Z', 'updated_at': '2026-11-23T10:15:00.123456Z', 'url':
            'https://genie.example.com/djinn/keys/2', 'author': {'email': 'alice@example.com', 'username': 'alice',
            'created_at': '2026-11-23T10:15:00.123456Z'}, 'user': {'email': 'alice@example.com', 'username': 'alice',
            'created_at': '2026-11-23T10:15:00.123456Z'}, 'namespace': None}

    Attributes:
        id (int):
        author_id (int): ID of the user who added the key.
        user_id (int): ID of the user who owns the key (the namespace's owner for a namespaced one).
        namespace_id (int | None):
        name (str): The key's file name in a build's `~/.ssh`.
        type_ (str): The SSH key type. Example: ssh-ed25519.
        fingerprint (str): The public key's fingerprint, as `ssh-keygen -l` prints it. Example:
            SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s.
        config (str): The ssh_config snippet for the key; may be empty.
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
        url (str):
        author (None | User):
        user (None | User):
        namespace (Namespace | None):
    """

    id: int
    author_id: int
    user_id: int
    namespace_id: int | None
    name: str
    type_: str
    fingerprint: str
    config: str
    created_at: datetime.datetime
    updated_at: datetime.datetime
    url: str
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

        fingerprint = self.fingerprint

        config = self.config

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

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
                "fingerprint": fingerprint,
                "config": config,
                "created_at": created_at,
                "updated_at": updated_at,
                "url": url,
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

        fingerprint = d.pop("fingerprint")

        config = d.pop("config")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

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

        key = cls(
            id=id,
            author_id=author_id,
            user_id=user_id,
            namespace_id=namespace_id,
            name=name,
            type_=type_,
            fingerprint=fingerprint,
            config=config,
            created_at=created_at,
            updated_at=updated_at,
            url=url,
            author=author,
            user=user,
            namespace=namespace,
        )

        key.additional_properties = d
        return key

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
