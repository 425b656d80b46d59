from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.build_status import BuildStatus

if TYPE_CHECKING:
    from ..models.build_trigger import BuildTrigger
    from ..models.namespace import Namespace
    from ..models.user import User


T = TypeVar("T", bound="Build")


@_attrs_define
class Build:
    """
    Attributes:
        id (int):
        user_id (int): ID of the user who owns the build (the namespace owner for namespaced builds).
        namespace_id (int | None):
        number (int): The build's number, per owner.
        manifest (str): The normalised YAML manifest. A masked variable's value written in it (one the submitter has:
            theirs, or the namespace's) is shown as `xxxxxx`, here and in the jobs' `commands`; the build runs it as
            written.
        status (BuildStatus):
        output (None | str):
        tags (list[str]):
        pinned (bool):
        created_at (datetime.datetime):
        started_at (datetime.datetime | None):
        finished_at (datetime.datetime | None):
        url (str):
        objects_url (str):
        variables_url (str):
        jobs_url (str):
        artifacts_url (str):
        tags_url (str):
        trigger (BuildTrigger | None):
        user (None | User):
        namespace (Namespace | None):
    """

    id: int
    user_id: int
    namespace_id: int | None
    number: int
    manifest: str
    status: BuildStatus
    output: None | str
    tags: list[str]
    pinned: bool
    created_at: datetime.datetime
    started_at: datetime.datetime | None
    finished_at: datetime.datetime | None
    url: str
    objects_url: str
    variables_url: str
    jobs_url: str
    artifacts_url: str
    tags_url: str
    trigger: BuildTrigger | None
    user: None | User
    namespace: Namespace | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.build_trigger import BuildTrigger  # noqa: PLC0415
        from ..models.namespace import Namespace  # noqa: PLC0415
        from ..models.user import User  # noqa: PLC0415

        id = self.id

        user_id = self.user_id

        namespace_id: int | None
        namespace_id = self.namespace_id

        number = self.number

        manifest = self.manifest

        status = self.status.value

        output: None | str
        output = self.output

        tags = self.tags

        pinned = self.pinned

        created_at = self.created_at.isoformat()

        started_at: None | str
        if isinstance(self.started_at, datetime.datetime):
            started_at = self.started_at.isoformat()
        else:
            started_at = self.started_at

        finished_at: None | str
        if isinstance(self.finished_at, datetime.datetime):
            finished_at = self.finished_at.isoformat()
        else:
            finished_at = self.finished_at

        url = self.url

        objects_url = self.objects_url

        variables_url = self.variables_url

        jobs_url = self.jobs_url

        artifacts_url = self.artifacts_url

        tags_url = self.tags_url

        trigger: dict[str, Any] | None
        if isinstance(self.trigger, BuildTrigger):
            trigger = self.trigger.to_dict()
        else:
            trigger = self.trigger

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
                "user_id": user_id,
                "namespace_id": namespace_id,
                "number": number,
                "manifest": manifest,
                "status": status,
                "output": output,
                "tags": tags,
                "pinned": pinned,
                "created_at": created_at,
                "started_at": started_at,
                "finished_at": finished_at,
                "url": url,
                "objects_url": objects_url,
                "variables_url": variables_url,
                "jobs_url": jobs_url,
                "artifacts_url": artifacts_url,
                "tags_url": tags_url,
                "trigger": trigger,
                "user": user,
                "namespace": namespace,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.build_trigger import BuildTrigger  # noqa: PLC0415
        from ..models.namespace import Namespace  # noqa: PLC0415
        from ..models.user import User  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        user_id = d.pop("user_id")

        def _parse_namespace_id(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        namespace_id = _parse_namespace_id(d.pop("namespace_id"))

        number = d.pop("number")

        manifest = d.pop("manifest")

        status = BuildStatus(d.pop("status"))

        def _parse_output(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        output = _parse_output(d.pop("output"))

        tags = cast(list[str], d.pop("tags"))

        pinned = d.pop("pinned")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        def _parse_started_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                started_at_type_0 = datetime.datetime.fromisoformat(data)

                return started_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        started_at = _parse_started_at(d.pop("started_at"))

        def _parse_finished_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                finished_at_type_0 = datetime.datetime.fromisoformat(data)

                return finished_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        finished_at = _parse_finished_at(d.pop("finished_at"))

        url = d.pop("url")

        objects_url = d.pop("objects_url")

        variables_url = d.pop("variables_url")

        jobs_url = d.pop("jobs_url")

        artifacts_url = d.pop("artifacts_url")

        tags_url = d.pop("tags_url")

        def _parse_trigger(data: object) -> BuildTrigger | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                trigger_type_0 = BuildTrigger.from_dict(data)

                return trigger_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(BuildTrigger | None, data)

        trigger = _parse_trigger(d.pop("trigger"))

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

        build = cls(
            id=id,
            user_id=user_id,
            namespace_id=namespace_id,
            number=number,
            manifest=manifest,
            status=status,
            output=output,
            tags=tags,
            pinned=pinned,
            created_at=created_at,
            started_at=started_at,
            finished_at=finished_at,
            url=url,
            objects_url=objects_url,
            variables_url=variables_url,
            jobs_url=jobs_url,
            artifacts_url=artifacts_url,
            tags_url=tags_url,
            trigger=trigger,
            user=user,
            namespace=namespace,
        )

        build.additional_properties = d
        return build

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
