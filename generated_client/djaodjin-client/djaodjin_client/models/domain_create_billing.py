from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.domain_update_authentication import DomainUpdateAuthentication
from ..types import UNSET, Unset

T = TypeVar("T", bound="DomainCreateBilling")


@_attrs_define
class DomainCreateBilling:
    """
    Example:
        {'slug': 'cowork-master', 'billing': 'cowork'}

    Attributes:
        slug (str): The slug of one of the organization's containers.
        domain (None | str | Unset): A host name, unique across every domain; stored lower case.
        ssl_certificate (None | str | Unset): PEM chain, leaf first, covering `domain`.
        ssl_certificate_key (None | str | Unset): Unencrypted PEM private key (RSA or EC) of the certificate. Never
            returned.
        from_email (None | str | Unset): E-mail address notifications come from.
        email_host (None | str | Unset): Host name of the SMTP server.
        email_port (int | None | Unset):
        email_host_user (None | str | Unset):
        email_host_password (None | str | Unset): Stored encrypted, never returned; `null` or `""` clears it.
        authentication (DomainUpdateAuthentication | Unset): Sign-in: 0 enabled, 1 login only (no registration), 2
            disabled.
        billing (str | Unset): The organization to create the domain in; the caller's personal
            organization when absent.
    """

    slug: str
    domain: None | str | Unset = UNSET
    ssl_certificate: None | str | Unset = UNSET
    ssl_certificate_key: None | str | Unset = UNSET
    from_email: None | str | Unset = UNSET
    email_host: None | str | Unset = UNSET
    email_port: int | None | Unset = UNSET
    email_host_user: None | str | Unset = UNSET
    email_host_password: None | str | Unset = UNSET
    authentication: DomainUpdateAuthentication | Unset = UNSET
    billing: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        slug = self.slug

        domain: None | str | Unset
        if isinstance(self.domain, Unset):
            domain = UNSET
        else:
            domain = self.domain

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

        billing = self.billing

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "slug": slug,
            }
        )
        if domain is not UNSET:
            field_dict["domain"] = domain
        if ssl_certificate is not UNSET:
            field_dict["ssl_certificate"] = ssl_certificate
        if ssl_certificate_key is not UNSET:
            field_dict["ssl_certificate_key"] = ssl_certificate_key
        if from_email is not UNSET:
            field_dict["from_email"] = from_email
        if email_host is not UNSET:
            field_dict["email_host"] = email_host
        if email_port is not UNSET:
            field_dict["email_port"] = email_port
        if email_host_user is not UNSET:
            field_dict["email_host_user"] = email_host_user
        if email_host_password is not UNSET:
            field_dict["email_host_password"] = email_host_password
        if authentication is not UNSET:
            field_dict["authentication"] = authentication
        if billing is not UNSET:
            field_dict["billing"] = billing

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        slug = d.pop("slug")

        def _parse_domain(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        domain = _parse_domain(d.pop("domain", UNSET))

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

        billing = d.pop("billing", UNSET)

        domain_create_billing = cls(
            slug=slug,
            domain=domain,
            ssl_certificate=ssl_certificate,
            ssl_certificate_key=ssl_certificate_key,
            from_email=from_email,
            email_host=email_host,
            email_port=email_port,
            email_host_user=email_host_user,
            email_host_password=email_host_password,
            authentication=authentication,
            billing=billing,
        )

        domain_create_billing.additional_properties = d
        return domain_create_billing

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
