from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="DomainSenderForm")


@_attrs_define
class DomainSenderForm:
    """
    Attributes:
        from_email (None | str | Unset): `FromEmail` in a form, where an empty value is `null`.
        email_host (None | str | Unset): `EmailHost` in a form, where an empty value is `null`.
    """

    from_email: None | str | Unset = UNSET
    email_host: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from_email: None | str | Unset
        if isinstance(self.from_email, Unset):
            from_email = UNSET
        else:
            from_email = self.from_email

        email_host: None | str | Unset
        if isinstance(self.email_host, Unset):
            email_host = UNSET
        else:
            email_host = self.email_host

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if from_email is not UNSET:
            field_dict["from_email"] = from_email
        if email_host is not UNSET:
            field_dict["email_host"] = email_host

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_from_email(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        from_email = _parse_from_email(d.pop("from_email", UNSET))

        def _parse_email_host(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        email_host = _parse_email_host(d.pop("email_host", UNSET))

        domain_sender_form = cls(
            from_email=from_email,
            email_host=email_host,
        )

        domain_sender_form.additional_properties = d
        return domain_sender_form

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
