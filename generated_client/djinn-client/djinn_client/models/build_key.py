from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="BuildKey")


@_attrs_define
class BuildKey:
    """
    Attributes:
        id (int):
        build_id (int):
        key_id (int | None):
        name (str):
        config (str):
        location (str): Where the build finds it (`$HOME/.ssh/<name>`).
        build (None):
    """

    id: int
    build_id: int
    key_id: int | None
    name: str
    config: str
    location: str
    build: None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        build_id = self.build_id

        key_id: int | None
        key_id = self.key_id

        name = self.name

        config = self.config

        location = self.location

        build = self.build

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "build_id": build_id,
                "key_id": key_id,
                "name": name,
                "config": config,
                "location": location,
                "build": build,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        build_id = d.pop("build_id")

        def _parse_key_id(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        key_id = _parse_key_id(d.pop("key_id"))

        name = d.pop("name")

        config = d.pop("config")

        location = d.pop("location")

        build = d.pop("build")

        build_key = cls(
            id=id,
            build_id=build_id,
            key_id=key_id,
            name=name,
            config=config,
            location=location,
            build=build,
        )

        build_key.additional_properties = d
        return build_key

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
