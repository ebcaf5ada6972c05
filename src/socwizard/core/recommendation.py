"""The recommendation: the bank's rules evaluated over answers and scores.

Rules only raise outcomes, in file order. Unknown answers are handled twice over:
scored by a conservative policy, and — for every unknown — each possible answer is
tried; an outcome never ends below the lowest level any answer would give, and the
follow-up list says which outcomes the unknown could still change.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from socwizard.core.answers import Answer, State
from socwizard.core.bank.conditions import (
    REVIEWED_ON,
    Condition,
    Facts,
    QuestionTest,
    ScoreTest,
    add_months,
    evaluate,
    true_leaves,
)
from socwizard.core.bank.models import Bank, Question
from socwizard.core.labels import headline_for, outcome_text, state_label, value_label
from socwizard.core.scoring import Scores, Visibility, candidates, describe, score, visibility

RESULT_SCHEMA = "socwizard.result/1"


@dataclass(frozen=True)
class AnswerRef:
    """An answer that drove a decision, in plain words."""

    question_id: str
    prompt: str
    answer: str


@dataclass(frozen=True)
class Reason:
    """Why an outcome has its value."""

    rule_id: str
    text: str
    answers: tuple[AnswerRef, ...] = ()


@dataclass(frozen=True)
class OutcomeResult:
    """One outcome's value and the reasons for it."""

    id: str
    label: str
    value: str
    reasons: tuple[Reason, ...]


@dataclass(frozen=True)
class FindingResult:
    """A finding raised by a rule."""

    id: str
    label: str
    reason: Reason


@dataclass(frozen=True)
class Change:
    """An outcome an unknown answer could still change."""

    outcome_id: str
    label: str
    current: str
    possible: tuple[str, ...]


@dataclass(frozen=True)
class FollowUp:
    """A question to put to the vendor (or to yourself)."""

    question_id: str
    section: str
    prompt: str
    ask: str
    state: str
    """``unknown`` ("I don't know") or ``unanswered``."""
    changes: tuple[Change, ...]


@dataclass(frozen=True)
class Result:
    """Everything ``socwizard show`` reports, recomputed from the answers."""

    bank_id: str
    bank_version: str
    bank_hash: str
    reviewed_on: dt.date
    provisional: bool
    scores: Scores
    outcomes: Mapping[str, OutcomeResult]
    findings: tuple[FindingResult, ...]
    follow_ups: tuple[FollowUp, ...]
    next_review: dt.date | None
    next_review_reason: str
    visibility: Visibility
    findings_path: str = "findings"
    headline_ids: tuple[str, ...] = field(default=())

    def value(self, outcome_id: str) -> str:
        """An outcome's value ('' if the bank has no such outcome)."""
        outcome = self.outcomes.get(outcome_id)
        return outcome.value if outcome else ""

    def headline(self) -> str:
        """One line in words: ``Risk tier: High · SOC 1: Not needed · SOC 2: Required (Type II)``."""
        return headline_for(
            self.values(), ((o, self.outcomes[o].label) for o in self.headline_ids), self.provisional
        )

    def values(self) -> dict[str, str]:
        """Every outcome's value (its stored id), by outcome id."""
        return {k: v.value for k, v in self.outcomes.items()}

    def text(self, outcome_id: str) -> str:
        """An outcome's value in words, a level with its type: ``Required (Type II)``."""
        return outcome_text(self.values(), outcome_id)

    def snapshot(self) -> dict[str, Any]:
        """The compact copy saved in the file for colleagues without the tool."""
        data: dict[str, Any] = {
            "computed_with": f"{self.bank_id} {self.bank_version}",
            "provisional": self.provisional,
            "headline": self.headline(),
            "coverage": self.scores.coverage,
        }
        if self.next_review is not None:
            data["next_review"] = self.next_review
        data["outcomes"] = {k: v.value for k, v in self.outcomes.items()}
        if self.findings:
            data["findings"] = [f.id for f in self.findings]
        return data

    def recommendation_json(self) -> dict[str, Any]:
        """Outcomes nested by their dotted ids, each parent carrying ``reasons``."""
        root: dict[str, Any] = {}
        for outcome in self.outcomes.values():
            *parents, leaf = outcome.id.split(".")
            node = root
            for part in parents:
                node = node.setdefault(part, {})
            node[leaf] = outcome.value
            reasons_key = "reasons" if parents else f"{leaf}_reasons"
            bucket = node.setdefault(reasons_key, [])
            for reason in outcome.reasons:
                entry = _reason_json(reason)
                if entry not in bucket:
                    bucket.append(entry)
        *parents, leaf = self.findings_path.split(".")
        node = root
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = [{"id": f.id, "label": f.label, **_reason_json(f.reason)} for f in self.findings]
        root["next_review"] = {
            "date": self.next_review.isoformat() if self.next_review else None,
            "reason": self.next_review_reason,
        }
        return root

    def to_json(self) -> dict[str, Any]:
        """The stable JSON contract of ``socwizard show --format json`` (minus metadata)."""
        return {
            "schema": RESULT_SCHEMA,
            "bank": {"id": self.bank_id, "version": self.bank_version, "hash": self.bank_hash},
            "reviewed_on": self.reviewed_on.isoformat(),
            "provisional": self.provisional,
            "headline": self.headline(),
            "coverage": self.scores.coverage,
            "recommendation": self.recommendation_json(),
            "outcomes": [
                {
                    "id": o.id,
                    "label": o.label,
                    "value": o.value,
                    "value_label": value_label(o.value),
                    "text": self.text(o.id),
                    "headline": o.id in self.headline_ids,
                }
                for o in self.outcomes.values()
            ],
            "scores": {
                d.id: {
                    "label": d.label,
                    "score": d.score,
                    "coverage": d.coverage,
                    "contributions": [
                        {
                            "question": c.question_id,
                            "points": round(c.points, 2),
                            "answer_score": c.answer_score,
                            "weight": c.weight,
                            "assumed": c.assumed,
                        }
                        for c in sorted(d.contributions, key=lambda c: -c.points)
                        if c.points > 0
                    ],
                }
                for d in self.scores.dimensions.values()
            },
            "follow_ups": [
                {
                    "question": f.question_id,
                    "section": f.section,
                    "prompt": f.prompt,
                    "ask": f.ask,
                    "state": f.state,
                    "state_label": state_label(f.state),
                    "could_change": [
                        {
                            "outcome": ch.outcome_id,
                            "label": ch.label,
                            "current": ch.current,
                            "possible": list(ch.possible),
                            "current_label": value_label(ch.current),
                            "possible_labels": [value_label(p) for p in ch.possible],
                        }
                        for ch in f.changes
                    ],
                }
                for f in self.follow_ups
            ],
            "answers_set_aside": list(self.visibility.set_aside),
        }


def _reason_json(reason: Reason) -> dict[str, Any]:
    return {
        "rule": reason.rule_id,
        "text": reason.text,
        "answers": [
            {"question": a.question_id, "prompt": a.prompt, "answer": a.answer} for a in reason.answers
        ],
    }


@dataclass
class _Run:
    values: dict[str, str]
    reasons: dict[str, list[Reason]]
    findings: list[FindingResult]
    scores: Scores
    vis: Visibility
    facts: Facts


def _ranks(bank: Bank) -> dict[str, dict[str, int]]:
    return {o.id: {v: i for i, v in enumerate(bank.meta.scales.get(o.scale, []))} for o in bank.meta.outcomes}


_UNKNOWN_ASIDE = re.compile(r"\s*\((?:or|and) [^()]*\bnot known yet\b[^()]*\)", re.IGNORECASE)


def fit_reason(text: str, refs: tuple[AnswerRef, ...], answers: Mapping[str, Answer]) -> str:
    """A rule's reason as it reads for these answers.

    A bank writes one reason for a rule that fires on an answer *or* on its being
    unknown, with the unknown case as an aside: "The service processes transactions you
    rely on (or it is not known yet whether it does)." When every answer behind the
    reason is known, the aside is dropped, so an answered question never reads as "not
    known yet".
    """
    if not refs or not _UNKNOWN_ASIDE.search(text):
        return text
    for ref in refs:
        answer = answers.get(ref.question_id)
        if answer is None or answer.state is State.UNKNOWN:
            return text
    return _UNKNOWN_ASIDE.sub("", text)


def _answer_refs(
    bank: Bank, condition: Condition | None, facts: Facts, scores: Scores
) -> tuple[AnswerRef, ...]:
    """The answers behind a true condition: tested answers, and the top answers of tested scores."""
    question_ids: list[str] = []
    for leaf in true_leaves(condition, facts):
        if isinstance(leaf, QuestionTest):
            question_ids.append(leaf.question)
        elif isinstance(leaf, ScoreTest) and leaf.score in scores.dimensions:
            top = sorted(scores.dimensions[leaf.score].contributions, key=lambda c: -c.points)
            question_ids += [c.question_id for c in top[:2] if c.points > 0]
    refs = []
    for qid in dict.fromkeys(question_ids):
        question = bank.question(qid)
        if question is not None:
            refs.append(AnswerRef(qid, question.prompt, describe(question, facts.answers.get(qid))))
    return tuple(refs)


def _run(
    bank: Bank,
    answers: Mapping[str, Answer],
    reviewed_on: dt.date,
    ranks: Mapping[str, Mapping[str, int]],
    explain: bool,
) -> _Run:
    vis = visibility(bank, answers, reviewed_on)
    scores = score(bank, vis)
    values = {o.id: o.default or (bank.meta.scales.get(o.scale) or [""])[0] for o in bank.meta.outcomes}
    reasons: dict[str, list[Reason]] = {o: [] for o in values}
    findings: list[FindingResult] = []
    facts = Facts(
        answers=vis.effective,
        shown=set(vis.expected),
        reviewed_on=reviewed_on,
        scores=scores.values(),
        coverage=scores.coverages(),
        outcomes=values,
        findings=set(),
        scale_rank=ranks,
    )
    for rule in bank.meta.rules:
        if not evaluate(rule.when, facts):
            continue
        if explain:
            refs = _answer_refs(bank, rule.when, facts, scores)
            reason = Reason(rule.id, fit_reason(rule.reason, refs, facts.answers), refs)
        else:
            reason = Reason(rule.id, rule.reason)
        for target, value in rule.set.items():
            rank = ranks[target]
            if rank[value] > rank[values[target]]:
                values[target] = value
                reasons[target] = [reason]
            elif rank[value] == rank[values[target]]:
                reasons[target].append(reason)
        if rule.finding is not None and rule.finding not in facts.findings:
            facts.findings.add(rule.finding)
            finding = bank.finding(rule.finding)
            findings.append(FindingResult(rule.finding, finding.label if finding else rule.finding, reason))
    return _Run(values, reasons, findings, scores, vis, facts)


def _next_review(bank: Bank, facts: Facts) -> tuple[dt.date | None, str]:
    best: tuple[dt.date, str] | None = None
    for candidate in bank.meta.next_review:
        if not evaluate(candidate.when, facts):
            continue
        if candidate.date == REVIEWED_ON:
            start: dt.date | None = facts.reviewed_on
        else:
            answer = facts.answers.get(candidate.date)
            value = answer.value if answer is not None and answer.state is State.ANSWERED else None
            start = value if isinstance(value, dt.date) else None
        if start is None:
            continue
        due = max(add_months(start, candidate.plus_months), facts.reviewed_on)
        if best is None or due < best[0]:
            best = (due, candidate.reason)
    return (best[0], best[1]) if best else (None, "")


def decide(
    bank: Bank,
    answers: Mapping[str, Answer],
    reviewed_on: dt.date,
    *,
    complete: bool = True,
    explore: bool = True,
) -> Result:
    """Compute the full result for a set of answers (pure and deterministic).

    With ``explore`` (the default), every "I don't know" answer — and, in a complete
    assessment, every question left unanswered — is tried with each possible answer:
    outcomes are floored at the lowest level any answer would give, and follow-ups
    list what each could change. Unanswered questions of an in-progress interview are
    still to do, not unknowns: they are scored conservatively but not explored.
    ``explore=False`` skips the exploration (autosave snapshots of in-progress work).
    """
    ranks = _ranks(bank)
    base = _run(bank, answers, reviewed_on, ranks, explain=True)
    labels = {o.id: o.label for o in bank.meta.outcomes}
    final = dict(base.values)
    reasons = {k: list(v) for k, v in base.reasons.items()}
    follow_ups: list[FollowUp] = []
    pending: list[tuple[str, Question, Answer | None, dict[str, set[str]]]] = []
    for qid in base.vis.shown:
        question = bank.question(qid)
        answer = base.vis.effective.get(qid)
        if question is None or (answer is None and qid not in base.vis.expected):
            continue
        if answer is not None and answer.state is not State.UNKNOWN:
            continue
        explored = explore and (answer is not None or complete)
        options = candidates(question, reviewed_on) if explored else []
        seen: dict[str, set[str]] = {o: set() for o in final}
        floor: dict[str, str] = {}
        for option in options:
            # Only the answers that count: answers set aside under hidden questions must
            # not decide what an unknown could change (nor its floor).
            trial = dict(base.vis.effective)
            trial[qid] = option
            values = _run(bank, trial, reviewed_on, ranks, explain=False).values
            for outcome_id, value in values.items():
                seen[outcome_id].add(value)
                lowest = floor.get(outcome_id)
                if lowest is None or ranks[outcome_id][value] < ranks[outcome_id][lowest]:
                    floor[outcome_id] = value
        for outcome_id, value in floor.items():
            if ranks[outcome_id][value] > ranks[outcome_id][final[outcome_id]]:
                final[outcome_id] = value
                reasons[outcome_id] = [
                    Reason(
                        f"unknown:{qid}",
                        f"Not known yet; every possible answer leads to at least “{value_label(value)}”.",
                        (AnswerRef(qid, question.prompt, describe(question, answer)),),
                    )
                ]
        if question.follow_up:
            pending.append((qid, question, answer, seen))
    for qid, question, answer, seen in pending:
        changes = tuple(
            Change(o, labels[o], final[o], tuple(sorted(v - {final[o]}, key=ranks[o].__getitem__)))
            for o, v in seen.items()
            if v - {final[o]}
        )
        follow_ups.append(
            FollowUp(
                qid,
                question.section or "",
                question.prompt,
                question.follow_up_text or question.prompt,
                "unknown" if answer is not None else "unanswered",
                changes,
            )
        )
    facts = base.facts
    facts.outcomes = final
    next_review, next_reason = _next_review(bank, facts)
    outcomes = {
        o.id: OutcomeResult(o.id, o.label, final[o.id], tuple(reasons[o.id])) for o in bank.meta.outcomes
    }
    return Result(
        bank_id=bank.id,
        bank_version=bank.version,
        bank_hash=bank.content_hash,
        reviewed_on=reviewed_on,
        provisional=not complete or bool(base.vis.unanswered),
        scores=base.scores,
        outcomes=outcomes,
        findings=tuple(base.findings),
        follow_ups=tuple(follow_ups),
        next_review=next_review,
        next_review_reason=next_reason,
        visibility=base.vis,
        findings_path=bank.meta.findings_path,
        headline_ids=tuple(o.id for o in bank.meta.outcomes if o.headline),
    )
