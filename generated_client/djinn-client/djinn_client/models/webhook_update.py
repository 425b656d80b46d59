from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.webhook_event import WebhookEvent
from ..types import UNSET, Unset

T = TypeVar("T", bound="WebhookUpdate")


@_attrs_define
class WebhookUpdate:
    """Omitted fields keep their value.

    Example:
        {'active': False}

    Attributes:
        payload_url (str | Unset):
        secret (str | Unset): A non-empty secret replaces the current one; empty keeps it.
        remove_secret (bool | Unset): Remove the secret; deliveries are then unsigned.
        ssl (bool | Unset):
        active (bool | Unset):
        events (list[WebhookEvent] | Unset):
    """

    payload_url: str | Unset = UNSET
    secret: str | Unset = UNSET
    remove_secret: bool | Unset = UNSET
    ssl: bool | Unset = UNSET
    active: bool | Unset = UNSET
    events: list[WebhookEvent] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        payload_url = self.payload_url

        secret = self.secret

        remove_secret = self.remove_secret

        ssl = self.ssl

        active = self.active

        events: list[str] | Unset = UNSET
        if not isinstance(self.events, Unset):
            events = []
            for events_item_data in self.events:
                events_item = events_item_data.value
                events.append(events_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if payload_url is not UNSET:
            field_dict["payload_url"] = payload_url
        if secret is not UNSET:
            field_dict["secret"] = secret
        if remove_secret is not UNSET:
            field_dict["remove_secret"] = remove_secret
        if ssl is not UNSET:
            field_dict["ssl"] = ssl
        if active is not UNSET:
            field_dict["active"] = active
        if events is not UNSET:
            field_dict["events"] = events

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        payload_url = d.pop("payload_url", UNSET)

        secret = d.pop("secret", UNSET)

        remove_secret = d.pop("remove_secret", UNSET)

        ssl = d.pop("ssl", UNSET)

        active = d.pop("active", UNSET)

        _events = d.pop("events", UNSET)
        events: list[WebhookEvent] | Unset = UNSET
        if _events is not UNSET:
            events = []
            for events_item_data in _events:
                events_item = WebhookEvent(events_item_data)

                events.append(events_item)

        webhook_update = cls(
            payload_url=payload_url,
            secret=secret,
            remove_secret=remove_secret,
            ssl=ssl,
            active=active,
            events=events,
        )

        webhook_update.additional_properties = d
        return webhook_update

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
