from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="BuildCreate")


@_attrs_define
class BuildCreate:
    """
    Attributes:
        manifest (str): A build manifest (YAML); its `namespace:` places the build. Example: driver:
              type: os
            stages: [test]
            jobs:
            - stage: test
              commands: [make test]
            .
        comment (str | Unset): The trigger's comment.
        tags (list[str] | Unset): Tags for the build; empty, duplicate and invalid ones are dropped.
    """

    manifest: str
    comment: str | Unset = UNSET
    tags: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        manifest = self.manifest

        comment = self.comment

        tags: list[str] | Unset = UNSET
        if not isinstance(self.tags, Unset):
            tags = self.tags

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "manifest": manifest,
            }
        )
        if comment is not UNSET:
            field_dict["comment"] = comment
        if tags is not UNSET:
            field_dict["tags"] = tags

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        manifest = d.pop("manifest")

        comment = d.pop("comment", UNSET)

        tags = cast(list[str], d.pop("tags", UNSET))

        build_create = cls(
            manifest=manifest,
            comment=comment,
            tags=tags,
        )

        build_create.additional_properties = d
        return build_create

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
