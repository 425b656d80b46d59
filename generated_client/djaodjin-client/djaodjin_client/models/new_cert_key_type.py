from enum import StrEnum


class NewCertKeyType(StrEnum):
    EC_P256 = "ec-p256"
    RSA_2048 = "rsa-2048"

    def __str__(self) -> str:
        return str(self.value)
