from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="BuildArtifact")


@_attrs_define
class BuildArtifact:
    """
    Attributes:
        id (int):
        user_id (int):
        build_id (int):
        job_id (int):
        source (str):
        name (str):
        size (int | None): Null until collected, and when missing or curated.
        md5 (None | str):
        sha256 (None | str):
        created_at (datetime.datetime):
        deleted_at (datetime.datetime | None): When curation removed its file.
        url (str):
        user (None):
        build (None):
        job (None):
    """

    id: int
    user_id: int
    build_id: int
    job_id: int
    source: str
    name: str
    size: int | None
    md5: None | str
    sha256: None | str
    created_at: datetime.datetime
    deleted_at: datetime.datetime | None
    url: str
    user: None
    build: None
    job: None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        user_id = self.user_id

        build_id = self.build_id

        job_id = self.job_id

        source = self.source

        name = self.name

        size: int | None
        size = self.size

        md5: None | str
        md5 = self.md5

        sha256: None | str
        sha256 = self.sha256

        created_at = self.created_at.isoformat()

        deleted_at: None | str
        if isinstance(self.deleted_at, datetime.datetime):
            deleted_at = self.deleted_at.isoformat()
        else:
            deleted_at = self.deleted_at

        url = self.url

        user = self.user

        build = self.build

        job = self.job

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "user_id": user_id,
                "build_id": build_id,
                "job_id": job_id,
                "source": source,
                "name": name,
                "size": size,
                "md5": md5,
                "sha256": sha256,
                "created_at": created_at,
                "deleted_at": deleted_at,
                "url": url,
                "user": user,
                "build": build,
                "job": job,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        user_id = d.pop("user_id")

        build_id = d.pop("build_id")

        job_id = d.pop("job_id")

        source = d.pop("source")

        name = d.pop("name")

        def _parse_size(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        size = _parse_size(d.pop("size"))

        def _parse_md5(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        md5 = _parse_md5(d.pop("md5"))

        def _parse_sha256(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        sha256 = _parse_sha256(d.pop("sha256"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        def _parse_deleted_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                deleted_at_type_0 = datetime.datetime.fromisoformat(data)

                return deleted_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        deleted_at = _parse_deleted_at(d.pop("deleted_at"))

        url = d.pop("url")

        user = d.pop("user")

        build = d.pop("build")

        job = d.pop("job")

        build_artifact = cls(
            id=id,
            user_id=user_id,
            build_id=build_id,
            job_id=job_id,
            source=source,
            name=name,
            size=size,
            md5=md5,
            sha256=sha256,
            created_at=created_at,
            deleted_at=deleted_at,
            url=url,
            user=user,
            build=build,
            job=job,
        )

        build_artifact.additional_properties = d
        return build_artifact

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
