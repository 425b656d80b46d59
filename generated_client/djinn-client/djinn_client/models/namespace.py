from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.namespace_visibility import NamespaceVisibility

T = TypeVar("T", bound="Namespace")


@_attrs_define
class Namespace:
    """A namespace, as embedded in other entities.

    Example:
        {'id': 1, 'user_id': 1, 'root_id': 1, 'parent_id': None, 'name': 'djinn', 'path': 'djinn', 'description': '',
            'visibility': 'private', 'level': 0, 'created_at': '2026-11-23T10:15:00.123456Z', 'url':
            'https://genie.example.com/djinn/n/alice/djinn', 'builds_url':
            'https://genie.example.com/djinn/n/alice/djinn/-/builds', 'namespaces_url':
            'https://genie.example.com/djinn/n/alice/djinn/-/namespaces', 'images_url':
            'https://genie.example.com/djinn/n/alice/djinn/-/images', 'objects_url':
            'https://genie.example.com/djinn/n/alice/djinn/-/objects', 'variables_url':
            'https://genie.example.com/djinn/n/alice/djinn/-/variables', 'keys_url':
            'https://genie.example.com/djinn/n/alice/djinn/-/keys', 'invites_url':
            'https://genie.example.com/djinn/n/alice/djinn/-/invites', 'collaborators_url':
            'https://genie.example.com/djinn/n/alice/djinn/-/collaborators', 'webhooks_url':
            'https://genie.example.com/djinn/n/alice/djinn/-/webhooks'}

    Attributes:
        id (int):
        user_id (int): ID of the user who owns the namespace.
        root_id (int): ID of the root of the namespace's tree (its own ID for a root).
        parent_id (int | None):
        name (str):
        path (str): The full path, as `parent/child`.
        description (str):
        visibility (NamespaceVisibility):
        level (int): Depth in the tree, 0 for a root.
        created_at (datetime.datetime):
        url (str):
        builds_url (str):
        namespaces_url (str):
        images_url (str):
        objects_url (str):
        variables_url (str):
        keys_url (str):
        invites_url (str):
        collaborators_url (str):
        webhooks_url (str):
    """

    id: int
    user_id: int
    root_id: int
    parent_id: int | None
    name: str
    path: str
    description: str
    visibility: NamespaceVisibility
    level: int
    created_at: datetime.datetime
    url: str
    builds_url: str
    namespaces_url: str
    images_url: str
    objects_url: str
    variables_url: str
    keys_url: str
    invites_url: str
    collaborators_url: str
    webhooks_url: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        user_id = self.user_id

        root_id = self.root_id

        parent_id: int | None
        parent_id = self.parent_id

        name = self.name

        path = self.path

        description = self.description

        visibility = self.visibility.value

        level = self.level

        created_at = self.created_at.isoformat()

        url = self.url

        builds_url = self.builds_url

        namespaces_url = self.namespaces_url

        images_url = self.images_url

        objects_url = self.objects_url

        variables_url = self.variables_url

        keys_url = self.keys_url

        invites_url = self.invites_url

        collaborators_url = self.collaborators_url

        webhooks_url = self.webhooks_url

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "user_id": user_id,
                "root_id": root_id,
                "parent_id": parent_id,
                "name": name,
                "path": path,
                "description": description,
                "visibility": visibility,
                "level": level,
                "created_at": created_at,
                "url": url,
                "builds_url": builds_url,
                "namespaces_url": namespaces_url,
                "images_url": images_url,
                "objects_url": objects_url,
                "variables_url": variables_url,
                "keys_url": keys_url,
                "invites_url": invites_url,
                "collaborators_url": collaborators_url,
                "webhooks_url": webhooks_url,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        user_id = d.pop("user_id")

        root_id = d.pop("root_id")

        def _parse_parent_id(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        parent_id = _parse_parent_id(d.pop("parent_id"))

        name = d.pop("name")

        path = d.pop("path")

        description = d.pop("description")

        visibility = NamespaceVisibility(d.pop("visibility"))

        level = d.pop("level")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        url = d.pop("url")

        builds_url = d.pop("builds_url")

        namespaces_url = d.pop("namespaces_url")

        images_url = d.pop("images_url")

        objects_url = d.pop("objects_url")

        variables_url = d.pop("variables_url")

        keys_url = d.pop("keys_url")

        invites_url = d.pop("invites_url")

        collaborators_url = d.pop("collaborators_url")

        webhooks_url = d.pop("webhooks_url")

        namespace = cls(
            id=id,
            user_id=user_id,
            root_id=root_id,
            parent_id=parent_id,
            name=name,
            path=path,
            description=description,
            visibility=visibility,
            level=level,
            created_at=created_at,
            url=url,
            builds_url=builds_url,
            namespaces_url=namespaces_url,
            images_url=images_url,
            objects_url=objects_url,
            variables_url=variables_url,
            keys_url=keys_url,
            invites_url=invites_url,
            collaborators_url=collaborators_url,
            webhooks_url=webhooks_url,
        )

        namespace.additional_properties = d
        return namespace

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
