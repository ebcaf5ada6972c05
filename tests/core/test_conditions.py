"""The condition language: validation (exactly one operator) and evaluation."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from pydantic import TypeAdapter, ValidationError

from socwizard.core.answers import NOT_APPLICABLE, UNKNOWN, Answer
from socwizard.core.bank import conditions as c
from socwizard.core.bank.conditions import Facts, add_months, depth, evaluate, leaves, true_questions

ADAPTER: TypeAdapter[Any] = TypeAdapter(c.Condition)
REVIEWED = dt.date(2026, 3, 31)


def cond(data: Any) -> Any:
    return ADAPTER.validate_python(data)


def facts(answers: dict[str, Answer] | None = None, shown: set[str] | None = None, **kw: Any) -> Facts:
    answers = answers or {}
    return Facts(answers=answers, shown=set(answers) if shown is None else shown, reviewed_on=REVIEWED, **kw)


# --- validation -------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        {"question": "q", "equals": "a"},
        {"question": "q", "equals": True},
        {"question": "q", "equals": 3.5},
        {"question": "q", "any_of": ["a", "b"]},
        {"question": "q", "contains": "a"},
        {"question": "q", "contains_any": ["a"]},
        {"question": "q", "answered": True},
        {"question": "q", "unknown": False},
        {"question": "q", "not_applicable": True},
        {"question": "q", "gt": 1, "lte": 5},
        {"question": "q", "before": "@reviewed_on", "plus_months": 12},
        {"question": "q", "on_or_after": dt.date(2026, 1, 1)},
        {"question": "q", "after": "other_date"},
        {"score": "data", "gte": 60},
        {"coverage": "overall", "lt": 0.5},
        {"outcome": "tier", "at_least": "high"},
        {"finding": "stale"},
        {"all": [{"question": "q", "answered": True}, {"not": {"finding": "x"}}]},
        {"any": [{"question": "q", "answered": True}]},
    ],
)
def test_valid_conditions(data: dict[str, Any]) -> None:
    cond(data)


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        ({"question": "q"}, "exactly one operator"),
        ({"question": "q", "equals": "a", "answered": True}, "found 2"),
        ({"question": "q", "gt": 1, "before": "@reviewed_on"}, "found 2"),
        ({"question": "q", "equals": "a", "plus_months": 3}, "plus_months only goes with a date"),
        ({"question": "q", "equals": "a", "bogus": 1}, "Extra inputs"),
        ({"question": "Q!", "answered": True}, "pattern"),
        ({"question": "q", "before": "@yesterday"}, ""),
        ({"score": "data"}, "needs gt, gte, lt or lte"),
        ({"coverage": "overall"}, "needs gt, gte, lt or lte"),
        ({"outcome": "tier"}, "exactly one of"),
        ({"outcome": "tier", "equals": "a", "at_least": "b"}, "exactly one of"),
        ({"colour": "red"}, "a condition needs one of the keys"),
        ({"all": []}, "at least 1"),
        ("just a string", ""),
    ],
)
def test_invalid_conditions(data: Any, fragment: str) -> None:
    with pytest.raises(ValidationError) as info:
        cond(data)
    assert fragment in str(info.value)


def test_not_uses_the_not_key() -> None:
    parsed = cond({"not": {"question": "q", "answered": True}})
    assert isinstance(parsed, c.NotOf)
    assert depth(parsed) == 2
    assert [leaf.question for leaf in leaves(parsed) if isinstance(leaf, c.QuestionTest)] == ["q"]


def test_operator_property() -> None:
    assert cond({"question": "q", "gte": 1}).operator == "numeric"
    assert cond({"question": "q", "after": "@reviewed_on"}).operator == "date"
    assert cond({"question": "q", "contains_any": ["a"]}).operator == "contains_any"


# --- evaluation -------------------------------------------------------------------


def test_none_is_always_true() -> None:
    assert evaluate(None, facts())


@pytest.mark.parametrize(
    "data",
    [
        {"question": "q", "equals": "a"},
        {"question": "q", "any_of": ["a"]},
        {"question": "q", "contains": "a"},
        {"question": "q", "contains_any": ["a"]},
        {"question": "q", "gt": -1e9},
        {"question": "q", "lt": 1e9},
        {"question": "q", "before": "2999-01-01"},
        {"question": "q", "after": "0001-01-02"},
        {"question": "q", "answered": True},
        {"question": "q", "not_applicable": True},
    ],
)
@pytest.mark.parametrize("state", ["missing", "hidden", "unknown", "not_applicable"])
def test_comparisons_against_missing_hidden_or_unknown_are_false(data: dict[str, Any], state: str) -> None:
    test = cond(data)
    answers = {
        "missing": {},
        "hidden": {},
        "unknown": {"q": UNKNOWN},
        "not_applicable": {"q": NOT_APPLICABLE},
    }[state]
    shown = {"q"} if state in ("missing", "unknown", "not_applicable") else set()
    expected = state == "not_applicable" and "not_applicable" in data
    assert evaluate(test, facts(answers, shown)) is expected


def test_unknown_is_true_for_explicit_unknown_and_shown_but_unanswered() -> None:
    test = cond({"question": "q", "unknown": True})
    assert evaluate(test, facts({"q": UNKNOWN}))
    assert evaluate(test, facts({}, shown={"q"}))
    assert not evaluate(test, facts({}, shown=set()))  # hidden: not unknown
    assert not evaluate(test, facts({"q": Answer(value="a")}))
    assert not evaluate(test, facts({"q": NOT_APPLICABLE}))
    assert evaluate(cond({"question": "q", "unknown": False}), facts({"q": Answer(value="a")}))


def test_answered_and_not_applicable_flags() -> None:
    known = facts({"q": Answer(value=3)})
    assert evaluate(cond({"question": "q", "answered": True}), known)
    assert not evaluate(cond({"question": "q", "answered": False}), known)
    assert evaluate(cond({"question": "q", "answered": False}), facts({"q": UNKNOWN}))
    assert evaluate(cond({"question": "q", "not_applicable": False}), known)


def test_equals_distinguishes_bools_from_numbers() -> None:
    assert evaluate(cond({"question": "q", "equals": True}), facts({"q": Answer(value=True)}))
    assert not evaluate(cond({"question": "q", "equals": True}), facts({"q": Answer(value=1)}))
    assert not evaluate(cond({"question": "q", "equals": 1}), facts({"q": Answer(value=True)}))
    assert not evaluate(cond({"question": "q", "equals": False}), facts({"q": Answer(value=0)}))
    assert evaluate(cond({"question": "q", "equals": 1}), facts({"q": Answer(value=1.0)}))
    assert evaluate(cond({"question": "q", "equals": "a"}), facts({"q": Answer(value="a")}))


def test_any_of_contains_contains_any() -> None:
    single = facts({"q": Answer(value="b")})
    assert evaluate(cond({"question": "q", "any_of": ["a", "b"]}), single)
    assert not evaluate(cond({"question": "q", "any_of": ["a"]}), single)
    assert not evaluate(cond({"question": "q", "contains": "b"}), single)  # not a multi answer
    multi = facts({"q": Answer(value=("a", "c"))})
    assert evaluate(cond({"question": "q", "contains": "c"}), multi)
    assert not evaluate(cond({"question": "q", "contains": "b"}), multi)
    assert evaluate(cond({"question": "q", "contains_any": ["b", "c"]}), multi)
    assert not evaluate(cond({"question": "q", "contains_any": ["b", "d"]}), multi)
    assert not evaluate(cond({"question": "q", "contains_any": ["a"]}), facts({"q": Answer(value=())}))


@pytest.mark.parametrize(
    ("bounds", "value", "expected"),
    [
        ({"gt": 5}, 5, False),
        ({"gte": 5}, 5, True),
        ({"lt": 5}, 4.99, True),
        ({"lte": 5}, 5.01, False),
        ({"gt": 1, "lt": 10}, 5, True),
        ({"gt": 1, "lt": 10}, 10, False),
    ],
)
def test_numeric(bounds: dict[str, float], value: float, expected: bool) -> None:
    assert evaluate(cond({"question": "q", **bounds}), facts({"q": Answer(value=value)})) is expected


def test_numeric_never_matches_a_bool_or_text() -> None:
    assert not evaluate(cond({"question": "q", "gte": 0}), facts({"q": Answer(value=True)}))
    assert not evaluate(cond({"question": "q", "gte": 0}), facts({"q": Answer(value="5")}))


def test_dates_with_plus_months_against_reviewed_on() -> None:
    stale = cond({"question": "end", "plus_months": 12, "before": "@reviewed_on"})
    fresh = facts({"end": Answer(value=dt.date(2025, 6, 30))})
    old = facts({"end": Answer(value=dt.date(2025, 3, 30))})
    edge = facts({"end": Answer(value=dt.date(2025, 3, 31))})
    assert not evaluate(stale, fresh)
    assert evaluate(stale, old)
    assert not evaluate(stale, edge)  # exactly 12 months: not before
    assert evaluate(cond({"question": "end", "plus_months": 12, "on_or_before": "@reviewed_on"}), edge)


def test_dates_against_a_literal_and_another_question() -> None:
    answers = {"start": Answer(value=dt.date(2025, 1, 1)), "end": Answer(value=dt.date(2025, 12, 31))}
    assert evaluate(cond({"question": "end", "after": "start"}), facts(answers))
    assert not evaluate(cond({"question": "end", "before": "start"}), facts(answers))
    assert evaluate(cond({"question": "end", "on_or_after": dt.date(2025, 12, 31)}), facts(answers))
    assert evaluate(cond({"question": "end", "before": "2026-01-01"}), facts(answers))
    # A reference to a missing or unknown date question makes the comparison false.
    assert not evaluate(cond({"question": "end", "after": "nope"}), facts(answers))
    with_unknown = {**answers, "start": UNKNOWN}
    assert not evaluate(cond({"question": "end", "after": "start"}), facts(with_unknown))
    assert not evaluate(cond({"question": "end", "before": "start"}), facts(with_unknown))


def test_negative_plus_months() -> None:
    test = cond({"question": "d", "plus_months": -1, "on_or_after": "2026-02-28"})
    assert evaluate(test, facts({"d": Answer(value=dt.date(2026, 3, 31))}))


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2026, 1, 31), 1, dt.date(2026, 2, 28)),
        (dt.date(2024, 1, 31), 1, dt.date(2024, 2, 29)),
        (dt.date(2026, 3, 31), -1, dt.date(2026, 2, 28)),
        (dt.date(2026, 1, 15), 12, dt.date(2027, 1, 15)),
        (dt.date(2026, 12, 31), 2, dt.date(2027, 2, 28)),
        (dt.date(2026, 5, 31), 1, dt.date(2026, 6, 30)),
        (dt.date(2026, 1, 1), -13, dt.date(2024, 12, 1)),
        (dt.date(2026, 1, 1), 0, dt.date(2026, 1, 1)),
        (dt.date(9999, 12, 31), 1200, dt.date(9999, 12, 31)),
        (dt.date(1, 1, 1), -1200, dt.date(1, 1, 1)),
    ],
)
def test_add_months_clamps(day: dt.date, months: int, expected: dt.date) -> None:
    assert add_months(day, months) == expected


def test_all_any_not() -> None:
    f = facts({"a": Answer(value=True), "b": Answer(value=False)})
    a_true = {"question": "a", "equals": True}
    b_true = {"question": "b", "equals": True}
    assert evaluate(cond({"all": [a_true]}), f)
    assert not evaluate(cond({"all": [a_true, b_true]}), f)
    assert evaluate(cond({"any": [a_true, b_true]}), f)
    assert not evaluate(cond({"any": [b_true]}), f)
    assert evaluate(cond({"not": b_true}), f)
    assert not evaluate(cond({"not": {"not": b_true}}), f)


def test_score_coverage_outcome_finding_tests() -> None:
    f = facts(
        scores={"data": 60.0},
        coverage={"overall": 0.5},
        outcomes={"tier": "medium"},
        findings={"stale"},
        scale_rank={"tier": {"low": 0, "medium": 1, "high": 2}},
    )
    assert evaluate(cond({"score": "data", "gte": 60}), f)
    assert not evaluate(cond({"score": "data", "gt": 60}), f)
    assert not evaluate(cond({"score": "missing", "gte": 0}), f)
    assert evaluate(cond({"coverage": "overall", "lt": 0.6}), f)
    assert not evaluate(cond({"coverage": "finance", "lt": 2}), f)
    assert evaluate(cond({"outcome": "tier", "equals": "medium"}), f)
    assert evaluate(cond({"outcome": "tier", "any_of": ["low", "medium"]}), f)
    assert evaluate(cond({"outcome": "tier", "at_least": "medium"}), f)
    assert not evaluate(cond({"outcome": "tier", "at_least": "high"}), f)
    assert evaluate(cond({"outcome": "tier", "at_most": "medium"}), f)
    assert not evaluate(cond({"outcome": "tier", "at_most": "low"}), f)
    assert not evaluate(cond({"outcome": "nope", "equals": "low"}), f)
    assert evaluate(cond({"finding": "stale"}), f)
    assert not evaluate(cond({"finding": "other"}), f)


def test_true_questions_lists_the_answers_that_drove_a_condition() -> None:
    f = facts({"a": Answer(value=True), "b": Answer(value=False), "c": Answer(value=True)})
    a = {"question": "a", "equals": True}
    b = {"question": "b", "equals": True}
    c_ = {"question": "c", "equals": True}
    assert true_questions(cond({"any": [a, b, c_]}), f) == ["a", "c"]
    assert true_questions(cond({"all": [a, c_]}), f) == ["a", "c"]
    assert true_questions(cond({"not": b}), f) == ["b"]
    assert true_questions(cond({"not": {"any": [b]}}), f) == ["b"]
    assert true_questions(cond({"all": [a, {"not": {"all": [a, b]}}]}), f) == ["a", "b"]
    assert true_questions(None, f) == []
