from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ApiRoot")


@_attrs_define
class ApiRoot:
    """
    Example:
        {'builds_url': 'https://genie.example.com/djinn/builds', 'namespaces_url':
            'https://genie.example.com/djinn/namespaces', 'cron_url': 'https://genie.example.com/djinn/cron', 'invites_url':
            'https://genie.example.com/djinn/invites', 'images_url': 'https://genie.example.com/djinn/images',
            'objects_url': 'https://genie.example.com/djinn/objects', 'variables_url':
            'https://genie.example.com/djinn/variables', 'keys_url': 'https://genie.example.com/djinn/keys'}

    Attributes:
        builds_url (str):
        namespaces_url (str):
        cron_url (str):
        invites_url (str):
        images_url (str):
        objects_url (str):
        variables_url (str):
        keys_url (str):
    """

    builds_url: str
    namespaces_url: str
    cron_url: str
    invites_url: str
    images_url: str
    objects_url: str
    variables_url: str
    keys_url: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        builds_url = self.builds_url

        namespaces_url = self.namespaces_url

        cron_url = self.cron_url

        invites_url = self.invites_url

        images_url = self.images_url

        objects_url = self.objects_url

        variables_url = self.variables_url

        keys_url = self.keys_url

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "builds_url": builds_url,
                "namespaces_url": namespaces_url,
                "cron_url": cron_url,
                "invites_url": invites_url,
                "images_url": images_url,
                "objects_url": objects_url,
                "variables_url": variables_url,
                "keys_url": keys_url,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        builds_url = d.pop("builds_url")

        namespaces_url = d.pop("namespaces_url")

        cron_url = d.pop("cron_url")

        invites_url = d.pop("invites_url")

        images_url = d.pop("images_url")

        objects_url = d.pop("objects_url")

        variables_url = d.pop("variables_url")

        keys_url = d.pop("keys_url")

        api_root = cls(
            builds_url=builds_url,
            namespaces_url=namespaces_url,
            cron_url=cron_url,
            invites_url=invites_url,
            images_url=images_url,
            objects_url=objects_url,
            variables_url=variables_url,
            keys_url=keys_url,
        )

        api_root.additional_properties = d
        return api_root

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
