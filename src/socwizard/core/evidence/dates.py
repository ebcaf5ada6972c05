"""Dates as reports write them: US, UK, numeric and ISO forms, and ranges of two.

``01/02/2025`` is ambiguous: a part above 12 decides; else the document's other dates do
(day-first when it writes "1 January 2025"); else US order (month first).
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass

_MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
DATE = re.compile(
    rf"\b(?:(?P<um>{_MONTH})\.?\s+(?P<ud>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<uy>\d{{4}})"
    rf"|(?P<kd>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<km>{_MONTH})\.?,?\s+(?P<ky>\d{{4}})"
    r"|(?P<iy>\d{4})-(?P<im>\d{1,2})-(?P<id>\d{1,2})"
    r"|(?P<na>\d{1,2})[/.-](?P<nb>\d{1,2})[/.-](?P<ny>\d{4}))\b",
    re.I,
)
_RANGE_JOIN = re.compile(
    r"\s*,?\s*(?:to|through|thru|until|till|and|up\s+to|-)\s*(?:and\s+including\s+)?$", re.I
)


@dataclass(frozen=True)
class Found:
    """One date in the text."""

    date: dt.date
    start: int
    end: int
    numeric: bool


def _make(year: int, month: int, day: int) -> dt.date | None:
    try:
        value = dt.date(year, month, day)
    except ValueError:
        return None
    return value if 1980 <= year <= 2100 else None


def day_first(text: str) -> bool:
    """Whether ambiguous numeric dates in ``text`` are day-first (UK) rather than US."""
    uk = us = 0
    for match in DATE.finditer(text):
        if match.group("kd"):
            uk += 1
        elif match.group("um"):
            us += 1
        elif match.group("na"):
            a, b = int(match.group("na")), int(match.group("nb"))
            if a > 12 >= b:
                uk += 3
            elif b > 12 >= a:
                us += 3
    return uk > us


def find_dates(text: str, start: int = 0, end: int | None = None, *, dayfirst: bool = False) -> list[Found]:
    """Every date between two offsets of ``text``."""
    end = len(text) if end is None else end
    found: list[Found] = []
    for match in DATE.finditer(text, start, end):
        value: dt.date | None
        numeric = False
        if match.group("um"):
            month = _MONTHS[match.group("um")[:3].lower()]
            value = _make(int(match.group("uy")), month, int(match.group("ud")))
        elif match.group("km"):
            month = _MONTHS[match.group("km")[:3].lower()]
            value = _make(int(match.group("ky")), month, int(match.group("kd")))
        elif match.group("iy"):
            value = _make(int(match.group("iy")), int(match.group("im")), int(match.group("id")))
        else:
            numeric = True
            a, b, year = int(match.group("na")), int(match.group("nb")), int(match.group("ny"))
            if a > 12:
                value = _make(year, b, a)
            elif b > 12:
                value = _make(year, a, b)
            else:
                value = _make(year, b, a) if dayfirst else _make(year, a, b)
        if value is not None:
            found.append(Found(value, match.start(), match.end(), numeric))
    return found


@dataclass(frozen=True)
class DateRange:
    """Two dates joined by "to", "through", "and" or a dash."""

    first: Found
    last: Found

    @property
    def start(self) -> int:
        """Offset of the first date."""
        return self.first.start

    @property
    def end(self) -> int:
        """Offset after the last date."""
        return self.last.end


def find_ranges(text: str, dates: list[Found]) -> Iterator[DateRange]:
    """Consecutive dates joined by a range word, first before last."""
    for a, b in itertools.pairwise(dates):
        between = text[a.end : b.start]
        if len(between) <= 30 and _RANGE_JOIN.fullmatch(between) and a.date < b.date:
            yield DateRange(a, b)
