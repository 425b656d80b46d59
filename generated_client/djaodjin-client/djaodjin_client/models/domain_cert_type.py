from enum import StrEnum


class DomainCertType(StrEnum):
    CUSTOM = "custom"
    DEFAULT = "default"

    def __str__(self) -> str:
        return str(self.value)
