"""Small display helpers shared by screens (plain text only)."""

from __future__ import annotations

import datetime as dt

_PRETTY = {
    "type1": "Type I",
    "type2": "Type II",
    "none": "—",
    "": "—",
    "not_needed": "not needed",
    "not_reviewed": "not reviewed",
    "in_progress": "in progress",
}


def pretty(value: str) -> str:
    """``not_needed`` → ``not needed``; ``type2`` → ``Type II``."""
    return _PRETTY.get(value, value.replace("_", " "))


def short_date(value: dt.date | None) -> str:
    """ISO date or a dash."""
    return value.isoformat() if value else "—"


def short_time(value: dt.datetime | None, today: dt.date) -> str:
    """``14:05`` today, else the date (local time)."""
    if value is None:
        return "—"
    local = value.astimezone()
    return local.strftime("%H:%M") if local.date() == today else local.date().isoformat()


def soc_cell(outcomes: dict[str, str], family: str) -> str:
    """``required · II`` from ``soc2.level`` and ``soc2.type`` (generic: any family)."""
    level = outcomes.get(f"{family}.level", "")
    kind = outcomes.get(f"{family}.type", "")
    text = pretty(level) if level else "—"
    if kind in ("type1", "type2"):
        text += " · " + ("I" if kind == "type1" else "II")
    return text


def group_title(group: str) -> str:
    """Heading of an outcome group (the first part of the outcome ids)."""
    known = {
        "tier": "Risk tier",
        "soc1": "SOC 1",
        "soc2": "SOC 2",
        "extras": "Also ask the vendor for",
        "evidence": "What the vendor sent",
    }
    return known.get(group, group.replace("_", " ").capitalize())
