from enum import StrEnum


class JobStatus(StrEnum):
    FAILED = "failed"
    KILLED = "killed"
    PASSED = "passed"
    PASSED_WITH_FAILURES = "passed_with_failures"
    QUEUED = "queued"
    RUNNING = "running"
    TIMED_OUT = "timed_out"

    def __str__(self) -> str:
        return str(self.value)
