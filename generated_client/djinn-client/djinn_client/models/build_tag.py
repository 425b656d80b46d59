from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.build import Build
    from ..models.user import User


T = TypeVar("T", bound="BuildTag")


@_attrs_define
class BuildTag:
    """
    Attributes:
        user_id (int): Who tagged the build.
        build_id (int):
        name (str):
        created_at (datetime.datetime):
        url (str):
        user (None | User):
        build (Build):
    """

    user_id: int
    build_id: int
    name: str
    created_at: datetime.datetime
    url: str
    user: None | User
    build: Build
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.user import User  # noqa: PLC0415

        user_id = self.user_id

        build_id = self.build_id

        name = self.name

        created_at = self.created_at.isoformat()

        url = self.url

        user: dict[str, Any] | None
        if isinstance(self.user, User):
            user = self.user.to_dict()
        else:
            user = self.user

        build = self.build.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "user_id": user_id,
                "build_id": build_id,
                "name": name,
                "created_at": created_at,
                "url": url,
                "user": user,
                "build": build,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.build import Build  # noqa: PLC0415
        from ..models.user import User  # noqa: PLC0415

        d = dict(src_dict)
        user_id = d.pop("user_id")

        build_id = d.pop("build_id")

        name = d.pop("name")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        url = d.pop("url")

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

        build = Build.from_dict(d.pop("build"))

        build_tag = cls(
            user_id=user_id,
            build_id=build_id,
            name=name,
            created_at=created_at,
            url=url,
            user=user,
            build=build,
        )

        build_tag.additional_properties = d
        return build_tag

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
