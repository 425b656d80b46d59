from enum import StrEnum


class NamespaceUpdateVisibility(StrEnum):
    INTERNAL = "internal"
    PRIVATE = "private"
    PUBLIC = "public"

    def __str__(self) -> str:
        return str(self.value)
