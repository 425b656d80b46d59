from enum import StrEnum


class NamespaceCreateVisibility(StrEnum):
    INTERNAL = "internal"
    PRIVATE = "private"
    PUBLIC = "public"

    def __str__(self) -> str:
        return str(self.value)
