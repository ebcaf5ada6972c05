"""Re-assessment: start a vendor's next assessment from its latest one.

The vendor facts (answers outside the bank's optional evidence sections) and their notes
are carried over; the evidence answers and every date answer are reset, as are the review
date and timestamps. The new assessment keeps its predecessor's bank reference, so the
interview queues the questions the bank added since and lists the ones it changed
(``bank_changes``); the first save records the current bank. ``previous`` names the
predecessor, so the results can show what changed since (:func:`since_previous`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from socwizard.core.assessment import Assessment, Loaded, evaluate_assessment, utc_now, vendor_key_for
from socwizard.core.bank.models import Bank, DateQuestion
from socwizard.core.errors import Problem, SocwizardError, display_path

if TYPE_CHECKING:
    from pathlib import Path

    from socwizard.core.diff import Diff
    from socwizard.core.store import Store


@dataclass(frozen=True)
class Reassessment:
    """The next assessment, and what happened to the predecessor's answers."""

    assessment: Assessment
    carried: tuple[str, ...]
    """Question ids whose answers (and notes) were carried over."""
    reset: tuple[str, ...]
    """Question ids whose answers were reset (evidence, dates)."""


def reset_questions(bank: Bank) -> frozenset[str]:
    """Questions a re-assessment asks afresh: those of optional (evidence) sections and dates."""
    optional = {s.id for s in bank.meta.sections if s.optional}
    return frozenset(q.id for q in bank.questions if q.section in optional or isinstance(q, DateQuestion))


def next_assessment(
    previous: Assessment, bank: Bank, today: dt.date, *, now: dt.datetime | None = None
) -> Reassessment:
    """The re-assessment of ``previous`` (not saved; the caller saves it into the store)."""
    if previous.id is None:
        raise SocwizardError(Problem("assessment", "has no id yet: save it before re-assessing it"))
    stamp = now or utc_now()
    fresh = reset_questions(bank)
    carried = {q: a for q, a in previous.answers.items() if q not in fresh}
    reset = tuple(q for q in previous.answers if q in fresh)
    first_open = next((q.id for q in bank.questions if q.id not in carried), None)
    assessment = Assessment(
        title=previous.title,
        vendor=previous.vendor,
        vendor_key=previous.vendor_key or vendor_key_for(previous.vendor),
        assessor=previous.assessor,
        reviewed_on=today,
        created=stamp,
        updated=stamp,
        status="in_progress",
        cursor=first_open,
        bank=previous.bank,
        answers=carried,
        set_aside=dict(previous.set_aside),
        previous=previous.id,
    )
    return Reassessment(assessment, tuple(carried), reset)


def reassess_file(
    store: Store, path: Path, bank: Bank, today: dt.date, *, now: dt.datetime | None = None
) -> tuple[Path, Reassessment, Loaded]:
    """Start the next assessment of the file at ``path`` and save it into the store."""
    opened = store.open(path, bank)
    plan = next_assessment(opened.assessment, bank, today, now=now)
    loaded = evaluate_assessment(plan.assessment, bank, display_path(path))
    target, stamped, _ = store.save(loaded.assessment, bank, loaded.result, keep_bank=True)
    return target, plan, Loaded(stamped, loaded.result, loaded.warnings)


def since_previous(store: Store | None, loaded: Loaded, bank: Bank) -> tuple[Diff, str] | None:
    """What changed since the assessment this one re-assesses (None without one in the store).

    Returns the diff (predecessor as A) and the predecessor's file name.
    """
    from socwizard.core.diff import diff_assessments
    from socwizard.core.errors import AssessmentError

    previous_id = loaded.assessment.previous
    if store is None or not previous_id:
        return None
    path = store.find_by_id(previous_id)
    if path is None:
        return None
    try:
        before = store.open(path, bank).loaded
    except (AssessmentError, OSError):
        return None
    if before.assessment.id != previous_id:
        return None
    name = path.name
    return diff_assessments(before, loaded, bank, a_name=name, b_name="this assessment"), name


def summary_lines(diff: Diff) -> list[str]:
    """A few lines for a result page: the outcomes that moved and how many answers changed."""
    from socwizard.core.labels import value_label
    from socwizard.core.text import one_line

    lines = []
    for change in diff.outcomes:
        arrow = {"up": "↑", "down": "↓"}.get(change.direction, "~")
        label = one_line(change.label, 80)
        lines.append(f"{arrow} {label}: {value_label(change.before)} → {value_label(change.after)}")
    for label in diff.findings_added:
        lines.append(f"+ finding: {one_line(label, 160)}")
    for label in diff.findings_removed:
        lines.append(f"- finding no longer raised: {one_line(label, 160)}")
    for other in diff.other:
        if other.field == "next_review":
            lines.append(f"next review: {other.before} → {other.after}")
    counts = {"added": 0, "removed": 0, "changed": 0}
    for answer in diff.answers:
        counts[answer.kind] += 1
    if any(counts.values()):
        lines.append(
            f"answers: {counts['changed']} changed, {counts['added']} new, "
            f"{counts['removed']} not (yet) given"
        )
    if not lines:
        lines.append("no change in the recommendation or the answers")
    return lines
