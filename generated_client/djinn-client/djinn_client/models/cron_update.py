from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.cron_schedule import CronSchedule
from ..types import UNSET, Unset

T = TypeVar("T", bound="CronUpdate")


@_attrs_define
class CronUpdate:
    """Omitted fields keep their value; so do an empty `name` and an empty manifest.

    Example:
        {'schedule': 'weekly'}

    Attributes:
        name (str | Unset): `""` keeps the current name.
        schedule (CronSchedule | Unset): When the manifest is submitted: `daily` at 00:00 UTC, `weekly` on Mondays
            at 00:00 UTC, `monthly` on the 1st at 00:00 UTC.
        manifest (str | Unset): `""`, or a manifest whose every field is empty, keeps the current manifest.
    """

    name: str | Unset = UNSET
    schedule: CronSchedule | Unset = UNSET
    manifest: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        schedule: str | Unset = UNSET
        if not isinstance(self.schedule, Unset):
            schedule = self.schedule.value

        manifest = self.manifest

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if name is not UNSET:
            field_dict["name"] = name
        if schedule is not UNSET:
            field_dict["schedule"] = schedule
        if manifest is not UNSET:
            field_dict["manifest"] = manifest

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name", UNSET)

        _schedule = d.pop("schedule", UNSET)
        schedule: CronSchedule | Unset
        if isinstance(_schedule, Unset):
            schedule = UNSET
        else:
            schedule = CronSchedule(_schedule)

        manifest = d.pop("manifest", UNSET)

        cron_update = cls(
            name=name,
            schedule=schedule,
            manifest=manifest,
        )

        cron_update.additional_properties = d
        return cron_update

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
