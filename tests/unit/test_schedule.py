"""next_run on fixed dates: the start of the next UTC period, strictly after now."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from genie.schedule import SCHEDULES, UNKNOWN_SCHEDULE, next_run, schedule_problem


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (utc(2024, 3, 14, 15, 9, 26), utc(2024, 3, 15)),
        (utc(2024, 3, 14, 0, 0, 0), utc(2024, 3, 15)),  # exactly midnight: the next one
        (utc(2024, 3, 14, 23, 59, 59, 999999), utc(2024, 3, 15)),
        (utc(2023, 12, 31, 12), utc(2024, 1, 1)),  # year end
        (utc(2024, 2, 28, 8), utc(2024, 2, 29)),  # leap day exists in 2024
        (utc(2023, 2, 28, 8), utc(2023, 3, 1)),  # and not in 2023
        (utc(2024, 2, 29, 0), utc(2024, 3, 1)),
    ],
)
def test_daily_is_the_next_midnight(now: datetime, expected: datetime) -> None:
    assert next_run("daily", now) == expected


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (utc(2024, 3, 11, 0, 0), utc(2024, 3, 18)),  # Monday 00:00 exactly: a week on
        (utc(2024, 3, 11, 0, 0, 0, 1), utc(2024, 3, 18)),  # just after Monday midnight
        (utc(2024, 3, 10, 23, 59, 59), utc(2024, 3, 11)),  # Sunday night: tomorrow
        (utc(2024, 3, 10, 0, 0), utc(2024, 3, 11)),  # Sunday midnight
        (utc(2024, 3, 13, 12), utc(2024, 3, 18)),  # Wednesday
        (utc(2024, 3, 16, 9), utc(2024, 3, 18)),  # Saturday
        (utc(2024, 12, 30, 1), utc(2025, 1, 6)),  # Monday 30 Dec: across the year end
        (utc(2025, 12, 31, 1), utc(2026, 1, 5)),  # Wednesday 31 Dec
        (utc(2024, 2, 27, 10), utc(2024, 3, 4)),  # across a leap February
    ],
)
def test_weekly_is_the_next_monday(now: datetime, expected: datetime) -> None:
    result = next_run("weekly", now)
    assert result == expected
    assert result.weekday() == 0


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (utc(2024, 1, 1, 0, 0), utc(2024, 2, 1)),  # exactly the 1st at midnight
        (utc(2024, 1, 31, 23, 59), utc(2024, 2, 1)),
        (utc(2024, 1, 15), utc(2024, 2, 1)),
        (utc(2024, 2, 29, 12), utc(2024, 3, 1)),  # leap day
        (utc(2023, 2, 28, 12), utc(2023, 3, 1)),
        (utc(2023, 12, 1, 0, 0), utc(2024, 1, 1)),  # December rolls the year
        (utc(2023, 12, 31, 23, 59, 59), utc(2024, 1, 1)),
    ],
)
def test_monthly_is_the_first_of_next_month(now: datetime, expected: datetime) -> None:
    assert next_run("monthly", now) == expected


def test_the_answer_is_aware_utc_and_strictly_later() -> None:
    start = utc(2023, 12, 25)
    for schedule in SCHEDULES:
        now = start
        for _ in range(60):
            later = next_run(schedule, now)
            assert later > now
            assert later.tzinfo is UTC
            assert (later.hour, later.minute, later.second, later.microsecond) == (0, 0, 0, 0)
            now = later


def test_other_time_zones_are_converted_to_utc_first() -> None:
    # 01:30 on Monday in UTC+02:00 is still Sunday 23:30 in UTC.
    plus_two = timezone(timedelta(hours=2))
    now = datetime(2024, 3, 11, 1, 30, tzinfo=plus_two)
    assert next_run("daily", now) == utc(2024, 3, 11)
    assert next_run("weekly", now) == utc(2024, 3, 11)
    # 20:00 on 31 Jan in UTC-05:00 is already 1 Feb in UTC.
    minus_five = timezone(timedelta(hours=-5))
    assert next_run("monthly", datetime(2024, 1, 31, 20, tzinfo=minus_five)) == utc(2024, 3, 1)


def test_a_naive_datetime_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        next_run("daily", datetime(2024, 1, 1))


def test_unknown_schedules_are_refused() -> None:
    with pytest.raises(ValueError, match="Schedule must be one of daily, weekly, monthly"):
        next_run("hourly", utc(2024, 1, 1))


@pytest.mark.parametrize("value", ["hourly", "Daily", "", None, 1, ["daily"]])
def test_schedule_problem_names_the_choices(value: object) -> None:
    assert (
        schedule_problem(value)
        == UNKNOWN_SCHEDULE
        == ("Schedule must be one of daily, weekly, monthly")
    )


@pytest.mark.parametrize("value", SCHEDULES)
def test_schedule_problem_accepts_the_three(value: str) -> None:
    assert schedule_problem(value) is None
