"""Small display helpers shared by screens (plain text only)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from rich.cells import cell_len, set_cell_size

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
        "criteria": "Trust Services Criteria",
    }
    return known.get(group, group.replace("_", " ").capitalize())


def _cut(text: str, width: int) -> str:
    """``text`` in at most ``width`` cells, an ellipsis marking a cut."""
    if cell_len(text) <= width:
        return text
    return set_cell_size(text, max(0, width - 1)) + "…" if width > 0 else ""


def _elided(text: str, start: int, width: int) -> str:
    """The head of ``text``, an ellipsis, then the text from the word holding ``start``."""
    word = text.rfind(" ", 0, start) + 1
    if start - word > 8:
        word = start - 4  # a long word (a file name): jump close to where they differ
    head_words = text[:word].split()
    head = " ".join(head_words[:2]) if head_words else ""
    tail = text[word:]
    candidate = f"{head}…{tail}" if head else f"…{tail}"
    return _cut(candidate, width)


def _common_prefix(texts: Sequence[str]) -> int:
    """How many leading characters all ``texts`` share."""
    first, last = min(texts), max(texts)
    n = 0
    while n < min(len(first), len(last)) and first[n] == last[n]:
        n += 1
    return n


def distinct(texts: Sequence[str], width: int) -> list[str]:
    """Each text cut to ``width`` cells so that two different texts never look the same.

    A plain cut keeps the start; when two texts share that start (``Do you rely on the
    ve…`` twice), both keep their first words and jump with an ellipsis to where they
    differ (``Do you…control who can see…``, ``Do you…encrypt your data…``). Texts that are
    equal in full stay equal: the caller adds what tells them apart.
    """
    cut = [_cut(text, width) for text in texts]
    groups: dict[str, list[int]] = {}
    for index, shown in enumerate(cut):
        groups.setdefault(shown, []).append(index)
    for indices in groups.values():
        originals = {texts[i] for i in indices}
        if len(originals) < 2:
            continue
        prefix = _common_prefix([texts[i] for i in indices])
        for i in indices:
            cut[i] = _elided(texts[i], prefix, width)
    return cut
