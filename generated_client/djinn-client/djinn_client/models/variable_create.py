from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="VariableCreate")


@_attrs_define
class VariableCreate:
    """
    Example:
        {'key': 'DEPLOY_TOKEN', 'value': 's3cr3t-value', 'mask': True}

    Attributes:
        key (str): Letters, digits and `_`, not starting with a digit. Example: DEPLOY_TOKEN.
        value (str): The value; at least 6 characters when masked. Example: s3cr3t-value.
        namespace (str | Unset): The namespace to put the resource in, as `path[@owner]`; empty or omitted
            for a personal resource. `proj/sub` is one of the caller's namespaces;
            the missing ones are created (private, or with their root's visibility)
            once the rest of the request is valid. `proj@alice` is a namespace of
            `alice` whose tree the caller collaborates on; nothing is ever created in
            another user's account. A resource in a namespace belongs to the
            namespace's owner. A namespace the caller may not use gives `400
            {"namespace": ["Namespace permission denied"]}`.
             Example: djinn.
        mask (bool | Unset): Store the value encrypted and never return it. Default: False.
    """

    key: str
    value: str
    namespace: str | Unset = UNSET
    mask: bool | Unset = False
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        key = self.key

        value = self.value

        namespace = self.namespace

        mask = self.mask

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "key": key,
                "value": value,
            }
        )
        if namespace is not UNSET:
            field_dict["namespace"] = namespace
        if mask is not UNSET:
            field_dict["mask"] = mask

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        key = d.pop("key")

        value = d.pop("value")

        namespace = d.pop("namespace", UNSET)

        mask = d.pop("mask", UNSET)

        variable_create = cls(
            key=key,
            value=value,
            namespace=namespace,
            mask=mask,
        )

        variable_create.additional_properties = d
        return variable_create

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
