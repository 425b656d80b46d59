from enum import StrEnum


class Dataset(StrEnum):
    PRODUCTION = "production"
    TESTING = "testing"

    def __str__(self) -> str:
        return str(self.value)
