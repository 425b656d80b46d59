from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ImageCreate")


@_attrs_define
class ImageCreate:
    """An image to download from a URL, in the background.

    Attributes:
        name (str): Unique per owner, or per namespace. Example: debian-stable.
        download_url (str): An http or https URL; a password in it is never shown. Missing or empty,
            there is neither a file nor a URL: as in the original, that is
            `{"file": ["File field required"]}`.
             Example: https://images.example.com/debian.qcow2.
        namespace (str | Unset): The namespace to put the resource in, as `path[@owner]`; empty or omitted
            for a personal resource. `proj/sub` is one of the caller's namespaces;
            the missing ones are created (private, or with their root's visibility)
            once the rest of the request is valid. `proj@alice` is a namespace of
            `alice` whose tree the caller collaborates on; nothing is ever created in
            another user's account. A resource in a namespace belongs to the
            namespace's owner. A namespace the caller may not use gives `400
            {"namespace": ["Namespace permission denied"]}`.
             Example: djinn.
    """

    name: str
    download_url: str
    namespace: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        download_url = self.download_url

        namespace = self.namespace

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
                "download_url": download_url,
            }
        )
        if namespace is not UNSET:
            field_dict["namespace"] = namespace

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        download_url = d.pop("download_url")

        namespace = d.pop("namespace", UNSET)

        image_create = cls(
            name=name,
            download_url=download_url,
            namespace=namespace,
        )

        image_create.additional_properties = d
        return image_create

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
