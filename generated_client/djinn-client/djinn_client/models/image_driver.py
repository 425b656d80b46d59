from enum import StrEnum


class ImageDriver(StrEnum):
    QEMU = "qemu"

    def __str__(self) -> str:
        return str(self.value)
