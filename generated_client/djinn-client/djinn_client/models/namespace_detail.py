from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.namespace_visibility import NamespaceVisibility

if TYPE_CHECKING:
    from ..models.build import Build
    from ..models.namespace import Namespace
    from ..models.user import User


T = TypeVar("T", bound="NamespaceDetail")


@_attrs_define
class NamespaceDetail:
    """A namespace, with its owner, its parent and its latest build.

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
        user (None | User): The owner.
        parent (Namespace | None): The parent namespace; null for a root.
        build (Build | None): The latest build submitted to the namespace (its `namespace` is null), or null.
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
    user: None | User
    parent: Namespace | None
    build: Build | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.build import Build  # noqa: PLC0415
        from ..models.namespace import Namespace  # noqa: PLC0415
        from ..models.user import User  # noqa: PLC0415

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

        user: dict[str, Any] | None
        if isinstance(self.user, User):
            user = self.user.to_dict()
        else:
            user = self.user

        parent: dict[str, Any] | None
        if isinstance(self.parent, Namespace):
            parent = self.parent.to_dict()
        else:
            parent = self.parent

        build: dict[str, Any] | None
        if isinstance(self.build, Build):
            build = self.build.to_dict()
        else:
            build = self.build

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
                "user": user,
                "parent": parent,
                "build": build,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.build import Build  # noqa: PLC0415
        from ..models.namespace import Namespace  # noqa: PLC0415
        from ..models.user import User  # noqa: PLC0415

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

        def _parse_parent(data: object) -> Namespace | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                parent_type_0 = Namespace.from_dict(data)

                return parent_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Namespace | None, data)

        parent = _parse_parent(d.pop("parent"))

        def _parse_build(data: object) -> Build | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                build_type_0 = Build.from_dict(data)

                return build_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Build | None, data)

        build = _parse_build(d.pop("build"))

        namespace_detail = cls(
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
            user=user,
            parent=parent,
            build=build,
        )

        namespace_detail.additional_properties = d
        return namespace_detail

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
