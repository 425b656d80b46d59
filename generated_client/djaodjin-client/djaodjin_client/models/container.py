from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.dataset import Dataset

if TYPE_CHECKING:
    from ..models.variable import Variable


T = TypeVar("T", bound="Container")


@_attrs_define
class Container:
    """
    Example:
        {'slug': 'cowork-master', 'version': '2026-02-23', 'location': '01.dkr.ecr.us-
            west-2.amazonaws.com/cowork:master', 'role_name': 'arn:aws:iam::123456789012:role/cowork-deploy', 'external_id':
            'Xa7kPq2mRt9vWb3cYd4eZf5gHj6kMn8p', 'env': [{'name': 'DEBUG', 'value': '0'}], 'dataset': 'testing'}

    Attributes:
        slug (str): Unique identifier for the site (also serves as subdomain).
        version (None | str): Version of DjaoApp templates to use with this app.
        location (None | str): Docker repository, as `repository:tag`.
        role_name (None | str): AWS Role ARN that grants DjaoDjin read access to your Docker repository.
        external_id (None | str): The STS external id that goes with `role_name`.
        env (list[Variable]):
        dataset (Dataset): Dataset used for accounts and billing (`testing` for a new container).
    """

    slug: str
    version: None | str
    location: None | str
    role_name: None | str
    external_id: None | str
    env: list[Variable]
    dataset: Dataset
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        slug = self.slug

        version: None | str
        version = self.version

        location: None | str
        location = self.location

        role_name: None | str
        role_name = self.role_name

        external_id: None | str
        external_id = self.external_id

        env = []
        for env_item_data in self.env:
            env_item = env_item_data.to_dict()
            env.append(env_item)

        dataset = self.dataset.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "slug": slug,
                "version": version,
                "location": location,
                "role_name": role_name,
                "external_id": external_id,
                "env": env,
                "dataset": dataset,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.variable import Variable  # noqa: PLC0415

        d = dict(src_dict)
        slug = d.pop("slug")

        def _parse_version(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        version = _parse_version(d.pop("version"))

        def _parse_location(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        location = _parse_location(d.pop("location"))

        def _parse_role_name(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        role_name = _parse_role_name(d.pop("role_name"))

        def _parse_external_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        external_id = _parse_external_id(d.pop("external_id"))

        env = []
        _env = d.pop("env")
        for env_item_data in _env:
            env_item = Variable.from_dict(env_item_data)

            env.append(env_item)

        dataset = Dataset(d.pop("dataset"))

        container = cls(
            slug=slug,
            version=version,
            location=location,
            role_name=role_name,
            external_id=external_id,
            env=env,
            dataset=dataset,
        )

        container.additional_properties = d
        return container

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
