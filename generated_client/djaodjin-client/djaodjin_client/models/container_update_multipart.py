from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from .. import types
from ..models.dataset import Dataset
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.variable import Variable


T = TypeVar("T", bound="ContainerUpdateMultipart")


@_attrs_define
class ContainerUpdateMultipart:
    """`ContainerUpdate` as multipart: `env` is one JSON part per variable, or one
    JSON part holding the array; an empty part of a nullable field is `null`.

        Attributes:
            version (None | str | Unset): Version of DjaoApp templates to use with this app.
            location (None | str | Unset): Docker repository, as `repository:tag`.
            role_name (None | str | Unset): AWS Role ARN that grants DjaoDjin read access to your Docker repository.
            external_id (None | str | Unset): `ExternalId` in a form, where an empty value is `null`.
            env (list[Variable] | Unset): The container's environment; a request's list replaces every variable.
                Names are unique.
            dataset (Dataset | Unset): Dataset used for accounts and billing (`testing` for a new container).
    """

    version: None | str | Unset = UNSET
    location: None | str | Unset = UNSET
    role_name: None | str | Unset = UNSET
    external_id: None | str | Unset = UNSET
    env: list[Variable] | Unset = UNSET
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

        env: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.env, Unset):
            env = []
            for componentsschemas_env_item_data in self.env:
                componentsschemas_env_item = componentsschemas_env_item_data.to_dict()
                env.append(componentsschemas_env_item)

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

    def to_multipart(self) -> types.RequestFiles:
        files: types.RequestFiles = []

        if not isinstance(self.version, Unset):
            if isinstance(self.version, str):
                files.append(("version", (None, str(self.version).encode(), "text/plain")))
            else:
                files.append(("version", (None, str(self.version).encode(), "text/plain")))

        if not isinstance(self.location, Unset):
            if isinstance(self.location, str):
                files.append(("location", (None, str(self.location).encode(), "text/plain")))
            else:
                files.append(("location", (None, str(self.location).encode(), "text/plain")))

        if not isinstance(self.role_name, Unset):
            if isinstance(self.role_name, str):
                files.append(("role_name", (None, str(self.role_name).encode(), "text/plain")))
            else:
                files.append(("role_name", (None, str(self.role_name).encode(), "text/plain")))

        if not isinstance(self.external_id, Unset):
            if isinstance(self.external_id, str):
                files.append(("external_id", (None, str(self.external_id).encode(), "text/plain")))
            else:
                files.append(("external_id", (None, str(self.external_id).encode(), "text/plain")))

        if not isinstance(self.env, Unset):
            for componentsschemas_env_item_element in self.env:
                files.append(
                    (
                        "env",
                        (None, json.dumps(componentsschemas_env_item_element.to_dict()).encode(), "application/json"),
                    )
                )

        if not isinstance(self.dataset, Unset):
            files.append(("dataset", (None, str(self.dataset.value).encode(), "text/plain")))

        for prop_name, prop in self.additional_properties.items():
            files.append((prop_name, (None, str(prop).encode(), "text/plain")))

        return files

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.variable import Variable  # noqa: PLC0415

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

        _env = d.pop("env", UNSET)
        env: list[Variable] | Unset = UNSET
        if _env is not UNSET:
            env = []
            for componentsschemas_env_item_data in _env:
                componentsschemas_env_item = Variable.from_dict(componentsschemas_env_item_data)

                env.append(componentsschemas_env_item)

        _dataset = d.pop("dataset", UNSET)
        dataset: Dataset | Unset
        if isinstance(_dataset, Unset):
            dataset = UNSET
        else:
            dataset = Dataset(_dataset)

        container_update_multipart = cls(
            version=version,
            location=location,
            role_name=role_name,
            external_id=external_id,
            env=env,
            dataset=dataset,
        )

        container_update_multipart.additional_properties = d
        return container_update_multipart

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
