from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.cron_schedule import CronSchedule

if TYPE_CHECKING:
    from ..models.namespace import Namespace
    from ..models.user import User


T = TypeVar("T", bound="Cron")


@_attrs_define
class Cron:
    """A build manifest submitted on a schedule.

    Example:
        {'id': 1, 'author_id': 1, 'user_id': 1, 'namespace_id': None, 'name': 'nightly', 'schedule': 'daily',
            'manifest': 'driver:\\n  type: os\\nstages:\\n- test\\njobs:\\n- stage: test\\n  commands:\\n  - make test\\n',
            'prev_run': None, 'next_run': '2026-11-24T00:00:00Z', 'created_at': '2026-11-23T10:15:00.123456Z', 'url':
            'https://genie.example.com/djinn/cron/1', 'builds_url': 'https://genie.example.com/djinn/cron/1/builds',
            'author': {'email': 'alice@example.com', 'username': 'alice', 'created_at': '2026-11-23T10:15:00.123456Z'},
            'user': {'email': 'alice@example.com', 'username': 'alice', 'created_at': '2026-11-23T10:15:00.123456Z'},
            'namespace': None}

    Attributes:
        id (int):
        author_id (int): ID of the user who wrote the manifest; scheduled builds are theirs.
        user_id (int): ID of the owner (the namespace's owner for a cron job in a namespace).
        namespace_id (int | None): ID of the manifest's namespace.
        name (str):
        schedule (CronSchedule): When the manifest is submitted: `daily` at 00:00 UTC, `weekly` on Mondays
            at 00:00 UTC, `monthly` on the 1st at 00:00 UTC.
        manifest (str): The normalised YAML manifest. A masked variable's value written in it (one the submitter has:
            theirs, or the namespace's) is shown as `xxxxxx`, here and in the jobs' `commands`; the build runs it as
            written.
        prev_run (datetime.datetime | None): When it last submitted a build; null before the first.
        next_run (datetime.datetime): When it submits its next build (the start of the next UTC period).
        created_at (datetime.datetime):
        url (str):
        builds_url (str): The API URL of the builds it submitted.
        author (None | User):
        user (None | User):
        namespace (Namespace | None):
    """

    id: int
    author_id: int
    user_id: int
    namespace_id: int | None
    name: str
    schedule: CronSchedule
    manifest: str
    prev_run: datetime.datetime | None
    next_run: datetime.datetime
    created_at: datetime.datetime
    url: str
    builds_url: str
    author: None | User
    user: None | User
    namespace: Namespace | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.namespace import Namespace  # noqa: PLC0415
        from ..models.user import User  # noqa: PLC0415

        id = self.id

        author_id = self.author_id

        user_id = self.user_id

        namespace_id: int | None
        namespace_id = self.namespace_id

        name = self.name

        schedule = self.schedule.value

        manifest = self.manifest

        prev_run: None | str
        if isinstance(self.prev_run, datetime.datetime):
            prev_run = self.prev_run.isoformat()
        else:
            prev_run = self.prev_run

        next_run = self.next_run.isoformat()

        created_at = self.created_at.isoformat()

        url = self.url

        builds_url = self.builds_url

        author: dict[str, Any] | None
        if isinstance(self.author, User):
            author = self.author.to_dict()
        else:
            author = self.author

        user: dict[str, Any] | None
        if isinstance(self.user, User):
            user = self.user.to_dict()
        else:
            user = self.user

        namespace: dict[str, Any] | None
        if isinstance(self.namespace, Namespace):
            namespace = self.namespace.to_dict()
        else:
            namespace = self.namespace

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "author_id": author_id,
                "user_id": user_id,
                "namespace_id": namespace_id,
                "name": name,
                "schedule": schedule,
                "manifest": manifest,
                "prev_run": prev_run,
                "next_run": next_run,
                "created_at": created_at,
                "url": url,
                "builds_url": builds_url,
                "author": author,
                "user": user,
                "namespace": namespace,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.namespace import Namespace  # noqa: PLC0415
        from ..models.user import User  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        author_id = d.pop("author_id")

        user_id = d.pop("user_id")

        def _parse_namespace_id(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        namespace_id = _parse_namespace_id(d.pop("namespace_id"))

        name = d.pop("name")

        schedule = CronSchedule(d.pop("schedule"))

        manifest = d.pop("manifest")

        def _parse_prev_run(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                prev_run_type_0 = datetime.datetime.fromisoformat(data)

                return prev_run_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        prev_run = _parse_prev_run(d.pop("prev_run"))

        next_run = datetime.datetime.fromisoformat(d.pop("next_run"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        url = d.pop("url")

        builds_url = d.pop("builds_url")

        def _parse_author(data: object) -> None | User:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                author_type_0 = User.from_dict(data)

                return author_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | User, data)

        author = _parse_author(d.pop("author"))

        def _parse_user(data: object) -> None | User:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                user_type_0 = User.from_dict(data)

                return user_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | User, data)

        user = _parse_user(d.pop("user"))

        def _parse_namespace(data: object) -> Namespace | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                namespace_type_0 = Namespace.from_dict(data)

                return namespace_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Namespace | None, data)

        namespace = _parse_namespace(d.pop("namespace"))

        cron = cls(
            id=id,
            author_id=author_id,
            user_id=user_id,
            namespace_id=namespace_id,
            name=name,
            schedule=schedule,
            manifest=manifest,
            prev_run=prev_run,
            next_run=next_run,
            created_at=created_at,
            url=url,
            builds_url=builds_url,
            author=author,
            user=user,
            namespace=namespace,
        )

        cron.additional_properties = d
        return cron

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
