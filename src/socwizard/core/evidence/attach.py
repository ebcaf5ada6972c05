"""From a read report to proposed answers for the bank's evidence questions, and back.

:func:`propose` turns a :class:`Report` into one :class:`Proposal` per question the
report answers (rows in :mod:`mapping`), each with the page and quote it comes from and
how it relates to the answer already given. :func:`apply` writes the accepted ones into
an assessment with a note citing the page, and records the document (name, sha256,
pages) — never the PDF itself. Pure: no textual, no files.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from socwizard.core.answers import MAX_NOTE, Answer
from socwizard.core.assessment import Assessment, AttachedDocument, normalise
from socwizard.core.bank.conditions import Facts, evaluate
from socwizard.core.bank.models import Bank, DateQuestion, MultiChoice, Question, SingleChoice, YesNo
from socwizard.core.evidence.mapping import AREAS, ROWS, Row
from socwizard.core.evidence.model import Fact, Report
from socwizard.core.text import one_line

Status = Literal["new", "same", "adds", "differs"]
"""new: unanswered; same: already so; adds: keeps every choice given and adds one;
differs: replaces an answer the user gave (only after asking)."""


@dataclass(frozen=True)
class Proposal:
    """One proposed answer, where it comes from, and how it meets the answer already given."""

    question_id: str
    prompt: str
    answer: Answer
    shown: str
    page: int
    quote: str
    existing: Answer | None
    status: Status

    @property
    def needs_consent(self) -> bool:
        """True when accepting it replaces an answer the user gave."""
        return self.status == "differs"


def _value(row: Row, report: Report) -> tuple[Any, Fact] | None:
    kind = report.value("kind")
    facts = report.facts
    choice = dict(row.choices)
    if row.source == "kind_in_reports":
        return (choice.get(str(kind), kind), facts["kind"]) if kind in row.kinds else None
    if row.source == "is_bridge_letter":
        return (True, facts["kind"]) if kind == "bridge_letter" else None
    if row.source == "type":
        return (facts["type"].value, facts["type"]) if "type" in facts else None
    if row.source == "period_start":
        return (facts["period_start"].value, facts["period_start"]) if "period_start" in facts else None
    if row.source == "period_end_or_as_of":
        for key in ("period_end", "as_of"):
            if key in facts:
                return facts[key].value, facts[key]
        return None
    if row.source in ("criteria", "opinion"):
        return (facts[row.source].value, facts[row.source]) if row.source in facts else None
    if row.source in ("exceptions_any", "exceptions_count", "exception_areas"):
        found = facts.get("exceptions")
        if found is None:
            return None
        items = found.value
        if row.source == "exceptions_any":
            return (
                (choice.get("some" if items else "none"), found)
                if ("some" if items else "none") in choice
                else None
            )
        if row.source == "exceptions_count":
            return len(items), found
        areas = [_area(str(item.get("control", ""))) for item in items]
        if not items or None in areas:
            return None  # an exception this table cannot place: left to the user
        return sorted(set(a for a in areas if a)), found
    if row.source == "report_date":
        return (facts["report_date"].value, facts["report_date"]) if "report_date" in facts else None
    if row.source == "service_auditor":
        found = facts.get("service_auditor")
        return (found.value, found) if found is not None else None
    if row.source == "subservice_method":
        found = facts.get("subservice_method")
        return (choice.get(found.value, found.value), found) if found is not None else None
    if row.source == "standard_label":
        legacy = facts.get("legacy_label")
        if legacy is not None:
            return (choice.get(legacy.value), legacy) if legacy.value in choice else None
        standard = facts.get("standard")
        if standard is not None and any(t in standard.value for t in ("SSAE 18", "AT-C", "ISAE")):
            return choice.get("ssae18"), standard
        return None
    return None  # pragma: no cover - every From is handled above


def _area(control: str) -> str | None:
    """The exception-areas choice for a control id, or None when it fits none."""
    if re.match(r"^(?:Control\s+Objective\s+)?\d", control):
        return dict(AREAS).get("#")
    best = None
    for prefix, area in AREAS:
        if re.match(rf"^{re.escape(prefix)}(?=[\d.])", control) and (
            best is None or len(prefix) > len(best[0])
        ):
            best = (prefix, area)
    return best[1] if best else None


def _to_answer(question: Question, value: Any) -> Any:
    if isinstance(question, MultiChoice):
        return tuple(value) if isinstance(value, list | tuple) else (value,)
    if isinstance(question, DateQuestion) and isinstance(value, str):
        return dt.date.fromisoformat(value)
    return value


def _shown(question: Question, answer: Answer) -> str:
    value = answer.value
    if isinstance(question, SingleChoice | MultiChoice):
        labels = {c.value: c.label for c in question.choices}
        items = value if isinstance(value, tuple) else (value,)
        return ", ".join(labels.get(str(v), str(v)) for v in items)
    if isinstance(question, YesNo):
        return question.yes_label if value else question.no_label
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def note_for(report: Report, fact: Fact) -> str:
    """The note saved with an answer: which document, which page, what it says."""
    quote = one_line(fact.quote, 300)
    note = f'From {one_line(report.file, 120)}, page {fact.page}: "{quote}"'
    return note[:MAX_NOTE]


def _merge_multi(question: MultiChoice, existing: Answer, new: Answer) -> Answer | None:
    """The union of two multi-choice answers, or None when an exclusive choice forbids it."""
    old = existing.value if isinstance(existing.value, tuple) else ()
    added = new.value if isinstance(new.value, tuple) else ()
    exclusive = {c.value for c in question.choices if c.exclusive}
    if exclusive & set(old) or exclusive & set(added):
        return None
    return normalise(question, new.model_copy(update={"value": (*old, *(v for v in added if v not in old))}))


def _would_show(question: Question, answers: Mapping[str, Answer], proposals: list[Proposal]) -> bool:
    """Whether ``question`` applies once the proposals so far are saved."""
    if question.when is None:
        return True
    after = {**answers, **{p.question_id: p.answer for p in proposals}}
    return evaluate(question.when, Facts(answers=after, shown=set(after), reviewed_on=dt.date.max))


def propose(report: Report, bank: Bank, answers: Mapping[str, Answer]) -> list[Proposal]:
    """Every answer the report gives to a question of this bank, in bank order."""
    proposals: list[Proposal] = []
    kind = report.value("kind")
    for row in ROWS:
        question = bank.question(row.question)
        if question is None or kind not in row.kinds:
            continue
        found = _value(row, report)
        if found is None or found[0] is None:
            continue
        value, fact = found
        try:
            answer = normalise(
                question, Answer(value=_to_answer(question, value), note=note_for(report, fact))
            )
        except ValueError:
            continue  # the bank has no such choice: this row does not apply to it
        if row.only_when_shown and not _would_show(question, answers, proposals):
            continue
        existing = answers.get(row.question)
        status: Status = "new"
        if existing is not None and existing.known:
            if isinstance(question, MultiChoice):
                merged = _merge_multi(question, existing, answer)
                if merged is not None and merged.value == existing.value:
                    status = "same"
                elif merged is not None:
                    answer, status = merged, "adds"
                else:
                    status = "differs"
            else:
                status = "same" if existing.value == answer.value else "differs"
        elif existing is not None:
            status = "differs"  # "I don't know" / "doesn't apply" was the user's answer
        proposals.append(
            Proposal(
                row.question,
                question.prompt,
                answer,
                _shown(question, answer),
                fact.page,
                one_line(fact.quote, 240),
                existing,
                status,
            )
        )
    return sorted(proposals, key=lambda p: bank.index(p.question_id))


def apply(
    assessment: Assessment,
    report: Report,
    proposals: list[Proposal],
    *,
    replace: Collection[str] = (),
    today: dt.date | None = None,
) -> Assessment:
    """The assessment with the proposals saved and the document recorded.

    ``new`` and ``adds`` proposals are saved; ``differs`` ones only when their question id is
    in ``replace`` (the user said yes); ``same`` ones keep the user's answer and note.
    """
    updated = assessment
    for proposal in proposals:
        if proposal.status == "same" or (proposal.needs_consent and proposal.question_id not in replace):
            continue
        updated = updated.with_answer(proposal.question_id, proposal.answer)
    record = AttachedDocument(
        file=one_line(report.file, 255),
        sha256=report.sha256,
        pages=report.pages,
        kind=str(report.value("kind") or ""),
        attached=today or dt.date.today(),
    )
    documents = (*(d for d in updated.documents if d.sha256 != report.sha256), record)
    return updated.model_copy(update={"documents": documents})
