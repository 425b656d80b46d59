from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.domain_update_authentication import DomainUpdateAuthentication
from ..types import UNSET, Unset

T = TypeVar("T", bound="DomainMail")


@_attrs_define
class DomainMail:
    """A domain's SMTP account and sign-in setting, as a request sets them.

    Attributes:
        email_port (int | None | Unset):
        email_host_user (None | str | Unset):
        email_host_password (None | str | Unset): Stored encrypted, never returned; `null` or `""` clears it.
        authentication (DomainUpdateAuthentication | Unset): Sign-in: 0 enabled, 1 login only (no registration), 2
            disabled.
    """

    email_port: int | None | Unset = UNSET
    email_host_user: None | str | Unset = UNSET
    email_host_password: None | str | Unset = UNSET
    authentication: DomainUpdateAuthentication | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        email_port: int | None | Unset
        if isinstance(self.email_port, Unset):
            email_port = UNSET
        else:
            email_port = self.email_port

        email_host_user: None | str | Unset
        if isinstance(self.email_host_user, Unset):
            email_host_user = UNSET
        else:
            email_host_user = self.email_host_user

        email_host_password: None | str | Unset
        if isinstance(self.email_host_password, Unset):
            email_host_password = UNSET
        else:
            email_host_password = self.email_host_password

        authentication: int | Unset = UNSET
        if not isinstance(self.authentication, Unset):
            authentication = self.authentication.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if email_port is not UNSET:
            field_dict["email_port"] = email_port
        if email_host_user is not UNSET:
            field_dict["email_host_user"] = email_host_user
        if email_host_password is not UNSET:
            field_dict["email_host_password"] = email_host_password
        if authentication is not UNSET:
            field_dict["authentication"] = authentication

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_email_port(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        email_port = _parse_email_port(d.pop("email_port", UNSET))

        def _parse_email_host_user(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        email_host_user = _parse_email_host_user(d.pop("email_host_user", UNSET))

        def _parse_email_host_password(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        email_host_password = _parse_email_host_password(d.pop("email_host_password", UNSET))

        _authentication = d.pop("authentication", UNSET)
        authentication: DomainUpdateAuthentication | Unset
        if isinstance(_authentication, Unset):
            authentication = UNSET
        else:
            authentication = DomainUpdateAuthentication(_authentication)

        domain_mail = cls(
            email_port=email_port,
            email_host_user=email_host_user,
            email_host_password=email_host_password,
            authentication=authentication,
        )

        domain_mail.additional_properties = d
        return domain_mail

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
