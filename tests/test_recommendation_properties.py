"""Properties of the built-in bank's recommendation, checked with hypothesis.

- Adding a sensitive data type or a financial process never lowers any outcome.
- "I don't know" never gives a lower level than the lowest-risk known answer would,
  and an unknown financial impact keeps SOC 1 at least recommended.
- Answers to hidden questions never change the result.
- Every outcome carries at least one reason, whatever its level.
"""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from socwizard.core.answers import NOT_APPLICABLE, Answer, State
from socwizard.core.bank import conditions as c
from socwizard.core.bank.loader import load_bank
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
from socwizard.core.recommendation import Result, decide
from socwizard.core.scoring import candidates, visibility

QUESTIONS = Path(__file__).resolve().parent.parent / "questions"
REVIEWED_ON = dt.date(2026, 1, 15)
UNKNOWN = Answer(state=State.UNKNOWN)
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

Answers = dict[str, Answer]
NOT_TIERED = Answer(value="not_tiered")


@functools.cache
def bank() -> Bank:
    return load_bank(QUESTIONS)


def ranks(result: Result) -> dict[str, int]:
    b = bank()
    out: dict[str, int] = {}
    for outcome in b.meta.outcomes:
        scale = b.meta.scales[outcome.scale]
        out[outcome.id] = scale.index(result.value(outcome.id))
    return out


def run(answers: Answers) -> Result:
    return decide(bank(), answers, REVIEWED_ON)


# --- strategies ------------------------------------------------------------------------


def known_value(question: Question) -> st.SearchStrategy[Answer]:
    if isinstance(question, SingleChoice):
        return st.sampled_from([Answer(value=c.value) for c in question.choices])
    if isinstance(question, MultiChoice):
        exclusive = [c.value for c in question.choices if c.exclusive]
        others = [c.value for c in question.choices if not c.exclusive]
        picks = st.lists(st.sampled_from(others), min_size=1, unique=True).map(tuple)
        if exclusive:
            picks = st.one_of(picks, st.sampled_from([(v,) for v in exclusive]))
        return picks.map(lambda v: Answer(value=v))
    if isinstance(question, YesNo):
        return st.booleans().map(lambda v: Answer(value=v))
    if isinstance(question, Number):
        points = sorted({b.at_least for b in question.bands} | {question.min or 0.0, question.max or 100.0})
        low, high = question.min or 0.0, question.max or 100.0
        return st.one_of(
            st.sampled_from(points), st.floats(min_value=low, max_value=high, allow_nan=False)
        ).map(lambda v: Answer(value=v))
    if isinstance(question, DateQuestion):
        return st.dates(min_value=dt.date(2023, 1, 1), max_value=dt.date(2027, 12, 31)).map(
            lambda v: Answer(value=v)
        )
    assert isinstance(question, Text)
    return st.sampled_from(["Everything", "The EU region only"]).map(lambda v: Answer(value=v))


def any_answer(question: Question, unknowns: bool) -> st.SearchStrategy[Answer]:
    options = [known_value(question)]
    if unknowns and question.allow_unknown:
        options.append(st.just(UNKNOWN))
    if question.allow_not_applicable:
        options.append(st.just(NOT_APPLICABLE))
    return st.one_of(*options)


def all_answers(unknowns: bool = False) -> st.SearchStrategy[Answers]:
    """An answer for every question of the bank, hidden ones included."""
    return st.fixed_dictionaries({q.id: any_answer(q, unknowns) for q in bank().questions})


def choices_of(question_id: str) -> list[str]:
    question = bank().question(question_id)
    assert isinstance(question, MultiChoice)
    return [c.value for c in question.choices if not c.exclusive]


def _commitment_superseded(result: Result) -> bool:
    """At a tier where a Type I is not accepted even as interim evidence, a dated Type II
    commitment is no longer required: the ask is the Type II itself (the verdict says so)."""
    interim = bank().meta.policy.get("type1_interim_tiers", [])
    assert isinstance(interim, list)
    return result.value("tier") not in interim and result.value("evidence.verdict") == "insufficient"


def assert_not_lower(higher: Result, lower: Result, context: str) -> None:
    up, down = ranks(higher), ranks(lower)
    for outcome, rank in down.items():
        if outcome == "extras.type2_commitment.level" and _commitment_superseded(higher):
            continue
        assert up[outcome] >= rank, (
            f"{context}: {outcome} went from {lower.value(outcome)} to {higher.value(outcome)}"
        )


# --- adding risk never lowers a requirement ----------------------------------------------


@SETTINGS
@given(answers=all_answers(unknowns=True), data=st.data())
def test_adding_a_data_type_never_lowers_anything(answers: Answers, data: st.DataObject) -> None:
    types = choices_of("data_types")
    before = data.draw(
        st.one_of(st.just(("none",)), st.lists(st.sampled_from(types), unique=True).map(tuple)),
        label="before",
    )
    added = data.draw(st.sampled_from(types), label="added")
    after = tuple(v for v in types if v in before or v == added)
    base = run({**answers, "data_types": Answer(value=before)})
    more = run({**answers, "data_types": Answer(value=after)})
    assert_not_lower(more, base, f"adding {added} to {before}")


@SETTINGS
@given(answers=all_answers(unknowns=True), data=st.data())
def test_adding_a_financial_process_never_lowers_anything(answers: Answers, data: st.DataObject) -> None:
    processes = choices_of("financial_processes")
    before = data.draw(
        st.one_of(st.just(("none",)), st.lists(st.sampled_from(processes), unique=True).map(tuple)),
        label="before",
    )
    added = data.draw(st.sampled_from(processes), label="added")
    after = tuple(v for v in processes if v in before or v == added)
    base = run({**answers, "financial_processes": Answer(value=before)})
    more = run({**answers, "financial_processes": Answer(value=after)})
    assert_not_lower(more, base, f"adding {added} to {before}")


@SETTINGS
@given(answers=all_answers(unknowns=False), data=st.data())
def test_a_more_risky_single_answer_never_lowers_anything(answers: Answers, data: st.DataObject) -> None:
    """Choices of the gating single questions are listed from least to most risky."""
    question_id = data.draw(
        st.sampled_from(
            [
                "criticality",
                "outage_impact",
                "integration",
                "usage_breadth",
                "replaceability",
                "audited_financials",
            ]
        )
    )
    question = bank().question(question_id)
    assert isinstance(question, SingleChoice)
    values = [c.value for c in question.choices]
    if question_id == "audited_financials":
        values.reverse()  # sox, audited, not_audited: most reliance first
    low, high = sorted(
        data.draw(st.lists(st.sampled_from(values), min_size=2, max_size=2, unique=True)), key=values.index
    )
    assert_not_lower(
        run({**answers, question_id: Answer(value=high)}),
        run({**answers, question_id: Answer(value=low)}),
        f"{question_id}: {low} -> {high}",
    )


# --- "I don't know" ------------------------------------------------------------------------


def dependents(question_id: str) -> set[str]:
    """Questions whose visibility depends on this one's answer."""
    found: set[str] = set()
    for question in bank().questions:
        if question.when is not None and any(
            isinstance(leaf, c.QuestionTest) and leaf.question == question_id
            for leaf in c.leaves(question.when)
        ):
            found.add(question.id)
    return found


@SETTINGS
@given(answers=all_answers(unknowns=False), data=st.data())
def test_unknown_is_never_below_the_lowest_risk_known_answer(answers: Answers, data: st.DataObject) -> None:
    """Every other answer known; the question opens no follow-up of its own."""
    shown = visibility(bank(), answers, REVIEWED_ON).shown
    eligible = [q for q in shown if bank().question(q).allow_unknown and not dependents(q)]  # type: ignore[union-attr]
    question_id = data.draw(st.sampled_from(eligible), label="unknown question")
    question = bank().question(question_id)
    assert question is not None
    unknown = ranks(run({**answers, question_id: UNKNOWN}))
    known = [ranks(run({**answers, question_id: option})) for option in candidates(question, REVIEWED_ON)]
    if not known:  # free text: never scored, never decisive
        assert unknown == ranks(run(answers))
        return
    for outcome, rank in unknown.items():
        lowest = min(k[outcome] for k in known)
        assert rank >= lowest, f"{question_id} unknown lowered {outcome}"


@SETTINGS
@given(answers=all_answers(unknowns=True), question_id=st.sampled_from(["data_types", "financial_processes"]))
def test_unknown_gate_is_never_below_none_of_these(answers: Answers, question_id: str) -> None:
    """For the gating questions the lowest-risk answer is "none of these"."""
    unknown = run({**answers, question_id: UNKNOWN})
    lowest = run({**answers, question_id: Answer(value=("none",))})
    assert_not_lower(unknown, lowest, f"{question_id} unknown vs none")


@SETTINGS
@given(answers=all_answers(unknowns=True))
def test_unknown_financial_impact_keeps_soc1_at_least_recommended(answers: Answers) -> None:
    # The buyer's own tier, when given, wins over the computed one.
    result = run({**answers, "financial_processes": UNKNOWN, "buyer_tier": NOT_TIERED})
    assert result.value("soc1.level") in ("recommended", "required")
    assert result.value("tier") in ("medium", "high")
    assert "financial_processes" in {f.question_id for f in result.follow_ups}


@SETTINGS
@given(answers=all_answers(unknowns=True), process=st.sampled_from(choices_of("financial_processes")))
def test_unknown_audit_status_keeps_soc1_at_least_recommended(answers: Answers, process: str) -> None:
    result = run({**answers, "financial_processes": Answer(value=(process,)), "audited_financials": UNKNOWN})
    assert result.value("soc1.level") in ("recommended", "required")


@SETTINGS
@given(answers=all_answers(unknowns=True))
def test_unknown_data_keeps_soc2_at_least_recommended(answers: Answers) -> None:
    result = run({**answers, "data_types": UNKNOWN, "buyer_tier": NOT_TIERED})
    assert result.value("soc2.level") in ("recommended", "required")
    assert result.value("soc2.criteria.security.level") == "required"
    assert result.value("tier") in ("medium", "high")


@SETTINGS
@given(answers=all_answers(unknowns=True))
def test_security_is_required_whenever_soc2_is_asked_for(answers: Answers) -> None:
    result = run(answers)
    if result.value("soc2.level") != "not_needed":
        assert result.value("soc2.criteria.security.level") == "required"
        assert result.value("soc2.type") in ("type1", "type2")
    else:
        for criterion in ("security", "availability", "processing_integrity", "confidentiality", "privacy"):
            assert result.value(f"soc2.criteria.{criterion}.level") == "not_needed"
    if result.value("soc1.level") == "required":
        assert result.value("soc1.type") == "type2"
        assert result.value("extras.cuec_review.level") == "required"
        buyer = answers.get("buyer_tier")
        if buyer is None or buyer.value == "not_tiered":
            assert result.value("tier") == "high"
        else:
            assert result.value("tier") == buyer.value  # the buyer's own tier wins
    if result.value("soc1.level") == "not_needed":
        assert result.value("soc1.type") == "none"
    assert_every_outcome_explained(result)


def assert_every_outcome_explained(result: Result) -> None:
    for outcome in result.outcomes.values():
        assert outcome.reasons, f"{outcome.id} = {outcome.value} has no reason"


@SETTINGS
@given(
    answers=all_answers(unknowns=True),
    dropped=st.sets(st.sampled_from([q.id for q in bank().questions])),
    complete=st.booleans(),
)
def test_every_outcome_has_a_reason_even_half_answered(
    answers: Answers, dropped: set[str], complete: bool
) -> None:
    """Every level, the lowest included, is explained: complete or in progress, any answers missing."""
    for question_id in dropped:
        answers.pop(question_id)
    assert_every_outcome_explained(decide(bank(), answers, REVIEWED_ON, complete=complete))


@SETTINGS
@given(answers=all_answers(unknowns=True))
def test_availability_is_at_least_optional_whenever_soc2_is_asked_for(answers: Answers) -> None:
    result = run(answers)
    if result.value("soc2.level") != "not_needed":
        assert result.value("soc2.criteria.availability.level") != "not_needed"


@SETTINGS
@given(answers=all_answers(unknowns=False))
def test_no_financial_impact_means_no_soc1(answers: Answers) -> None:
    none = Answer(value=("none",))
    result = run({**answers, "financial_processes": none, "it_controls": none})
    assert result.value("soc1.level") == "not_needed"
    assert result.value("extras.bridge_letter.level") in ("not_needed", "recommended")


# --- hidden questions ------------------------------------------------------------------


def comparable(result: Result) -> dict[str, Any]:
    data = result.to_json()
    data.pop("answers_set_aside")
    return data


@SETTINGS
@given(answers=all_answers(unknowns=True), other=all_answers(unknowns=True), data=st.data())
def test_hidden_answers_never_change_the_result(
    answers: Answers, other: Answers, data: st.DataObject
) -> None:
    shown = set(visibility(bank(), answers, REVIEWED_ON).shown)
    hidden = [q.id for q in bank().questions if q.id not in shown]
    replaced = dict(answers)
    for question_id in hidden:
        if data.draw(st.booleans(), label=f"drop {question_id}"):
            replaced.pop(question_id)
        else:
            replaced[question_id] = other[question_id]
    assert comparable(run(replaced)) == comparable(run(answers))
