from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.webhook_event import WebhookEvent
from ..types import UNSET, Unset

T = TypeVar("T", bound="WebhookCreate")


@_attrs_define
class WebhookCreate:
    """
    Example:
        {'payload_url': 'https://hooks.example.com/djinn', 'secret': 's3cr3t', 'events': ['objects']}

    Attributes:
        payload_url (str): An http or https URL with a host. Example: https://hooks.example.com/djinn.
        secret (str | Unset): Signs every delivery: `X-Djinn-CI-Signature: sha256=<hex HMAC-SHA256 of
            the body>`. Stored encrypted, never returned. Empty means none.
        ssl (bool | Unset): Verify the receiver's TLS certificate. Defaults to true for https URLs; must be false for
            http.
        active (bool | Unset):  Default: True.
        events (list[WebhookEvent] | Unset): The events to deliver; empty or omitted means every event.
    """

    payload_url: str
    secret: str | Unset = UNSET
    ssl: bool | Unset = UNSET
    active: bool | Unset = True
    events: list[WebhookEvent] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        payload_url = self.payload_url

        secret = self.secret

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
        field_dict.update(
            {
                "payload_url": payload_url,
            }
        )
        if secret is not UNSET:
            field_dict["secret"] = secret
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
        payload_url = d.pop("payload_url")

        secret = d.pop("secret", UNSET)

        ssl = d.pop("ssl", UNSET)

        active = d.pop("active", UNSET)

        _events = d.pop("events", UNSET)
        events: list[WebhookEvent] | Unset = UNSET
        if _events is not UNSET:
            events = []
            for events_item_data in _events:
                events_item = WebhookEvent(events_item_data)

                events.append(events_item)

        webhook_create = cls(
            payload_url=payload_url,
            secret=secret,
            ssl=ssl,
            active=active,
            events=events,
        )

        webhook_create.additional_properties = d
        return webhook_create

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
