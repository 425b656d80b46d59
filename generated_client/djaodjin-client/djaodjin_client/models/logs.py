from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="Logs")


@_attrs_define
class Logs:
    """
    Example:
        {'content': '2026-11-23T12:00:00Z deploy 1 queued (create):
            ghcr.io/djaodjin/djaopsp/livedemo:main\\n2026-11-23T12:00:01Z deploy 1 pulling
            ghcr.io/djaodjin/djaopsp/livedemo:main\\n2026-11-23T12:00:02Z deploy 1 running\\n'}

    Attributes:
        content (str): Last log entries from the container, oldest first.
    """

    content: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        content = self.content

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "content": content,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        content = d.pop("content")

        logs = cls(
            content=content,
        )

        logs.additional_properties = d
        return logs

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
