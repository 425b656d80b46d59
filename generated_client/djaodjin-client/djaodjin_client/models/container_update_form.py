from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.dataset import Dataset
from ..types import UNSET, Unset

T = TypeVar("T", bound="ContainerUpdateForm")


@_attrs_define
class ContainerUpdateForm:
    """`ContainerUpdate` as a form: `env` is JSON text, and an empty value of a nullable field is `null`.

    Example:
        {'location': 'ghcr.io/djaodjin/djaopsp/livedemo:main'}

    Attributes:
        version (None | str | Unset): Version of DjaoApp templates to use with this app.
        location (None | str | Unset): Docker repository, as `repository:tag`.
        role_name (None | str | Unset): AWS Role ARN that grants DjaoDjin read access to your Docker repository.
        external_id (None | str | Unset): `ExternalId` in a form, where an empty value is `null`.
        env (str | Unset): `env` in an `application/x-www-form-urlencoded` body: the array as JSON text.
             Example: [{"name": "DEBUG", "value": "0"}].
        dataset (Dataset | Unset): Dataset used for accounts and billing (`testing` for a new container).
    """

    version: None | str | Unset = UNSET
    location: None | str | Unset = UNSET
    role_name: None | str | Unset = UNSET
    external_id: None | str | Unset = UNSET
    env: str | Unset = UNSET
    dataset: Dataset | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        version: None | str | Unset
        if isinstance(self.version, Unset):
            version = UNSET
        else:
            version = self.version

        location: None | str | Unset
        if isinstance(self.location, Unset):
            location = UNSET
        else:
            location = self.location

        role_name: None | str | Unset
        if isinstance(self.role_name, Unset):
            role_name = UNSET
        else:
            role_name = self.role_name

        external_id: None | str | Unset
        if isinstance(self.external_id, Unset):
            external_id = UNSET
        else:
            external_id = self.external_id

        env = self.env

        dataset: str | Unset = UNSET
        if not isinstance(self.dataset, Unset):
            dataset = self.dataset.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if version is not UNSET:
            field_dict["version"] = version
        if location is not UNSET:
            field_dict["location"] = location
        if role_name is not UNSET:
            field_dict["role_name"] = role_name
        if external_id is not UNSET:
            field_dict["external_id"] = external_id
        if env is not UNSET:
            field_dict["env"] = env
        if dataset is not UNSET:
            field_dict["dataset"] = dataset

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_version(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        version = _parse_version(d.pop("version", UNSET))

        def _parse_location(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        location = _parse_location(d.pop("location", UNSET))

        def _parse_role_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        role_name = _parse_role_name(d.pop("role_name", UNSET))

        def _parse_external_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        external_id = _parse_external_id(d.pop("external_id", UNSET))

        env = d.pop("env", UNSET)

        _dataset = d.pop("dataset", UNSET)
        dataset: Dataset | Unset
        if isinstance(_dataset, Unset):
            dataset = UNSET
        else:
            dataset = Dataset(_dataset)

        container_update_form = cls(
            version=version,
            location=location,
            role_name=role_name,
            external_id=external_id,
            env=env,
            dataset=dataset,
        )

        container_update_form.additional_properties = d
        return container_update_form

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
