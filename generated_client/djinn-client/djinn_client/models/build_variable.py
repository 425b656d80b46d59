from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="BuildVariable")


@_attrs_define
class BuildVariable:
    """
    Attributes:
        id (int):
        build_id (int):
        key (str):
        value (str): The value; `xxxxxx` when masked.
        masked (bool):
        build (None):
        variable_url (None | str): The variable it was copied from; null for the manifest's `env`.
    """

    id: int
    build_id: int
    key: str
    value: str
    masked: bool
    build: None
    variable_url: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        build_id = self.build_id

        key = self.key

        value = self.value

        masked = self.masked

        build = self.build

        variable_url: None | str
        variable_url = self.variable_url

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "build_id": build_id,
                "key": key,
                "value": value,
                "masked": masked,
                "build": build,
                "variable_url": variable_url,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        build_id = d.pop("build_id")

        key = d.pop("key")

        value = d.pop("value")

        masked = d.pop("masked")

        build = d.pop("build")

        def _parse_variable_url(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        variable_url = _parse_variable_url(d.pop("variable_url"))

        build_variable = cls(
            id=id,
            build_id=build_id,
            key=key,
            value=value,
            masked=masked,
            build=build,
            variable_url=variable_url,
        )

        build_variable.additional_properties = d
        return build_variable

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
