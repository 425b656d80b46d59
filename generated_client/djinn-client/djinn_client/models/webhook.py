from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.webhook_event import WebhookEvent

if TYPE_CHECKING:
    from ..models.namespace import Namespace
    from ..models.webhook_delivery import WebhookDelivery


T = TypeVar("T", bound="Webhook")


@_attrs_define
class Webhook:
    """A webhook. Its secret is never returned.

    Example:
        {'id': 1, 'user_id': 1, 'author_id': 1, 'namespace_id': 1, 'payload_url': 'https://hooks.example.com/djinn',
            'ssl': True, 'events': ['objects', 'namespaces'], 'active': True, 'has_secret': True, 'created_at':
            '2026-11-23T10:15:00.123456Z', 'url': 'https://genie.example.com/djinn/n/alice/djinn/-/webhooks/1', 'namespace':
            {'id': 1, 'user_id': 1, 'root_id': 1, 'parent_id': None, 'name': 'djinn', 'path': 'djinn', 'description': '',
            'visibility': 'private', 'level': 0, 'created_at': '2026-11-23T10:15:00.123456Z', 'url':
            'https://genie.example.com/djinn/n/alice/djinn', 'builds_url':
            'https://genie.example.com/djinn/n/alice/djinn/-/builds', 'namespaces_url':
            'https://genie.example.com/djinn/n/alice/djinn/-/namespaces', 'images_url':
            'https://genie.example.com/djinn/n/alice/djinn/-/images', 'objects_url':
            'https://genie.example.com/djinn/n/alice/djinn/-/objects', 'variables_url':
            'https://genie.example.com/djinn/n/alice/djinn/-/variables', 'keys_url':
            'https://genie.example.com/djinn/n/alice/djinn/-/keys', 'invites_url':
            'https://genie.example.com/djinn/n/alice/djinn/-/invites', 'collaborators_url':
            'https://genie.example.com/djinn/n/alice/djinn/-/collaborators', 'webhooks_url':
            'https://genie.example.com/djinn/n/alice/djinn/-/webhooks'}, 'last_response': {'code': 200, 'error': None,
            'duration': 41000000, 'created_at': '2026-11-23T10:16:00.123456Z'}}

    Attributes:
        id (int):
        user_id (int): ID of the namespace's owner.
        author_id (int): ID of the user who created the webhook.
        namespace_id (int):
        payload_url (str):
        ssl (bool): Whether the receiver's TLS certificate is verified.
        events (list[WebhookEvent]): The events delivered; empty means every event.
        active (bool):
        has_secret (bool): Whether deliveries are signed (`X-Djinn-CI-Signature`).
        created_at (datetime.datetime):
        url (str):
        namespace (Namespace): A namespace, as embedded in other entities. Example: {'id': 1, 'user_id': 1, 'root_id':
            1, 'parent_id': None, 'name': 'djinn', 'path': 'djinn', 'description': '', 'visibility': 'private', 'level': 0,
            'created_at': '2026-11-23T10:15:00.123456Z', 'url': 'https://genie.example.com/djinn/n/alice/djinn',
            'builds_url': 'https://genie.example.com/djinn/n/alice/djinn/-/builds', 'namespaces_url':
            'https://genie.example.com/djinn/n/alice/djinn/-/namespaces', 'images_url':
            'https://genie.example.com/djinn/n/alice/djinn/-/images', 'objects_url':
            'https://genie.example.com/djinn/n/alice/djinn/-/objects', 'variables_url':
            'https://genie.example.com/djinn/n/alice/djinn/-/variables', 'keys_url':
            'https://genie.example.com/djinn/n/alice/djinn/-/keys', 'invites_url':
            'https://genie.example.com/djinn/n/alice/djinn/-/invites', 'collaborators_url':
            'https://genie.example.com/djinn/n/alice/djinn/-/collaborators', 'webhooks_url':
            'https://genie.example.com/djinn/n/alice/djinn/-/webhooks'}.
        last_response (None | WebhookDelivery): The last delivery attempt; null before the first.
    """

    id: int
    user_id: int
    author_id: int
    namespace_id: int
    payload_url: str
    ssl: bool
    events: list[WebhookEvent]
    active: bool
    has_secret: bool
    created_at: datetime.datetime
    url: str
    namespace: Namespace
    last_response: None | WebhookDelivery
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.webhook_delivery import WebhookDelivery  # noqa: PLC0415

        id = self.id

        user_id = self.user_id

        author_id = self.author_id

        namespace_id = self.namespace_id

        payload_url = self.payload_url

        ssl = self.ssl

        events = []
        for events_item_data in self.events:
            events_item = events_item_data.value
            events.append(events_item)

        active = self.active

        has_secret = self.has_secret

        created_at = self.created_at.isoformat()

        url = self.url

        namespace = self.namespace.to_dict()

        last_response: dict[str, Any] | None
        if isinstance(self.last_response, WebhookDelivery):
            last_response = self.last_response.to_dict()
        else:
            last_response = self.last_response

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "user_id": user_id,
                "author_id": author_id,
                "namespace_id": namespace_id,
                "payload_url": payload_url,
                "ssl": ssl,
                "events": events,
                "active": active,
                "has_secret": has_secret,
                "created_at": created_at,
                "url": url,
                "namespace": namespace,
                "last_response": last_response,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.namespace import Namespace  # noqa: PLC0415
        from ..models.webhook_delivery import WebhookDelivery  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        user_id = d.pop("user_id")

        author_id = d.pop("author_id")

        namespace_id = d.pop("namespace_id")

        payload_url = d.pop("payload_url")

        ssl = d.pop("ssl")

        events = []
        _events = d.pop("events")
        for events_item_data in _events:
            events_item = WebhookEvent(events_item_data)

            events.append(events_item)

        active = d.pop("active")

        has_secret = d.pop("has_secret")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        url = d.pop("url")

        namespace = Namespace.from_dict(d.pop("namespace"))

        def _parse_last_response(data: object) -> None | WebhookDelivery:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                last_response_type_0 = WebhookDelivery.from_dict(data)

                return last_response_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | WebhookDelivery, data)

        last_response = _parse_last_response(d.pop("last_response"))

        webhook = cls(
            id=id,
            user_id=user_id,
            author_id=author_id,
            namespace_id=namespace_id,
            payload_url=payload_url,
            ssl=ssl,
            events=events,
            active=active,
            has_secret=has_secret,
            created_at=created_at,
            url=url,
            namespace=namespace,
            last_response=last_response,
        )

        webhook.additional_properties = d
        return webhook

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
