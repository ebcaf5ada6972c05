"""The recommendation: the bank's rules evaluated over answers and scores.

Rules only raise outcomes, in file order. Unknown answers are never scored in the
vendor's favour: each is scored by a conservative policy, and each possible answer is
tried. Every outcome ends at least where the strictest plausible answer would put it
(for a question that declares it, where the answer the rest of the file makes most
likely would — "every kind of data at once" is not plausible), and at least where all
the unknowns resolved together at their strictest would. Such outcomes are
provisional, naming the questions that would settle them. The follow-up list says
what each unknown could still change, alone or together with the others.
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
    OutcomeTest,
    QuestionTest,
    ScoreTest,
    add_months,
    evaluate,
    last_occurrence,
    true_leaves,
)
from socwizard.core.bank.models import Bank, MultiChoice, Question, SingleChoice
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
    satisfied: bool = False
    """An extra that is already satisfied (for example a bridge letter on file)."""
    settled_by: tuple[str, ...] = ()
    """Unknown questions that hold this outcome up provisionally (empty = settled)."""


@dataclass(frozen=True)
class FindingResult:
    """A finding raised by a rule."""

    id: str
    label: str
    reason: Reason


@dataclass(frozen=True)
class AnswerWarning:
    """Answers that contradict each other: one firing of a rule whose finding is a warning."""

    finding_id: str
    label: str
    rule_id: str
    text: str
    questions: tuple[str, ...]
    """Every question the rule tested to raise it, the dates it compared against included."""


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
class JointUnknowns:
    """What could change when the unknowns resolve together."""

    unknowns: tuple[str, ...]
    """The unknown questions considered."""
    all_worst: Mapping[str, str]
    """Outcome values with every unknown at its strictest plausible answer."""
    all_best: Mapping[str, str]
    """Outcome values with every unknown at its most lenient answer."""
    runs: int = 0
    """Rule evaluations spent (bounded: about candidates + 2 per unknown)."""


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
    joint: JointUnknowns | None = None
    satisfiable: frozenset[str] = frozenset()
    """Outcomes some rule can mark satisfied (they carry a ``satisfied`` flag in JSON)."""
    warnings: tuple[AnswerWarning, ...] = ()
    """Answers that contradict each other (also listed among the findings)."""

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
            if outcome.id in self.satisfiable:
                node["satisfied" if parents else f"{leaf}_satisfied"] = outcome.satisfied
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
            "provisional_outcomes": {
                o.id: list(o.settled_by) for o in self.outcomes.values() if o.settled_by
            },
            "joint_unknowns": self._joint_json(),
            "answer_warnings": [
                {
                    "finding": w.finding_id,
                    "label": w.label,
                    "rule": w.rule_id,
                    "text": w.text,
                    "questions": list(w.questions),
                }
                for w in self.warnings
            ],
        }

    def _joint_json(self) -> dict[str, Any]:
        joint = self.joint
        if joint is None:
            return {"unknowns": [], "all_worst": {}, "all_best": {}}
        return {
            "unknowns": list(joint.unknowns),
            "all_worst": {k: v for k, v in joint.all_worst.items() if v != self.value(k)},
            "all_best": {k: v for k, v in joint.all_best.items() if v != self.value(k)},
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
    satisfied: set[str]
    warnings: list[AnswerWarning] = field(default_factory=list)

    @property
    def shown(self) -> frozenset[str]:
        """Questions shown in this run."""
        return frozenset(self.vis.shown)


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
    bank: Bank,
    condition: Condition | None,
    facts: Facts,
    scores: Scores,
    reasons: Mapping[str, list[Reason]],
) -> tuple[AnswerRef, ...]:
    """The answers behind a true condition.

    Tested answers, the top answers of tested scores, and for a tested outcome the answers
    behind the reasons that decided it (so "Your audited financial statements depend on the
    service" quotes what the service does and whether the statements are audited, not only
    the answer that let the rule run). Only the outcome's first reason is drawn on: its
    other reasons are shown under the outcome itself.
    """
    question_ids: list[str] = []
    for leaf in true_leaves(condition, facts):
        if isinstance(leaf, QuestionTest):
            question_ids.append(leaf.question)
        elif isinstance(leaf, ScoreTest) and leaf.score in scores.dimensions:
            top = sorted(scores.dimensions[leaf.score].contributions, key=lambda c: -c.points)
            question_ids += [c.question_id for c in top[:2] if c.points > 0]
        elif isinstance(leaf, OutcomeTest):
            decided_by = reasons.get(leaf.outcome) or []
            if decided_by:  # the first reason only: an outcome's full story is under it
                question_ids += [ref.question_id for ref in decided_by[0].answers]
    refs = []
    for qid in dict.fromkeys(question_ids):
        question, answer = bank.question(qid), facts.answers.get(qid)
        # A question with no answer at all (hidden by a branch, or not reached) is not
        # "an answer behind" the reason: a negated test on it holds vacuously, and quoting
        # it read "→ not answered yet" under a complete assessment's reasons (issue 13).
        if question is not None and answer is not None:
            refs.append(AnswerRef(qid, question.prompt, describe(question, answer)))
    return tuple(refs)


_TOKEN = re.compile(r"\{(answer|months_since):([a-z][a-z0-9_]*)\}")
_SEGMENT = re.compile(r"\[\[(.*?)(?:\|\|(.*?))?\]\]", re.DOTALL)
# A token whose answer is missing or unknown never pastes "not answered yet" or
# "I don't know" into a sentence: it reads as this (or the bank writes a segment).
_NOT_RECORDED = "not recorded"


def _known(text: str, facts: Facts) -> bool:
    """Whether every answer quoted in ``text`` is answered (not unknown, not missing)."""
    for _, qid in _TOKEN.findall(text):
        answer = facts.answers.get(qid)
        if answer is None or answer.state is State.UNKNOWN:
            return False
    return True


def _fill(bank: Bank, text: str, facts: Facts) -> str:
    """Quote answers in a reason: ``{answer:q}`` and ``{months_since:q}``.

    A segment ``[[with answers||without]]`` reads its first part when every answer it
    quotes is known, else its second (which may be empty): a reason never pastes
    "not answered yet" into a sentence. A bare token whose answer is missing or
    unknown reads "not recorded".
    """
    if "{" not in text and "[[" not in text:
        return text

    def segment(match: re.Match[str]) -> str:
        first, second = match.group(1), match.group(2) or ""
        return first if _known(first, facts) else second

    def one(match: re.Match[str]) -> str:
        kind, qid = match.groups()
        question = bank.question(qid)
        answer = facts.answers.get(qid)
        if kind == "answer":
            if question is None:
                return qid
            if answer is None or answer.state is State.UNKNOWN:
                return _NOT_RECORDED
            return describe(question, answer)
        value = answer.value if answer is not None and answer.state is State.ANSWERED else None
        if not isinstance(value, dt.date):
            return "?"
        months = (facts.reviewed_on.year - value.year) * 12 + facts.reviewed_on.month - value.month
        if facts.reviewed_on.day < value.day and add_months(value, months) > facts.reviewed_on:
            months -= 1
        return str(max(months, 0))

    return _TOKEN.sub(one, _SEGMENT.sub(segment, text))


def annual_dates(bank: Bank, answers: Mapping[str, Answer], reviewed_on: dt.date) -> dict[str, dt.date]:
    """The bank's computed dates (e.g. the last completed fiscal year-end) for these answers."""
    found: dict[str, dt.date] = {}
    for annual in bank.meta.annual_dates:
        month_q = bank.question(annual.month_question)
        answer = answers.get(annual.month_question)
        if not isinstance(month_q, SingleChoice) or answer is None or answer.state is not State.ANSWERED:
            continue
        values = [ch.value for ch in month_q.choices]
        if answer.value not in values:
            continue
        day_answer = answers.get(annual.day_question or "")
        day = day_answer.value if day_answer is not None and day_answer.state is State.ANSWERED else None
        day_int = int(day) if isinstance(day, int | float) and not isinstance(day, bool) else None
        found[annual.id] = last_occurrence(values.index(str(answer.value)) + 1, day_int, reviewed_on)
    return found


def _run(
    bank: Bank,
    answers: Mapping[str, Answer],
    reviewed_on: dt.date,
    ranks: Mapping[str, Mapping[str, int]],
    explain: bool,
    base_shown: frozenset[str] | None = None,
) -> _Run:
    """Evaluate the rules once.

    In a what-if run (``base_shown`` given), a question that the trial answer newly
    reveals counts as unknown even in an optional section: who does not know which
    report they have does not know what it says either.
    """
    vis = visibility(bank, answers, reviewed_on)
    scores = score(bank, vis)
    values = {o.id: o.default or (bank.meta.scales.get(o.scale) or [""])[0] for o in bank.meta.outcomes}
    reasons: dict[str, list[Reason]] = {o: [] for o in values}
    findings: list[FindingResult] = []
    warnings: list[AnswerWarning] = []
    satisfied: set[str] = set()
    facts = Facts(
        answers=vis.effective,
        shown=set(vis.expected) | (set(vis.shown) - base_shown if base_shown is not None else set()),
        reviewed_on=reviewed_on,
        scores=scores.values(),
        coverage=scores.coverages(),
        outcomes=values,
        findings=set(),
        scale_rank=ranks,
        dates=annual_dates(bank, vis.effective, reviewed_on) if bank.meta.annual_dates else {},
    )
    for rule in bank.meta.rules:
        if not evaluate(rule.when, facts):
            continue
        if explain:
            refs = _answer_refs(bank, rule.when, facts, scores, reasons)
            reason = Reason(rule.id, fit_reason(_fill(bank, rule.reason, facts), refs, facts.answers), refs)
        else:
            reason = Reason(rule.id, rule.reason)
        for target, value in rule.set.items():
            rank = ranks[target]
            if rank[value] > rank[values[target]]:
                values[target] = value
                reasons[target] = [reason]
            elif rank[value] == rank[values[target]]:
                reasons[target].append(reason)
        for target in rule.satisfies:
            if target not in satisfied:
                satisfied.add(target)
                reasons[target] = [reason]
        if rule.finding is None:
            continue
        found_in_bank = bank.finding(rule.finding)
        if explain and found_in_bank is not None and found_in_bank.warning:
            warnings.append(
                AnswerWarning(
                    rule.finding,
                    found_in_bank.label,
                    rule.id,
                    reason.text,
                    _tested_questions(bank, rule.when, facts),
                )
            )
        if rule.finding not in facts.findings:
            facts.findings.add(rule.finding)
            finding = bank.finding(rule.finding)
            findings.append(FindingResult(rule.finding, finding.label if finding else rule.finding, reason))
        elif explain:
            # The same finding raised again (e.g. a second missing criterion): say both.
            for n, found in enumerate(findings):
                if found.id == rule.finding and reason.text not in found.reason.text:
                    merged = Reason(
                        found.reason.rule_id,
                        f"{found.reason.text} {reason.text}",
                        tuple(dict.fromkeys((*found.reason.answers, *reason.answers))),
                    )
                    findings[n] = FindingResult(found.id, found.label, merged)
    # An outcome raised after it was marked satisfied keeps the satisfied reason first.
    return _Run(values, reasons, findings, scores, vis, facts, satisfied, warnings)


def _tested_questions(bank: Bank, condition: Condition | None, facts: Facts) -> tuple[str, ...]:
    """The questions behind a true condition, with the date questions its leaves compare to."""
    found: list[str] = []
    for leaf in true_leaves(condition, facts):
        if not isinstance(leaf, QuestionTest):
            continue
        found.append(leaf.question)
        for ref in (leaf.before, leaf.after, leaf.on_or_before, leaf.on_or_after):
            if isinstance(ref, str) and bank.question(ref) is not None:
                found.append(ref)
    return tuple(dict.fromkeys(found))


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
        due = add_months(start, candidate.plus_months)
        if due < facts.reviewed_on:
            continue  # already passed (a stale report): the follow-up interval decides
        if best is None or due < best[0]:
            best = (due, candidate.reason)
    return (best[0], best[1]) if best else (None, "")


def _rank_sum(values: Mapping[str, str], ranks: Mapping[str, Mapping[str, int]]) -> int:
    return sum(ranks[o].get(v, 0) for o, v in values.items())


def _likely(bank: Bank, question: Question, facts: Facts) -> Answer | None:
    """The answer the rest of the file makes most likely, for a question that declares it."""
    if not isinstance(question, MultiChoice | SingleChoice) or question.unknown_assume != "likely":
        return None
    picked = tuple(
        ch.value for ch in question.choices if ch.likely_when is not None and evaluate(ch.likely_when, facts)
    )
    if not picked:
        return None
    return Answer(value=picked) if isinstance(question, MultiChoice) else Answer(value=picked[0])


@dataclass
class _Explored:
    """One unknown question, tried with each possible answer."""

    qid: str
    question: Question
    answer: Answer | None
    seen: dict[str, set[str]]
    floor: dict[str, str]
    """Per outcome, the level its strictest plausible answer (or its likely answer) gives."""
    strict: Answer | None
    """The single plausible answer that is strictest overall (for the joint run)."""
    lenient: Answer | None
    likely: Answer | None
    plausible: tuple[Answer, ...] = ()
    options: tuple[Answer, ...] = ()
    joint_changes: dict[str, str] = field(default_factory=dict)


def _explore_one(
    bank: Bank,
    base: _Run,
    qid: str,
    question: Question,
    answer: Answer | None,
    options: list[Answer],
    reviewed_on: dt.date,
    ranks: Mapping[str, Mapping[str, int]],
) -> tuple[_Explored, int]:
    seen: dict[str, set[str]] = {o: set() for o in base.values}
    likely = _likely(bank, question, base.facts)
    if likely is not None and likely not in options:
        options = [*options, likely]
    runs: list[tuple[Answer, dict[str, str]]] = []
    for option in options:
        # Only the answers that count: answers set aside under hidden questions must
        # not decide what an unknown could change (nor its floor).
        trial = dict(base.vis.effective)
        trial[qid] = option
        values = _run(bank, trial, reviewed_on, ranks, explain=False, base_shown=base.shown).values
        runs.append((option, values))
        for outcome_id, value in values.items():
            seen[outcome_id].add(value)
    if likely is not None:
        plausible = [r for r in runs if r[0] == likely]
    else:
        # One answer at a time; "every choice at once" is not a plausible answer.
        plausible = [r for r in runs if not (isinstance(r[0].value, tuple) and len(r[0].value) != 1)] or runs
    floor: dict[str, str] = {}
    for _, values in plausible:
        for outcome_id, value in values.items():
            top = floor.get(outcome_id)
            if top is None or ranks[outcome_id][value] > ranks[outcome_id][top]:
                floor[outcome_id] = value
    strict = max(plausible, key=lambda r: _rank_sum(r[1], ranks))[0] if plausible else None
    lenient = min(runs, key=lambda r: _rank_sum(r[1], ranks))[0] if runs else None
    return (
        _Explored(
            qid,
            question,
            answer,
            seen,
            floor,
            strict,
            lenient,
            likely,
            tuple(r[0] for r in plausible),
            tuple(r[0] for r in runs),
        ),
        len(runs),
    )


def _joint(
    bank: Bank,
    base: _Run,
    explored: list[_Explored],
    reviewed_on: dt.date,
    ranks: Mapping[str, Mapping[str, int]],
) -> JointUnknowns:
    """All unknowns at their strictest together, and all at their most lenient.

    Each unknown's share of the joint worst case is found by flipping it alone back to
    its lenient answer inside that case.
    """
    tried = [e for e in explored if e.strict is not None and e.lenient is not None]
    worst_answers = dict(base.vis.effective)
    best_answers = dict(base.vis.effective)
    for e in tried:
        worst_answers[e.qid] = e.strict  # type: ignore[assignment]
        best_answers[e.qid] = e.lenient  # type: ignore[assignment]

    def trial(answers: Mapping[str, Answer]) -> dict[str, str]:
        return _run(bank, answers, reviewed_on, ranks, explain=False, base_shown=base.shown).values

    worst = trial(worst_answers)
    runs = 1
    if len(tried) > 1:
        # One pass of coordinate ascent: an answer that is harmless alone (an audit,
        # while the financial processes are unknown) can be the strictest together.
        for e in tried:
            if e.likely is not None:
                continue
            for option in e.plausible:
                if option == worst_answers[e.qid]:
                    continue
                values = trial({**worst_answers, e.qid: option})
                runs += 1
                if _rank_sum(values, ranks) > _rank_sum(worst, ranks):
                    worst_answers[e.qid], worst = option, values
                    e.strict = option
    best = trial(best_answers)
    runs += 1
    if len(tried) > 1:
        # Which unknowns matter together: each one tried with its other answers inside
        # the joint worst case.
        for e in tried:
            changes: dict[str, str] = {}
            for option in e.options:
                if option == worst_answers[e.qid]:
                    continue
                values = trial({**worst_answers, e.qid: option})
                runs += 1
                changes.update({o: worst[o] for o in worst if values[o] != worst[o]})
            e.joint_changes = changes
    return JointUnknowns(tuple(e.qid for e in tried), worst, best, runs)


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
    each outcome is raised to at least the level the strictest plausible answer gives
    (or the likely answer, for a question that declares one), and to the level all the
    unknowns at their strictest give together; follow-ups list what each could change.
    Unanswered questions of an in-progress interview are still to do, not unknowns:
    they are scored conservatively but not explored. ``explore=False`` skips the
    exploration (autosave snapshots of in-progress work).
    """
    ranks = _ranks(bank)
    base = _run(bank, answers, reviewed_on, ranks, explain=True)
    labels = {o.id: o.label for o in bank.meta.outcomes}
    final = dict(base.values)
    reasons = {k: list(v) for k, v in base.reasons.items()}
    settled_by: dict[str, list[str]] = {o: [] for o in final}
    follow_ups: list[FollowUp] = []
    explored: list[_Explored] = []
    unexplored: list[tuple[str, Question, Answer | None]] = []
    for qid in base.vis.shown:
        question = bank.question(qid)
        answer = base.vis.effective.get(qid)
        if question is None or (answer is None and qid not in base.vis.expected):
            continue
        if answer is not None and answer.state is not State.UNKNOWN:
            continue
        explored_here = explore and (answer is not None or complete)
        options = candidates(question, reviewed_on) if explored_here else []
        if not options:
            unexplored.append((qid, question, answer))
            continue
        one, _ = _explore_one(bank, base, qid, question, answer, options, reviewed_on, ranks)
        explored.append(one)
    joint = _joint(bank, base, explored, reviewed_on, ranks) if explored else None

    def raise_to(outcome_id: str, value: str, reason: Reason) -> None:
        if ranks[outcome_id][value] > ranks[outcome_id][final[outcome_id]]:
            final[outcome_id] = value
            reasons[outcome_id] = [reason]
        elif ranks[outcome_id][value] == ranks[outcome_id][final[outcome_id]] and reason.rule_id.startswith(
            "unknown:"
        ):
            reasons[outcome_id].append(reason)

    for e in explored:
        ref = (AnswerRef(e.qid, e.question.prompt, describe(e.question, e.answer)),)
        for outcome_id, value in e.floor.items():
            if ranks[outcome_id][value] <= ranks[outcome_id][base.values[outcome_id]]:
                continue
            settled_by[outcome_id].append(e.qid)
            if e.likely is not None:
                text = (
                    f"Not known yet, so held provisionally at “{value_label(value)}”: that is "
                    "where the answer the rest of the file makes most likely "
                    f"({describe(e.question, e.likely)}) "
                    "puts it (assuming every choice at once would be absurd). "
                    f'Answer "{e.question.prompt}" to settle it.'
                )
            else:
                text = (
                    f"Not known yet, so held provisionally at “{value_label(value)}”: the "
                    f'strictest plausible answer puts it there. Answer "{e.question.prompt}" to settle it.'
                )
            raise_to(outcome_id, value, Reason(f"unknown:{e.qid}", text, ref))
    if joint is not None and len(joint.unknowns) > 1:
        for outcome_id, value in joint.all_worst.items():
            if ranks[outcome_id][value] <= ranks[outcome_id][final[outcome_id]]:
                continue
            movers = [e for e in explored if outcome_id in e.joint_changes] or explored
            names = ", ".join(f'"{e.question.prompt}"' for e in movers)
            refs = tuple(AnswerRef(e.qid, e.question.prompt, describe(e.question, e.answer)) for e in movers)
            settled_by[outcome_id] = list(dict.fromkeys([*settled_by[outcome_id], *(e.qid for e in movers)]))
            text = (
                f"Not known yet, so held provisionally at “{value_label(value)}”: the unknowns "
                f"resolved together at their strictest put it there. Answer {names} to settle it."
            )
            raise_to(outcome_id, value, Reason("unknown:joint", text, refs))

    for e in explored:
        if not e.question.follow_up:
            continue
        possible: dict[str, set[str]] = {o: set(v) for o, v in e.seen.items()}
        for o, v in e.joint_changes.items():
            possible[o].add(v)
        changes = tuple(
            Change(o, labels[o], final[o], tuple(sorted(v - {final[o]}, key=ranks[o].__getitem__)))
            for o, v in possible.items()
            if v - {final[o]}
        )
        follow_ups.append(_follow_up(e.qid, e.question, e.answer, changes))
    for qid, question, answer in unexplored:
        if question.follow_up:
            follow_ups.append(_follow_up(qid, question, answer, ()))
    order = {q: i for i, q in enumerate(base.vis.shown)}
    follow_ups.sort(key=lambda f: order.get(f.question_id, 0))
    facts = base.facts
    facts.outcomes = final
    next_review, next_reason = _next_review(bank, facts)
    outcomes = {
        o.id: OutcomeResult(
            o.id,
            o.label,
            final[o.id],
            tuple(reasons[o.id]),
            satisfied=o.id in base.satisfied,
            settled_by=tuple(settled_by[o.id]),
        )
        for o in bank.meta.outcomes
    }
    return Result(
        bank_id=bank.id,
        bank_version=bank.version,
        bank_hash=bank.content_hash,
        reviewed_on=reviewed_on,
        provisional=not complete or bool(base.vis.unanswered) or any(settled_by.values()),
        scores=base.scores,
        outcomes=outcomes,
        findings=tuple(base.findings),
        follow_ups=tuple(follow_ups),
        next_review=next_review,
        next_review_reason=next_reason,
        visibility=base.vis,
        findings_path=bank.meta.findings_path,
        headline_ids=tuple(o.id for o in bank.meta.outcomes if o.headline),
        joint=joint,
        satisfiable=frozenset(t for r in bank.meta.rules for t in r.satisfies),
        warnings=tuple(base.warnings),
    )


def _follow_up(qid: str, question: Question, answer: Answer | None, changes: tuple[Change, ...]) -> FollowUp:
    return FollowUp(
        qid,
        question.section or "",
        question.prompt,
        question.follow_up_text or question.prompt,
        "unknown" if answer is not None else "unanswered",
        changes,
    )
