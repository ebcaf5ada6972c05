"""Compare two assessments: a yearly re-assessment, or two colleagues' views of a vendor.

Pure (no textual, no I/O). Both assessments are evaluated against the same bank,
so every difference in the recommendation comes from the answers (or the review
date). For each outcome whose level changed, the diff lists the reasons of the new
level and which of the changed answers appear in the reasons (old or new): the
answers that caused the change.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Literal

from socwizard.core.answers import Answer
from socwizard.core.assessment import Loaded
from socwizard.core.bank.models import Bank
from socwizard.core.labels import status_label, value_label
from socwizard.core.recommendation import Reason
from socwizard.core.scoring import describe
from socwizard.core.text import one_line

DIFF_SCHEMA = "socwizard.diff/1"
Kind = Literal["added", "removed", "changed"]
_META_FIELDS = ("title", "vendor", "assessor", "reviewed_on", "status")


@dataclass(frozen=True)
class AnswerChange:
    """One answer added, removed or changed (value, state or note)."""

    question_id: str
    prompt: str
    section: str
    kind: Kind
    before: str | None
    """The old answer in plain words (None when added)."""
    after: str | None
    """The new answer in plain words (None when removed)."""
    note_before: str
    note_after: str


@dataclass(frozen=True)
class OutcomeChange:
    """An outcome whose level changed, and why."""

    outcome_id: str
    label: str
    before: str
    after: str
    direction: Literal["up", "down", "changed"]
    reasons: tuple[Reason, ...]
    """The reasons for the new level."""
    reasons_before: tuple[Reason, ...]
    """The reasons the old level had."""
    caused_by: tuple[str, ...]
    """Changed answers (question ids) that appear in the old or new reasons; when the
    reasons name no answer at all (a rule on scores), the changed answers that moved a
    dimension score."""
    via: Literal["reasons", "scores", "none"]
    """How ``caused_by`` was found."""


@dataclass(frozen=True)
class FieldChange:
    """A changed metadata field (vendor, reviewed_on, …) or another value."""

    field: str
    before: str
    after: str


@dataclass(frozen=True)
class Diff:
    """Everything that differs between assessment A (before) and B (after)."""

    a_name: str
    b_name: str
    a_headline: str
    b_headline: str
    metadata: tuple[FieldChange, ...]
    answers: tuple[AnswerChange, ...]
    outcomes: tuple[OutcomeChange, ...]
    findings_added: tuple[str, ...]
    """Labels of findings only B raises."""
    findings_removed: tuple[str, ...]
    """Labels of findings only A raises."""
    other: tuple[FieldChange, ...]
    """Next review date, provisional flag."""

    @property
    def same(self) -> bool:
        """True when nothing differs."""
        return not (
            self.metadata
            or self.answers
            or self.outcomes
            or self.findings_added
            or self.findings_removed
            or self.other
        )


def _describe(bank: Bank, qid: str, answer: Answer) -> str:
    question = bank.question(qid)
    if question is None:
        return one_line(str(answer.value if answer.value is not None else answer.state.value), 200)
    return describe(question, answer)


def _prompt(bank: Bank, qid: str) -> tuple[str, str]:
    question = bank.question(qid)
    if question is None:
        return qid, ""
    return question.prompt, question.section or ""


def diff_answers(a: dict[str, Answer], b: dict[str, Answer], bank: Bank) -> list[AnswerChange]:
    """Answers added, removed or changed, in interview order (unknown ids last)."""
    changes: list[AnswerChange] = []
    for qid in sorted(set(a) | set(b), key=lambda q: (bank.index(q) < 0, bank.index(q), q)):
        old, new = a.get(qid), b.get(qid)
        if old == new:
            continue
        prompt, section = _prompt(bank, qid)
        kind: Kind = "added" if old is None else "removed" if new is None else "changed"
        changes.append(
            AnswerChange(
                question_id=qid,
                prompt=prompt,
                section=section,
                kind=kind,
                before=None if old is None else _describe(bank, qid, old),
                after=None if new is None else _describe(bank, qid, new),
                note_before=old.note if old is not None else "",
                note_after=new.note if new is not None else "",
            )
        )
    return changes


def _rank(bank: Bank, outcome_id: str, value: str) -> int:
    outcome = bank.outcome(outcome_id)
    scale = bank.meta.scales.get(outcome.scale, []) if outcome else []
    return scale.index(value) if value in scale else -1


def _referenced(reasons: tuple[Reason, ...]) -> set[str]:
    return {ref.question_id for reason in reasons for ref in reason.answers}


def diff_assessments(a: Loaded, b: Loaded, bank: Bank, *, a_name: str = "A", b_name: str = "B") -> Diff:
    """Compare A (before) with B (after), both evaluated against ``bank``."""
    meta = []
    for name in _META_FIELDS:
        before, after = getattr(a.assessment, name), getattr(b.assessment, name)
        if before != after:
            meta.append(FieldChange(name, str(before), str(after)))
    answers = diff_answers(dict(a.assessment.answers), dict(b.assessment.answers), bank)
    changed_ids = [c.question_id for c in answers]
    outcomes = []
    ra, rb = a.result, b.result
    moved_scores: set[str] = set()
    for dim_id, dim in rb.scores.dimensions.items():
        old_dim = ra.scores.dimensions.get(dim_id)
        if old_dim is None or old_dim.score != dim.score:
            for contribution in (*dim.contributions, *(old_dim.contributions if old_dim else ())):
                moved_scores.add(contribution.question_id)
    for outcome_id, new in rb.outcomes.items():
        old = ra.outcomes.get(outcome_id)
        if old is None or old.value == new.value:
            continue
        up = _rank(bank, outcome_id, new.value) - _rank(bank, outcome_id, old.value)
        referenced = _referenced(new.reasons) | _referenced(old.reasons)
        caused_by = tuple(q for q in changed_ids if q in referenced)
        via: Literal["reasons", "scores", "none"] = "reasons"
        if not caused_by and not referenced:  # a rule on scores names no answer
            caused_by = tuple(q for q in changed_ids if q in moved_scores)
            via = "scores" if caused_by else "none"
        elif not caused_by:
            via = "none"
        outcomes.append(
            OutcomeChange(
                outcome_id=outcome_id,
                label=new.label,
                before=old.value,
                after=new.value,
                direction="up" if up > 0 else "down" if up < 0 else "changed",
                reasons=new.reasons,
                reasons_before=old.reasons,
                caused_by=caused_by,
                via=via,
            )
        )
    fa = {f.id: f.label for f in ra.findings}
    fb = {f.id: f.label for f in rb.findings}
    other = []
    if ra.next_review != rb.next_review:
        other.append(
            FieldChange(
                "next_review",
                ra.next_review.isoformat() if ra.next_review else "none",
                rb.next_review.isoformat() if rb.next_review else "none",
            )
        )
    if ra.provisional != rb.provisional:
        other.append(FieldChange("provisional", str(ra.provisional).lower(), str(rb.provisional).lower()))
    return Diff(
        a_name=a_name,
        b_name=b_name,
        a_headline=ra.headline(),
        b_headline=rb.headline(),
        metadata=tuple(meta),
        answers=tuple(answers),
        outcomes=tuple(outcomes),
        findings_added=tuple(label for fid, label in fb.items() if fid not in fa),
        findings_removed=tuple(label for fid, label in fa.items() if fid not in fb),
        other=tuple(other),
    )


# --- rendering ----------------------------------------------------------------------------


def _reason_json(reason: Reason) -> dict[str, Any]:
    return {
        "rule": reason.rule_id,
        "text": reason.text,
        "answers": [
            {"question": r.question_id, "prompt": r.prompt, "answer": r.answer} for r in reason.answers
        ],
    }


def diff_json(d: Diff) -> dict[str, Any]:
    """The stable JSON of ``socwizard diff --format json``."""
    return {
        "schema": DIFF_SCHEMA,
        "a": {"file": d.a_name, "headline": d.a_headline},
        "b": {"file": d.b_name, "headline": d.b_headline},
        "same": d.same,
        "metadata": [{"field": m.field, "before": m.before, "after": m.after} for m in d.metadata],
        "answers": [
            {
                "question": c.question_id,
                "prompt": c.prompt,
                "section": c.section,
                "change": c.kind,
                "before": c.before,
                "after": c.after,
                "note_before": c.note_before,
                "note_after": c.note_after,
            }
            for c in d.answers
        ],
        "outcomes": [
            {
                "outcome": o.outcome_id,
                "label": o.label,
                "before": o.before,
                "after": o.after,
                "direction": o.direction,
                "reasons": [_reason_json(r) for r in o.reasons],
                "reasons_before": [_reason_json(r) for r in o.reasons_before],
                "caused_by": list(o.caused_by),
                "caused_via": o.via,
            }
            for o in d.outcomes
        ],
        "findings": {"added": list(d.findings_added), "removed": list(d.findings_removed)},
        "other": [{"field": m.field, "before": m.before, "after": m.after} for m in d.other],
    }


def render_diff_json(d: Diff) -> str:
    """Pretty JSON."""
    return json.dumps(diff_json(d), indent=2, ensure_ascii=False) + "\n"


def render_diff_text(d: Diff) -> str:
    """A plain-text diff for the terminal (file text cleaned to one line each)."""

    def t(text: str, limit: int = 300) -> str:
        return one_line(text, limit)

    out = [f"A: {t(d.a_name)}", f"   {t(d.a_headline)}", f"B: {t(d.b_name)}", f"   {t(d.b_headline)}", ""]
    if d.same:
        out.append("No differences.")
        return "\n".join(out) + "\n"
    if d.outcomes:
        out.append("RECOMMENDATION CHANGES")
        for o in d.outcomes:
            arrow = {"up": "↑", "down": "↓"}.get(o.direction, "~")
            out.append(f"  {arrow} {t(o.label)}: {value_label(o.before)} → {value_label(o.after)}")
            if o.reasons:
                for reason in o.reasons:
                    out.append(f"      because: {t(reason.text)}")
                    for ref in reason.answers:
                        mark = "  [changed]" if ref.question_id in o.caused_by else ""
                        out.append(f"        ↳ {t(ref.prompt)} → {t(ref.answer)}{mark}")
            else:
                out.append("      because: no rule raises it any more (default level)")
            before_only = [q for q in o.caused_by if q not in _referenced(o.reasons) and o.via == "reasons"]
            for reason in o.reasons_before:
                refs = [r for r in reason.answers if r.question_id in before_only]
                if refs:
                    out.append(f"      no longer: {t(reason.text)}")
                    for ref in refs:
                        out.append(f"        ↳ was {t(ref.prompt)} → {t(ref.answer)}  [changed]")
            if o.via == "scores":
                prompts = {c.question_id: c.prompt for c in d.answers}
                out.append("      through the scores, moved by these changed answers:")
                out += [f"        ↳ {t(prompts.get(q, q))}  [changed]" for q in o.caused_by]
            elif o.via == "none":
                reviewed = next((m for m in d.metadata if m.field == "reviewed_on"), None)
                if reviewed is not None:
                    out.append(
                        f"      (no answer behind it changed: the review date moved "
                        f"{reviewed.before} → {reviewed.after})"
                    )
                else:
                    out.append("      (no changed answer is named in its reasons)")
        out.append("")
    if d.findings_added or d.findings_removed:
        out.append("FINDINGS")
        out += [f"  + {t(label)}" for label in d.findings_added]
        out += [f"  - {t(label)}" for label in d.findings_removed]
        out.append("")
    if d.answers:
        out.append("ANSWERS")
        for c in d.answers:
            if c.kind == "added":
                out.append(f"  + {t(c.prompt)}: {t(c.after or '')}")
            elif c.kind == "removed":
                out.append(f"  - {t(c.prompt)}: {t(c.before or '')}")
            else:
                out.append(f"  ~ {t(c.prompt)}: {t(c.before or '')} → {t(c.after or '')}")
            if c.note_before != c.note_after:
                out.append(f"      note: {t(c.note_before, 120) or '—'} → {t(c.note_after, 120) or '—'}")
        out.append("")
    if d.metadata or d.other:
        out.append("OTHER")
        for m in (*d.metadata, *d.other):
            word = status_label if m.field == "status" else str
            before, after = word(m.before), word(m.after)
            out.append(f"  {m.field.replace('_', ' ')}: {t(before) or '—'} → {t(after) or '—'}")
        out.append("")
    return "\n".join(out).rstrip() + "\n"
