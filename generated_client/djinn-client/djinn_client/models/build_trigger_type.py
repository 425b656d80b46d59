from enum import StrEnum


class BuildTriggerType(StrEnum):
    MANUAL = "manual"
    PULL = "pull"
    PUSH = "push"
    SCHEDULE = "schedule"

    def __str__(self) -> str:
        return str(self.value)
