"""Month-end aware ``plus_months`` (bank 2.0): 30 June + 6 months is 31 December."""

from __future__ import annotations

import calendar
import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from socwizard.core.bank.conditions import add_months


def _last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


month_ends = st.builds(
    lambda year, month: dt.date(year, month, _last_day(year, month)),
    st.integers(1900, 2400),
    st.integers(1, 12),
)


def test_thirty_june_plus_six_months_is_thirty_one_december() -> None:
    assert add_months(dt.date(2025, 6, 30), 6) == dt.date(2025, 12, 31)


def test_august_end_plus_six_is_end_of_february() -> None:
    assert add_months(dt.date(2025, 8, 31), 6) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2027, 8, 31), 6) == dt.date(2028, 2, 29)


def test_leap_day_is_a_month_end() -> None:
    assert add_months(dt.date(2024, 2, 29), 12) == dt.date(2025, 2, 28)
    assert add_months(dt.date(2024, 2, 29), 1) == dt.date(2024, 3, 31)
    assert add_months(dt.date(2023, 2, 28), 12) == dt.date(2024, 2, 29)


def test_mid_month_days_are_kept() -> None:
    assert add_months(dt.date(2026, 1, 15), 1) == dt.date(2026, 2, 15)
    assert add_months(dt.date(2026, 3, 30), -1) == dt.date(2026, 2, 28)  # clamped, not a month end


@given(month_ends, st.integers(-600, 600))
def test_a_month_end_always_lands_on_a_month_end(day: dt.date, months: int) -> None:
    shifted = add_months(day, months)
    assert shifted.day == _last_day(shifted.year, shifted.month)
    assert (shifted.year * 12 + shifted.month) - (day.year * 12 + day.month) == months


@given(month_ends, st.integers(-600, 600))
def test_month_ends_round_trip(day: dt.date, months: int) -> None:
    assert add_months(add_months(day, months), -months) == day


@given(st.dates(dt.date(1900, 1, 1), dt.date(2400, 12, 31)), st.integers(-600, 600))
def test_result_is_in_the_target_month_and_never_later_in_it(day: dt.date, months: int) -> None:
    shifted = add_months(day, months)
    assert (shifted.year * 12 + shifted.month) - (day.year * 12 + day.month) == months
    last = _last_day(day.year, day.month)
    if day.day != last:
        assert shifted.day == min(day.day, _last_day(shifted.year, shifted.month))


@given(month_ends, st.integers(1, 24))
def test_an_exact_gap_is_not_more_than_the_gap(day: dt.date, months: int) -> None:
    # A period end exactly N months before a month end is never "more than N months" before.
    target = add_months(day, months)
    assert not add_months(day, months) < target
