from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.build_trigger_type import BuildTriggerType

if TYPE_CHECKING:
    from ..models.build_trigger_data import BuildTriggerData


T = TypeVar("T", bound="BuildTrigger")


@_attrs_define
class BuildTrigger:
    """
    Attributes:
        type_ (BuildTriggerType):
        comment (str):
        data (BuildTriggerData):
    """

    type_: BuildTriggerType
    comment: str
    data: BuildTriggerData
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_.value

        comment = self.comment

        data = self.data.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
                "comment": comment,
                "data": data,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.build_trigger_data import BuildTriggerData  # noqa: PLC0415

        d = dict(src_dict)
        type_ = BuildTriggerType(d.pop("type"))

        comment = d.pop("comment")

        data = BuildTriggerData.from_dict(d.pop("data"))

        build_trigger = cls(
            type_=type_,
            comment=comment,
            data=data,
        )

        build_trigger.additional_properties = d
        return build_trigger

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
