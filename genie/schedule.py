"""When a cron schedule runs next: the start of the next UTC period.

``daily`` is the next midnight, ``weekly`` the next Monday 00:00 and ``monthly``
the 1st of the next month 00:00, all in UTC.

The answer is always **strictly after** ``now``: a run at exactly 00:00 on a
Monday schedules the *following* Monday, never the same instant again. The
scheduler sets ``next_run = next_run(schedule, now)`` after each run, so the
same period can never fire twice however quickly it runs.

Upstream computes "tomorrow", "same day next month" and a weekday formula that
drifts; this module is the decision in the reference (§9 Cron).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Final

SCHEDULES: Final = ("daily", "weekly", "monthly")
DEFAULT_SCHEDULE: Final = "daily"
#: The field error for any other value, as the reference words it.
UNKNOWN_SCHEDULE: Final = "Schedule must be one of " + ", ".join(SCHEDULES)


def schedule_problem(value: object) -> str | None:
    """The 400 message for a ``schedule`` value, or ``None`` when it is usable."""
    return None if isinstance(value, str) and value in SCHEDULES else UNKNOWN_SCHEDULE


def next_run(schedule: str, now: datetime) -> datetime:
    """The start of the period after the one holding ``now``, as an aware UTC datetime.

    ``now`` must be timezone-aware (any zone; it is converted to UTC first).
    Raises :class:`ValueError` for a naive ``now`` or an unknown schedule.
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("next_run needs a timezone-aware datetime")
    if schedule not in SCHEDULES:
        raise ValueError(UNKNOWN_SCHEDULE)
    utc = now.astimezone(UTC)
    midnight = utc.replace(hour=0, minute=0, second=0, microsecond=0)
    if schedule == "daily":
        return midnight + timedelta(days=1)
    if schedule == "weekly":
        # Monday is 0: from a Monday the next one is 7 days on, from a Sunday 1.
        return midnight + timedelta(days=7 - midnight.weekday())
    if midnight.month == 12:
        return midnight.replace(year=midnight.year + 1, month=1, day=1)
    return midnight.replace(month=midnight.month + 1, day=1)
