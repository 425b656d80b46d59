from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="KeyCreate")


@_attrs_define
class KeyCreate:
    """
    Example:
        {'name': 'id_deploy', 'key': '-----BEGIN OPENSSH PRIVATE KEY-----\\n...\\n-----END OPENSSH PRIVATE KEY-----\\n',
            'config': 'Host github.com\\n  User git\\n'}

    Attributes:
        name (str): The key's file name in a build's `~/.ssh`; whitespace becomes `_`.
            Letters, digits, `.`, `_` and `-`, but not `.` or `..`.
             Example: id_deploy.
        key (str): The private key, as `ssh-keygen` writes it (OpenSSH or PEM), without a
            passphrase. Stored encrypted; never returned.
             Example: -----BEGIN OPENSSH PRIVATE KEY-----
            ...
            -----END OPENSSH PRIVATE KEY-----
            .
        namespace (str | Unset): The namespace to put the resource in, as `path[@owner]`; empty or omitted
            for a personal resource. `proj/sub` is one of the caller's namespaces;
            the missing ones are created (private, or with their root's visibility)
            once the rest of the request is valid. `proj@alice` is a namespace of
            `alice` whose tree the caller collaborates on; nothing is ever created in
            another user's account. A resource in a namespace belongs to the
            namespace's owner. A namespace the caller may not use gives `400
            {"namespace": ["Namespace permission denied"]}`.
             Example: djinn.
        config (str | Unset): An ssh_config snippet for the key (`Host`, `User`, ...). Default: ''. Example: Host
            github.com
              User git
            .
    """

    name: str
    key: str
    namespace: str | Unset = UNSET
    config: str | Unset = ""
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        key = self.key

        namespace = self.namespace

        config = self.config

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
                "key": key,
            }
        )
        if namespace is not UNSET:
            field_dict["namespace"] = namespace
        if config is not UNSET:
            field_dict["config"] = config

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        name = d.pop("name")

        key = d.pop("key")

        namespace = d.pop("namespace", UNSET)

        config = d.pop("config", UNSET)

        key_create = cls(
            name=name,
            key=key,
            namespace=namespace,
            config=config,
        )

        key_create.additional_properties = d
        return key_create

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
