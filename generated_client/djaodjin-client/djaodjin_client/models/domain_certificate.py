from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="DomainCertificate")


@_attrs_define
class DomainCertificate:
    """A domain's custom certificate, as a request sets it.

    Attributes:
        ssl_certificate (None | str | Unset): PEM chain, leaf first, covering `domain`.
        ssl_certificate_key (None | str | Unset): Unencrypted PEM private key (RSA or EC) of the certificate. Never
            returned.
    """

    ssl_certificate: None | str | Unset = UNSET
    ssl_certificate_key: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        ssl_certificate: None | str | Unset
        if isinstance(self.ssl_certificate, Unset):
            ssl_certificate = UNSET
        else:
            ssl_certificate = self.ssl_certificate

        ssl_certificate_key: None | str | Unset
        if isinstance(self.ssl_certificate_key, Unset):
            ssl_certificate_key = UNSET
        else:
            ssl_certificate_key = self.ssl_certificate_key

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if ssl_certificate is not UNSET:
            field_dict["ssl_certificate"] = ssl_certificate
        if ssl_certificate_key is not UNSET:
            field_dict["ssl_certificate_key"] = ssl_certificate_key

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_ssl_certificate(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        ssl_certificate = _parse_ssl_certificate(d.pop("ssl_certificate", UNSET))

        def _parse_ssl_certificate_key(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        ssl_certificate_key = _parse_ssl_certificate_key(d.pop("ssl_certificate_key", UNSET))

        domain_certificate = cls(
            ssl_certificate=ssl_certificate,
            ssl_certificate_key=ssl_certificate_key,
        )

        domain_certificate.additional_properties = d
        return domain_certificate

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
