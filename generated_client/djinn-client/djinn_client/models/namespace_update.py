from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.namespace_update_visibility import NamespaceUpdateVisibility
from ..types import UNSET, Unset

T = TypeVar("T", bound="NamespaceUpdate")


@_attrs_define
class NamespaceUpdate:
    """Omitted fields keep their value; other fields are ignored.

    Example:
        {'visibility': 'public'}

    Attributes:
        description (str | Unset):
        visibility (NamespaceUpdateVisibility | Unset): Applies to the whole tree when changed on a root; ignored on a
            child.
    """

    description: str | Unset = UNSET
    visibility: NamespaceUpdateVisibility | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        description = self.description

        visibility: str | Unset = UNSET
        if not isinstance(self.visibility, Unset):
            visibility = self.visibility.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if description is not UNSET:
            field_dict["description"] = description
        if visibility is not UNSET:
            field_dict["visibility"] = visibility

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        description = d.pop("description", UNSET)

        _visibility = d.pop("visibility", UNSET)
        visibility: NamespaceUpdateVisibility | Unset
        if isinstance(_visibility, Unset):
            visibility = UNSET
        else:
            visibility = NamespaceUpdateVisibility(_visibility)

        namespace_update = cls(
            description=description,
            visibility=visibility,
        )

        namespace_update.additional_properties = d
        return namespace_update

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
