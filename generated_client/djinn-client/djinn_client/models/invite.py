from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.namespace import Namespace
    from ..models.user import User


T = TypeVar("T", bound="Invite")


@_attrs_define
class Invite:
    """
    Attributes:
        id (int):
        namespace_id (int):
        invitee_id (int):
        inviter_id (int):
        url (str):
        invitee (User): A user, as embedded in other entities. Example: {'email': 'alice@example.com', 'username':
            'alice', 'created_at': '2026-11-23T10:15:00.123456Z'}.
        inviter (User): A user, as embedded in other entities. Example: {'email': 'alice@example.com', 'username':
            'alice', 'created_at': '2026-11-23T10:15:00.123456Z'}.
        namespace (Namespace): A namespace, as embedded in other entities. Example: {'id': 1, 'user_id': 1, 'root_id':
            1, 'parent_id': None, 'name': 'djinn', 'path': 'djinn', 'description': '', 'visibility': 'private', 'level': 0,
            'created_at': '2026-11-23T10:15:00.123456Z', 'url': 'https://genie.example.com/djinn/n/alice/djinn',
            'builds_url': 'https://genie.example.com/djinn/n/alice/djinn/-/builds', 'namespaces_url':
            'https://genie.example.com/djinn/n/alice/djinn/-/namespaces', 'images_url':
            'https://genie.example.com/djinn/n/alice/djinn/-/images', 'objects_url':
            'https://genie.example.com/djinn/n/alice/djinn/-/objects', 'variables_url':
            'https://genie.example.com/djinn/n/alice/djinn/-/variables', 'keys_url':
            'https://genie.example.com/djinn/n/alice/djinn/-/keys', 'invites_url':
            'https://genie.example.com/djinn/n/alice/djinn/-/invites', 'collaborators_url':
            'https://genie.example.com/djinn/n/alice/djinn/-/collaborators', 'webhooks_url':
            'https://genie.example.com/djinn/n/alice/djinn/-/webhooks'}.
    """

    id: int
    namespace_id: int
    invitee_id: int
    inviter_id: int
    url: str
    invitee: User
    inviter: User
    namespace: Namespace
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        namespace_id = self.namespace_id

        invitee_id = self.invitee_id

        inviter_id = self.inviter_id

        url = self.url

        invitee = self.invitee.to_dict()

        inviter = self.inviter.to_dict()

        namespace = self.namespace.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "namespace_id": namespace_id,
                "invitee_id": invitee_id,
                "inviter_id": inviter_id,
                "url": url,
                "invitee": invitee,
                "inviter": inviter,
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

        namespace_id = d.pop("namespace_id")

        invitee_id = d.pop("invitee_id")

        inviter_id = d.pop("inviter_id")

        url = d.pop("url")

        invitee = User.from_dict(d.pop("invitee"))

        inviter = User.from_dict(d.pop("inviter"))

        namespace = Namespace.from_dict(d.pop("namespace"))

        invite = cls(
            id=id,
            namespace_id=namespace_id,
            invitee_id=invitee_id,
            inviter_id=inviter_id,
            url=url,
            invitee=invitee,
            inviter=inviter,
            namespace=namespace,
        )

        invite.additional_properties = d
        return invite

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
