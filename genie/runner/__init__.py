"""The build runner: runs a :class:`Plan` on a driver, tells a :class:`Reporter`.

Self-contained and without database access: the worker job builds the plan and
persists what the reporter hears. See :mod:`genie.runner.engine` for the
semantics, :mod:`genie.runner.drivers` for the drivers, and the README's
"Build drivers" section for what each one isolates.
"""

from genie.runner.engine import run
from genie.runner.plan import (
    CREATE_DRIVER,
    FAILED,
    KILLED,
    PASSED,
    PASSED_WITH_FAILURES,
    TIMED_OUT,
    JobSpec,
    KeyFile,
    Limits,
    ObjectFile,
    Plan,
    Reporter,
    StageSpec,
)
from genie.runner.settings import DriverSettings

__all__ = [
    "CREATE_DRIVER",
    "FAILED",
    "KILLED",
    "PASSED",
    "PASSED_WITH_FAILURES",
    "TIMED_OUT",
    "DriverSettings",
    "JobSpec",
    "KeyFile",
    "Limits",
    "ObjectFile",
    "Plan",
    "Reporter",
    "StageSpec",
    "run",
]
