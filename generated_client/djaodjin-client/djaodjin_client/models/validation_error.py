from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.validation_error_additional_property_item_type_1 import ValidationErrorAdditionalPropertyItemType1


T = TypeVar("T", bound="ValidationError")


@_attrs_define
class ValidationError:
    """
    Example:
        {'detail': 'slug: This slug is already taken.', 'slug': ['This slug is already taken.']}

    Attributes:
        detail (str): The first error, as `<field>: <message>`, or the message alone.
    """

    detail: str
    additional_properties: dict[str, list[str | ValidationErrorAdditionalPropertyItemType1]] = _attrs_field(
        init=False, factory=dict
    )

    def to_dict(self) -> dict[str, Any]:
        from ..models.validation_error_additional_property_item_type_1 import ValidationErrorAdditionalPropertyItemType1  # noqa: PLC0415

        detail = self.detail

        field_dict: dict[str, Any] = {}
        for prop_name, prop in self.additional_properties.items():
            field_dict[prop_name] = []
            for additional_property_item_data in prop:
                additional_property_item: dict[str, Any] | str
                if isinstance(additional_property_item_data, ValidationErrorAdditionalPropertyItemType1):
                    additional_property_item = additional_property_item_data.to_dict()
                else:
                    additional_property_item = additional_property_item_data
                field_dict[prop_name].append(additional_property_item)

        field_dict.update(
            {
                "detail": detail,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.validation_error_additional_property_item_type_1 import ValidationErrorAdditionalPropertyItemType1  # noqa: PLC0415

        d = dict(src_dict)
        detail = d.pop("detail")

        validation_error = cls(
            detail=detail,
        )

        additional_properties = {}
        for prop_name, prop_dict in d.items():
            additional_property = []
            _additional_property = prop_dict
            for additional_property_item_data in _additional_property:

                def _parse_additional_property_item(data: object) -> str | ValidationErrorAdditionalPropertyItemType1:
                    try:
                        if not isinstance(data, dict):
                            raise TypeError()
                        additional_property_item_type_1 = ValidationErrorAdditionalPropertyItemType1.from_dict(data)

                        return additional_property_item_type_1
                    except (TypeError, ValueError, AttributeError, KeyError):
                        pass
                    return cast(str | ValidationErrorAdditionalPropertyItemType1, data)

                additional_property_item = _parse_additional_property_item(additional_property_item_data)

                additional_property.append(additional_property_item)

            additional_properties[prop_name] = additional_property

        validation_error.additional_properties = additional_properties
        return validation_error

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> list[str | ValidationErrorAdditionalPropertyItemType1]:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: list[str | ValidationErrorAdditionalPropertyItemType1]) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
