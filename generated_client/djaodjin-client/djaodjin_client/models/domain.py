from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.domain_authentication import DomainAuthentication
from ..models.domain_cert_type import DomainCertType
from ..models.domain_state import DomainState

T = TypeVar("T", bound="Domain")


@_attrs_define
class Domain:
    """
    Example:
        {'slug': 'cowork-master', 'domain': 'cowork.example.com', 'url': 'https://cowork.example.com/',
            'ssl_certificate': None, 'cert_type': 'default', 'from_email': 'support@example.com', 'email_host':
            'smtp.example.com', 'email_port': 587, 'email_host_user': 'support@example.com', 'authentication': 0, 'billing':
            'cowork', 'state': 'pending'}

    Attributes:
        slug (str): The slug of the container the domain fronts.
        domain (None | str): The custom host name; `null` serves `<slug>.djaoapp.com`.
        url (str): Where the site is served.
        ssl_certificate (None | str): The public full-chain PEM of the custom TLS certificate; `null` for the
            platform's certificate.
        cert_type (DomainCertType): `default`: provided by DjaoDjin; `custom`: uploaded by a user.
        from_email (None | str): E-mail address notifications come from.
        email_host (None | str): Host name of the SMTP server.
        email_port (int | None): Port of the SMTP server.
        email_host_user (None | str): Username to authenticate with the SMTP server.
        authentication (DomainAuthentication): Sign-in: 0 enabled, 1 login only (no registration), 2 disabled.
        billing (str): The slug of the organization that owns the domain.
        state (DomainState): `active`: served on the default subdomain, or with a valid custom
            certificate; `pending`: a custom domain awaits its certificate (or the
            certificate is not valid yet); `expired`: the certificate has expired.
    """

    slug: str
    domain: None | str
    url: str
    ssl_certificate: None | str
    cert_type: DomainCertType
    from_email: None | str
    email_host: None | str
    email_port: int | None
    email_host_user: None | str
    authentication: DomainAuthentication
    billing: str
    state: DomainState
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        slug = self.slug

        domain: None | str
        domain = self.domain

        url = self.url

        ssl_certificate: None | str
        ssl_certificate = self.ssl_certificate

        cert_type = self.cert_type.value

        from_email: None | str
        from_email = self.from_email

        email_host: None | str
        email_host = self.email_host

        email_port: int | None
        email_port = self.email_port

        email_host_user: None | str
        email_host_user = self.email_host_user

        authentication = self.authentication.value

        billing = self.billing

        state = self.state.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "slug": slug,
                "domain": domain,
                "url": url,
                "ssl_certificate": ssl_certificate,
                "cert_type": cert_type,
                "from_email": from_email,
                "email_host": email_host,
                "email_port": email_port,
                "email_host_user": email_host_user,
                "authentication": authentication,
                "billing": billing,
                "state": state,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        slug = d.pop("slug")

        def _parse_domain(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        domain = _parse_domain(d.pop("domain"))

        url = d.pop("url")

        def _parse_ssl_certificate(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        ssl_certificate = _parse_ssl_certificate(d.pop("ssl_certificate"))

        cert_type = DomainCertType(d.pop("cert_type"))

        def _parse_from_email(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        from_email = _parse_from_email(d.pop("from_email"))

        def _parse_email_host(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        email_host = _parse_email_host(d.pop("email_host"))

        def _parse_email_port(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        email_port = _parse_email_port(d.pop("email_port"))

        def _parse_email_host_user(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        email_host_user = _parse_email_host_user(d.pop("email_host_user"))

        authentication = DomainAuthentication(d.pop("authentication"))

        billing = d.pop("billing")

        state = DomainState(d.pop("state"))

        domain = cls(
            slug=slug,
            domain=domain,
            url=url,
            ssl_certificate=ssl_certificate,
            cert_type=cert_type,
            from_email=from_email,
            email_host=email_host,
            email_port=email_port,
            email_host_user=email_host_user,
            authentication=authentication,
            billing=billing,
            state=state,
        )

        domain.additional_properties = d
        return domain

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
