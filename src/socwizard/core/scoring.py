"""Pure scoring: visibility, dimension scores, coverage, contributions, follow-ups.

Scores are 0–100 per dimension (higher = more risk): the weighted average of the
scores of the visible, known, applicable answers that bear on the dimension.
"I don't know" (and a question still unanswered) is scored by the question's
unknown policy — ``worst`` by default, so an unknown never lowers a score.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import NamedTuple

from socwizard.core.answers import NOT_APPLICABLE, Answer, State
from socwizard.core.bank.conditions import Facts, add_months, evaluate
from socwizard.core.bank.models import (
    Bank,
    DateQuestion,
    MultiChoice,
    Number,
    Question,
    SingleChoice,
    Text,
    YesNo,
)
from socwizard.core.text import one_line


@dataclass(frozen=True)
class Visibility:
    """Which questions are shown for a set of answers."""

    shown: tuple[str, ...]
    """Visible question ids, in interview order."""
    expected: frozenset[str]
    """Visible questions that need an answer (not in an optional section)."""
    effective: Mapping[str, Answer]
    """Answers of visible questions only: the ones that count."""
    set_aside: tuple[str, ...]
    """Answered questions that are hidden now: kept in the file, not counted."""
    unanswered: tuple[str, ...]
    """Expected questions with no answer yet."""


def visibility(bank: Bank, answers: Mapping[str, Answer], reviewed_on: dt.date) -> Visibility:
    """Walk the bank in order; a question is shown when its section and condition hold."""
    effective: dict[str, Answer] = {}
    shown: list[str] = []
    expected: set[str] = set()
    facts = Facts(answers=effective, shown=expected, reviewed_on=reviewed_on)
    section_open: dict[str, bool] = {}
    optional = {s.id for s in bank.meta.sections if s.optional}
    for question in bank.questions:
        section_id = question.section or ""
        if section_id not in section_open:
            section = bank.section(section_id)
            section_open[section_id] = section is None or evaluate(section.when, facts)
        if not section_open[section_id] or not evaluate(question.when, facts):
            continue
        shown.append(question.id)
        if section_id not in optional:
            expected.add(question.id)
        answer = answers.get(question.id)
        if answer is not None:
            effective[question.id] = answer
    set_aside = tuple(q for q in answers if q not in effective and bank.question(q) is not None)
    unanswered = tuple(q for q in shown if q in expected and q not in effective)
    return Visibility(tuple(shown), frozenset(expected), effective, set_aside, unanswered)


def _choice_scores(question: Question) -> list[dict[str, float]]:
    if isinstance(question, SingleChoice | MultiChoice):
        return [ch.scores for ch in question.choices]
    if isinstance(question, YesNo):
        return [question.yes_scores, question.no_scores]
    if isinstance(question, Number):
        return [band.scores for band in question.bands]
    return []


@dataclass(frozen=True)
class _QuestionScoring:
    """Precomputed per question: its dimensions and their lowest/highest scores."""

    dims: tuple[str, ...]
    extremes: Mapping[str, tuple[float, float]]


_SCORING_CACHE: dict[int, tuple[Question, _QuestionScoring]] = {}


def _scoring(question: Question) -> _QuestionScoring:
    cached = _SCORING_CACHE.get(id(question))
    if cached is not None and cached[0] is question:
        return cached[1]
    dims = tuple(dict.fromkeys(d for scores in _choice_scores(question) for d in scores))
    table = _QuestionScoring(dims, {d: _extremes(question, d) for d in dims})
    if len(_SCORING_CACHE) > 50_000:
        _SCORING_CACHE.clear()
    _SCORING_CACHE[id(question)] = (question, table)
    return table


def answer_scores(question: Question, answer: Answer) -> dict[str, float]:
    """Scores of a known answer on every dimension the question bears on."""
    dims = _scoring(question).dims
    if not dims or answer.state is not State.ANSWERED:
        return {}
    value = answer.value
    if isinstance(question, SingleChoice):
        chosen = next((ch.scores for ch in question.choices if ch.value == value), {})
        return {d: chosen.get(d, 0.0) for d in dims}
    if isinstance(question, MultiChoice):
        picked = value if isinstance(value, tuple) else ()
        rows = [ch.scores for ch in question.choices if ch.value in picked]
        if not rows:
            return dict.fromkeys(dims, 0.0)
        if question.aggregate == "max":
            return {d: max(r.get(d, 0.0) for r in rows) for d in dims}
        return {d: min(100.0, sum(r.get(d, 0.0) for r in rows)) for d in dims}
    if isinstance(question, YesNo):
        scores = question.yes_scores if value is True else question.no_scores
        return {d: scores.get(d, 0.0) for d in dims}
    if isinstance(question, Number) and isinstance(value, int | float):
        band: dict[str, float] = {}
        for candidate in question.bands:
            if value >= candidate.at_least:
                band = candidate.scores
        return {d: band.get(d, 0.0) for d in dims}
    return {}


def answer_score(question: Question, answer: Answer, dim: str) -> float | None:
    """Score of a known answer on one dimension (None if the question has no bearing)."""
    return answer_scores(question, answer).get(dim)


def _extremes(question: Question, dim: str) -> tuple[float, float]:
    if isinstance(question, MultiChoice) and question.aggregate == "sum":
        top = min(100.0, sum(ch.scores.get(dim, 0.0) for ch in question.choices if not ch.exclusive))
        low = min(ch.scores.get(dim, 0.0) for ch in question.choices)
        return low, top
    values = [scores.get(dim, 0.0) for scores in _choice_scores(question)]
    if isinstance(question, Number):
        values.append(0.0)  # a value below every band
    return min(values), max(values)


def unknown_score(question: Question, dim: str, default_policy: str) -> float | None:
    """Score of "I don't know" on a dimension by the question's policy (None = excluded)."""
    policy = question.unknown_policy or default_policy
    if policy == "exclude":
        return None
    low, high = _scoring(question).extremes.get(dim) or _extremes(question, dim)
    return {"worst": high, "best": low}.get(policy, (low + high) / 2)


class Contribution(NamedTuple):
    """What one answer adds to one dimension score."""

    question_id: str
    points: float
    """Points of the 0–100 dimension score due to this answer."""
    answer_score: float
    weight: float
    assumed: bool
    """True when the answer is unknown and scored by policy."""


@dataclass(frozen=True)
class DimensionScore:
    """A dimension's score, its coverage and the answers behind it."""

    id: str
    label: str
    score: float
    coverage: float
    contributions: tuple[Contribution, ...]


@dataclass(frozen=True)
class Scores:
    """All dimension scores plus overall coverage."""

    dimensions: Mapping[str, DimensionScore]
    coverage: float
    """Share of the weight of expected questions that has a known or "doesn't apply" answer."""

    def values(self) -> dict[str, float]:
        """Dimension id → score."""
        return {k: v.score for k, v in self.dimensions.items()}

    def coverages(self) -> dict[str, float]:
        """``overall`` and dimension id → coverage."""
        return {"overall": self.coverage, **{k: v.coverage for k, v in self.dimensions.items()}}


def score(bank: Bank, vis: Visibility) -> Scores:
    """Score every dimension over the visible questions."""
    default_policy = bank.meta.unknown_policy
    totals: dict[str, list[tuple[str, float, float, bool]]] = {d.id: [] for d in bank.meta.dimensions}
    cov_all: dict[str, float] = dict.fromkeys(totals, 0.0)
    cov_known: dict[str, float] = dict.fromkeys(totals, 0.0)
    weight_all = weight_known = 0.0
    by_id = bank.by_id
    for qid in vis.shown:
        question = by_id.get(qid)
        if question is None:
            continue
        answer = vis.effective.get(qid)
        if answer is None and qid not in vis.expected:
            continue  # optional section not filled in: neither counted nor missing
        weight = question.weight
        state = answer.state if answer is not None else State.UNKNOWN
        weight_all += weight
        if state is not State.UNKNOWN:
            weight_known += weight
        dims = _scoring(question).dims
        if not dims:
            continue
        known = answer_scores(question, answer) if answer is not None else {}
        for dim in dims:
            if dim not in totals:
                continue
            cov_all[dim] += weight
            if state is State.NOT_APPLICABLE:
                cov_known[dim] += weight
            elif state is State.ANSWERED:
                cov_known[dim] += weight
                totals[dim].append((qid, weight, known[dim], False))
            else:
                value = unknown_score(question, dim, default_policy)
                if value is not None:
                    totals[dim].append((qid, weight, value, True))
    dims_out: dict[str, DimensionScore] = {}
    for dimension in bank.meta.dimensions:
        entries = totals[dimension.id]
        total_weight = sum(w for _, w, _, _ in entries)
        contributions = tuple(
            Contribution(qid, (w * s / total_weight) if total_weight else 0.0, s, w, assumed)
            for qid, w, s, assumed in entries
        )
        value = sum(c.points for c in contributions)
        known_w, all_w = cov_known[dimension.id], cov_all[dimension.id]
        coverage = known_w / all_w if all_w else 1.0
        dims_out[dimension.id] = DimensionScore(
            dimension.id, dimension.label, round(value, 2), round(coverage, 4), contributions
        )
    overall = weight_known / weight_all if weight_all else 1.0
    return Scores(dims_out, round(overall, 4))


def describe(question: Question, answer: Answer | None) -> str:
    """An answer in plain words (labels, not stored values)."""
    if answer is None:
        return "not answered yet"
    if answer.state is State.UNKNOWN:
        return "I don't know"
    if answer.state is State.NOT_APPLICABLE:
        return "Doesn't apply"
    value = answer.value
    if isinstance(question, SingleChoice):
        return next((ch.label for ch in question.choices if ch.value == value), str(value))
    if isinstance(question, MultiChoice):
        picked = value if isinstance(value, tuple) else ()
        labels = [ch.label for ch in question.choices if ch.value in picked]
        return ", ".join(labels) if labels else "None selected"
    if isinstance(question, YesNo):
        return question.yes_label if value is True else question.no_label
    if isinstance(question, Number):
        shown = f"{value:g}" if isinstance(value, float) else str(value)
        return f"{shown} {question.unit}".strip() if question.unit != "%" else f"{shown}%"
    if isinstance(value, dt.date):
        return value.isoformat()
    return one_line(str(value), 120)


def candidates(question: Question, reviewed_on: dt.date) -> list[Answer]:
    """Representative possible answers, to see what an unknown could change."""
    found: list[Answer] = []
    if isinstance(question, SingleChoice):
        found = [Answer(value=ch.value) for ch in question.choices]
    elif isinstance(question, MultiChoice):
        found = [Answer(value=(ch.value,)) for ch in question.choices]
        everything = tuple(ch.value for ch in question.choices if not ch.exclusive)
        found.append(Answer(value=everything))
        if not any(ch.exclusive for ch in question.choices):
            found.append(Answer(value=()))
    elif isinstance(question, YesNo):
        found = [Answer(value=True), Answer(value=False)]
    elif isinstance(question, Number):
        points = {b.at_least for b in question.bands}
        points |= {v for v in (question.min, question.max) if v is not None}
        if not points:
            points = {0.0}
        found = [Answer(value=int(p) if question.integer else p) for p in sorted(points)]
    elif isinstance(question, DateQuestion):
        # The review date, a few months and a year before (a gap a bridge letter can
        # cover, or little overlap with the fiscal year), and long ago (stale).
        found = [Answer(value=add_months(reviewed_on, -months)) for months in (0, 3, 12, 60)]
    elif isinstance(question, Text):
        found = []
    if question.allow_not_applicable:
        found.append(NOT_APPLICABLE)
    return found
