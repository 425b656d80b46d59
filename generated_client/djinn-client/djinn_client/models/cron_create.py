from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.cron_schedule import CronSchedule
from ..types import UNSET, Unset

T = TypeVar("T", bound="CronCreate")


@_attrs_define
class CronCreate:
    """
    Attributes:
        name (str): Unique per owner, or per namespace. Example: nightly.
        manifest (str): A build manifest (YAML); its `namespace:` places the cron job. Example: driver:
              type: os
            stages: [test]
            jobs:
            - stage: test
              commands: [make test]
            .
        schedule (CronSchedule | Unset): When the manifest is submitted: `daily` at 00:00 UTC, `weekly` on Mondays
            at 00:00 UTC, `monthly` on the 1st at 00:00 UTC.
    """

    name: str
    manifest: str
    schedule: CronSchedule | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        manifest = self.manifest

        schedule: str | Unset = UNSET
        if not isinstance(self.schedule, Unset):
            schedule = self.schedule.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
                "manifest": manifest,
            }
        )
        if schedule is not UNSET:
            field_dict["schedule"] = schedule

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        manifest = d.pop("manifest")

        _schedule = d.pop("schedule", UNSET)
        schedule: CronSchedule | Unset
        if isinstance(_schedule, Unset):
            schedule = UNSET
        else:
            schedule = CronSchedule(_schedule)

        cron_create = cls(
            name=name,
            manifest=manifest,
            schedule=schedule,
        )

        cron_create.additional_properties = d
        return cron_create

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
