"""The words a person reads for the ids files and banks use.

Levels, verdicts, report types, statuses and answer states are stored as stable ids
(``not_needed``, ``type2``, ``in_progress``, ``unknown``); every human format — the
command line's text, Markdown, HTML, PDF, the request letter and the TUI — shows the
label from here instead. JSON keeps the ids and adds these labels beside them.

Answers are labelled by :func:`socwizard.core.scoring.describe` (the choice labels
exactly as picked in the interview, taken from the bank). Pure: no textual, no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from socwizard.core.bank.models import Bank

NONE = "—"

_VALUES: dict[str, str] = {
    # requirement / criterion scales
    "not_needed": "Not needed",
    "optional": "Optional",
    "recommended": "Recommended",
    "required": "Required",
    # report types
    "none": "None",
    "type1": "Type I",
    "type2": "Type II",
    # risk tier
    "low": "Low",
    "medium": "Medium",
    "high": "High",
    # evidence verdict
    "not_reviewed": "Not reviewed",
    "sufficient": "Sufficient",
    "conditional": "Conditional",
    "insufficient": "Insufficient",
}

_STATUSES: dict[str, str] = {
    "in_progress": "In progress",
    "complete": "Complete",
    "broken": "Cannot be read",
}

_STATES: dict[str, str] = {
    "answered": "Answered",
    "unknown": "I don't know",
    "not_applicable": "Doesn't apply",
    "unanswered": "Not answered yet",
}

# Levels after which a report type is not worth saying ("Not needed (None)").
_NO_TYPE = frozenset({"", "none"})
_LEVEL_WITHOUT_TYPE = frozenset({"", "not_needed"})


def as_clause(sentence: str) -> str:
    """A sentence to follow "because": ``The vendor holds…`` → ``the vendor holds…``.

    Only a capitalised ordinary word is lowered; acronyms (``SOC``, ``HIPAA``) and "I"
    stay as they are.
    """
    first = sentence.split(" ", 1)[0]
    if len(first) > 1 and first[0].isupper() and first[1:].islower():
        return sentence[0].lower() + sentence[1:]
    return sentence


def humanize(value: str) -> str:
    """A stored id in words: ``company_wide`` → ``Company wide`` (empty → a dash)."""
    words = value.replace("_", " ").strip()
    return words[:1].upper() + words[1:] if words else NONE


def value_label(value: str) -> str:
    """An outcome value in words: ``not_needed`` → ``Not needed``, ``type2`` → ``Type II``."""
    return _VALUES.get(value) or humanize(value)


def status_label(status: str) -> str:
    """An assessment status: ``in_progress`` → ``In progress`` (one name everywhere)."""
    return _STATUSES.get(status) or humanize(status)


def state_label(state: str) -> str:
    """An answer state: ``unknown`` → ``I don't know``, ``unanswered`` → ``Not answered yet``."""
    return _STATES.get(state) or humanize(state)


def type_sibling(outcome_id: str) -> str | None:
    """``soc2.level`` → ``soc2.type`` (the report type that goes with a level), else None."""
    head, dot, leaf = outcome_id.rpartition(".")
    return f"{head}.type" if dot and leaf == "level" else None


def outcome_text(values: Mapping[str, str], outcome_id: str) -> str:
    """An outcome's value as read in a headline: ``Required (Type II)``, ``Not needed``.

    A ``<family>.level`` is followed by its ``<family>.type`` when the bank has one and
    a report is asked for at all.
    """
    value = values.get(outcome_id, "")
    text = value_label(value)
    sibling = type_sibling(outcome_id)
    kind = values.get(sibling, "") if sibling else ""
    if value not in _LEVEL_WITHOUT_TYPE and kind not in _NO_TYPE:
        text += f" ({value_label(kind)})"
    return text


def headline_text(parts: Iterable[tuple[str, str]], provisional: bool) -> str:
    """``Risk tier: High · SOC 1: Not needed · SOC 2: Required (Type II)``."""
    text = " · ".join(f"{label}: {value}" for label, value in parts)
    return f"{text} (provisional)" if provisional else text


def headline_for(
    values: Mapping[str, str],
    headline: Iterable[tuple[str, str]],
    provisional: bool,
) -> str:
    """The headline from outcome values and the ``(id, label)`` of the headline outcomes."""
    return headline_text(((label, outcome_text(values, oid)) for oid, label in headline), provisional)


def entry_headline(outcomes: Mapping[str, str], stored: str, bank: Bank | None) -> str:
    """A store listing's headline in words, from the outcomes saved in the file.

    Files saved before headlines were worded (``SOC 1: not_needed``) are re-worded from
    their saved outcome values with the bank's headline outcomes; without a bank, when
    the file lacks one of them, or when its headline names other outcomes (another
    bank's), the saved headline is shown as it is.
    """
    if bank is None:
        return stored
    return worded_headline(outcomes, stored, [(o.id, o.label) for o in bank.meta.outcomes if o.headline])


def worded_headline(outcomes: Mapping[str, str], stored: str, headline: Sequence[tuple[str, str]]) -> str:
    """:func:`entry_headline` given the bank's headline outcomes ``(id, label)``."""
    if not headline or any(oid not in outcomes for oid, _ in headline):
        return stored
    if any(f"{label}: " not in stored for _, label in headline):
        return stored  # saved with another bank (other labels): its own words stand
    return headline_for(outcomes, headline, stored.endswith("(provisional)"))
