"""A small, closed condition language: declarative data, evaluated without eval.

Leaves test one subject (a question's answer, a score, coverage, an outcome or a
finding); ``all`` / ``any`` / ``not`` combine them. A comparison against a missing,
hidden or unknown answer is false.
"""

from __future__ import annotations

import calendar
import datetime as dt
import operator
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, model_validator

from socwizard.core.answers import Answer, State

REVIEWED_ON = "@reviewed_on"
Id = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_.]*$", max_length=80)]
DateRef = dt.date | Annotated[str, Field(pattern=r"^(@reviewed_on|[a-z][a-z0-9_]*)$")]

_NUMERIC = ("gt", "gte", "lt", "lte")
_DATES = ("before", "after", "on_or_before", "on_or_after")


class _Leaf(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        populate_by_name=True,
        # Validators are built on first use: a bank read from the cache needs none.
        defer_build=True,
    )


class QuestionTest(_Leaf):
    """Tests one earlier question's answer."""

    question: Id
    """Id of the question whose answer is tested."""
    equals: str | bool | int | float | None = None
    """The answer equals this value (single choice, yes/no, number, text)."""
    any_of: list[str] | None = Field(default=None, max_length=200)
    """The single-choice answer is one of these values."""
    contains: str | None = None
    """The multiple-choice answer includes this value."""
    contains_any: list[str] | None = Field(default=None, max_length=200)
    """The multiple-choice answer includes at least one of these values."""
    answered: bool | None = None
    """The question has a known answer (true) or not (false)."""
    unknown: bool | None = None
    """The answer is "I don't know" or still missing although the question is shown."""
    not_applicable: bool | None = None
    """The answer is "doesn't apply"."""
    gt: float | None = None
    """Number strictly greater than this."""
    gte: float | None = None
    """Number greater than or equal to this."""
    lt: float | None = None
    """Number strictly less than this."""
    lte: float | None = None
    """Number less than or equal to this."""
    before: DateRef | None = None
    """Date (plus ``plus_months``) is before this date, ``@reviewed_on`` or a date question."""
    after: DateRef | None = None
    """Date (plus ``plus_months``) is after the reference."""
    on_or_before: DateRef | None = None
    """Date (plus ``plus_months``) is on or before the reference."""
    on_or_after: DateRef | None = None
    """Date (plus ``plus_months``) is on or after the reference."""
    plus_months: int = Field(default=0, ge=-1200, le=1200)
    """Months added to the tested date before comparing (e.g. report freshness)."""

    @model_validator(mode="after")
    def _one_operator(self) -> QuestionTest:
        groups = {
            "equals": self.equals is not None,
            "any_of": self.any_of is not None,
            "contains": self.contains is not None,
            "contains_any": self.contains_any is not None,
            "answered": self.answered is not None,
            "unknown": self.unknown is not None,
            "not_applicable": self.not_applicable is not None,
            "numeric": any(getattr(self, k) is not None for k in _NUMERIC),
            "date": any(getattr(self, k) is not None for k in _DATES),
        }
        used = [name for name, on in groups.items() if on]
        if len(used) != 1:
            names = "equals, any_of, contains, contains_any, answered, unknown, not_applicable, "
            raise ValueError(
                f"a question test needs exactly one operator ({names}gt/gte/lt/lte, "
                f"before/after/on_or_before/on_or_after); found {len(used)}"
            )
        if self.plus_months and used[0] != "date":
            raise ValueError("plus_months only goes with a date comparison")
        return self

    @property
    def operator(self) -> str:
        """The operator group this test uses."""
        for name in ("equals", "any_of", "contains", "contains_any"):
            if getattr(self, name) is not None:
                return name
        for name in ("answered", "unknown", "not_applicable"):
            if getattr(self, name) is not None:
                return name
        if any(getattr(self, k) is not None for k in _NUMERIC):
            return "numeric"
        return "date"

    def date_refs(self) -> list[DateRef]:
        """The date references this test compares against."""
        return [getattr(self, k) for k in _DATES if getattr(self, k) is not None]


class ScoreTest(_Leaf):
    """Tests a dimension score (0–100). Only in rules."""

    score: Id
    """Dimension id."""
    gt: float | None = None
    """Score strictly greater than this."""
    gte: float | None = None
    """Score greater than or equal to this."""
    lt: float | None = None
    """Score strictly less than this."""
    lte: float | None = None
    """Score less than or equal to this."""

    @model_validator(mode="after")
    def _has_bound(self) -> ScoreTest:
        if all(getattr(self, k) is None for k in _NUMERIC):
            raise ValueError("a score test needs gt, gte, lt or lte")
        return self


class CoverageTest(_Leaf):
    """Tests coverage (0–1): ``overall`` or a dimension id. Only in rules."""

    coverage: Id
    """``overall`` or a dimension id."""
    gt: float | None = None
    """Coverage strictly greater than this."""
    gte: float | None = None
    """Coverage greater than or equal to this."""
    lt: float | None = None
    """Coverage strictly less than this."""
    lte: float | None = None
    """Coverage less than or equal to this."""

    @model_validator(mode="after")
    def _has_bound(self) -> CoverageTest:
        if all(getattr(self, k) is None for k in _NUMERIC):
            raise ValueError("a coverage test needs gt, gte, lt or lte")
        return self


class OutcomeTest(_Leaf):
    """Tests an outcome decided by earlier rules. Only in rules."""

    outcome: Id
    """Outcome id (for example ``tier`` or ``soc2.level``)."""
    equals: str | None = None
    """The outcome has exactly this value."""
    any_of: list[str] | None = Field(default=None, max_length=50)
    """The outcome is one of these values."""
    at_least: str | None = None
    """The outcome is this value or higher on its scale."""
    at_most: str | None = None
    """The outcome is this value or lower on its scale."""

    @model_validator(mode="after")
    def _one_operator(self) -> OutcomeTest:
        used = [k for k in ("equals", "any_of", "at_least", "at_most") if getattr(self, k) is not None]
        if len(used) != 1:
            raise ValueError("an outcome test needs exactly one of equals, any_of, at_least, at_most")
        return self

    def values(self) -> list[str]:
        """Scale values this test mentions."""
        found = [self.equals, self.at_least, self.at_most, *(self.any_of or [])]
        return [v for v in found if v is not None]


class FindingTest(_Leaf):
    """True when an earlier rule raised this finding. Only in rules."""

    finding: Id
    """Finding id."""


class AllOf(_Leaf):
    """True when every condition holds."""

    all: list[Condition] = Field(min_length=1, max_length=100)
    """Conditions that must all hold."""


class AnyOf(_Leaf):
    """True when at least one condition holds."""

    any: list[Condition] = Field(min_length=1, max_length=100)
    """Conditions of which one must hold."""


class NotOf(_Leaf):
    """True when the condition does not hold."""

    not_: Condition = Field(alias="not")
    """The condition to negate."""


_TAGS = ("all", "any", "not", "question", "score", "coverage", "outcome", "finding")
CONDITION_TAGS = frozenset(_TAGS)
"""The keys that tell which kind of condition a table is (also its union tags)."""


def _tag(data: Any) -> str | None:
    """The union tag of raw data (by its key) or of a model instance."""
    if isinstance(data, dict):
        for tag in _TAGS:
            if tag in data:
                return tag
        return None
    return _MODEL_TAGS.get(type(data))


_MODEL_TAGS: dict[type, str] = {
    AllOf: "all",
    AnyOf: "any",
    NotOf: "not",
    QuestionTest: "question",
    ScoreTest: "score",
    CoverageTest: "coverage",
    OutcomeTest: "outcome",
    FindingTest: "finding",
}

Condition = Annotated[
    Annotated[AllOf, Tag("all")]
    | Annotated[AnyOf, Tag("any")]
    | Annotated[NotOf, Tag("not")]
    | Annotated[QuestionTest, Tag("question")]
    | Annotated[ScoreTest, Tag("score")]
    | Annotated[CoverageTest, Tag("coverage")]
    | Annotated[OutcomeTest, Tag("outcome")]
    | Annotated[FindingTest, Tag("finding")],
    Discriminator(
        _tag,
        custom_error_type="condition",
        custom_error_message=(
            "a condition needs one of the keys all, any, not, question, score, coverage, outcome, finding"
        ),
    ),
]

Leaf = QuestionTest | ScoreTest | CoverageTest | OutcomeTest | FindingTest


def leaves(condition: Condition) -> Iterator[Leaf]:
    """Every leaf of a condition tree, depth first."""
    if isinstance(condition, AllOf):
        for child in condition.all:
            yield from leaves(child)
    elif isinstance(condition, AnyOf):
        for child in condition.any:
            yield from leaves(child)
    elif isinstance(condition, NotOf):
        yield from leaves(condition.not_)
    else:
        yield condition


def depth(condition: Condition) -> int:
    """Nesting depth of a condition tree."""
    if isinstance(condition, AllOf):
        return 1 + max(depth(c) for c in condition.all)
    if isinstance(condition, AnyOf):
        return 1 + max(depth(c) for c in condition.any)
    if isinstance(condition, NotOf):
        return 1 + depth(condition.not_)
    return 1


# --- evaluation -------------------------------------------------------------------


@dataclass
class Facts:
    """Everything a condition can look at. Hidden questions are simply absent."""

    answers: Mapping[str, Answer]
    """Answers to visible questions only."""
    shown: set[str]
    """Ids of questions that are visible (answered or not)."""
    reviewed_on: dt.date
    scores: Mapping[str, float] = field(default_factory=dict)
    coverage: Mapping[str, float] = field(default_factory=dict)
    outcomes: Mapping[str, str] = field(default_factory=dict)
    findings: set[str] = field(default_factory=set)
    scale_rank: Mapping[str, Mapping[str, int]] = field(default_factory=dict)
    """Outcome id → value → rank, for at_least / at_most."""
    dates: Mapping[str, dt.date] = field(default_factory=dict)
    """Computed dates (the bank's ``annual_dates``) by id."""


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus ``months`` calendar months, keeping month ends.

    A month's last day maps to the target month's last day (30 June + 6 months is
    31 December; 31 August + 6 months is the last day of February); any other day is
    kept, clamped to the target month's length. Years are clamped to 1..9999.
    """
    total = day.year * 12 + (day.month - 1) + months
    year, month = divmod(total, 12)
    if year < 1:
        return dt.date.min
    if year > 9999:
        return dt.date.max
    last = calendar.monthrange(year, month + 1)[1]
    month_end = day.day == calendar.monthrange(day.year, day.month)[1]
    return dt.date(year, month + 1, last if month_end else min(day.day, last))


def _known(facts: Facts, question: str) -> Answer | None:
    answer = facts.answers.get(question)
    return answer if answer is not None and answer.state is State.ANSWERED else None


def _numeric(value: float, test: QuestionTest | ScoreTest | CoverageTest) -> bool:
    return (
        (test.gt is None or value > test.gt)
        and (test.gte is None or value >= test.gte)
        and (test.lt is None or value < test.lt)
        and (test.lte is None or value <= test.lte)
    )


def _date_ref(facts: Facts, ref: DateRef) -> dt.date | None:
    if isinstance(ref, dt.date):
        return ref
    if ref == REVIEWED_ON:
        return facts.reviewed_on
    answer = _known(facts, ref)
    if answer is None:
        return facts.dates.get(ref)
    return answer.value if isinstance(answer.value, dt.date) else None


def last_occurrence(month: int, day: int | None, on_or_before: dt.date) -> dt.date:
    """The latest date with this month and day on or before ``on_or_before``.

    A missing day, or one past the month's end, means the month's last day (so
    31 February is the last day of February, 29 in leap years).
    """
    for year in (on_or_before.year, on_or_before.year - 1):
        if year < 1:
            break
        last = calendar.monthrange(year, month)[1]
        candidate = dt.date(year, month, last if day is None else min(max(day, 1), last))
        if candidate <= on_or_before:
            return candidate
    return dt.date.min


def _question(test: QuestionTest, facts: Facts) -> bool:
    answer = facts.answers.get(test.question)
    state = answer.state if answer is not None else None
    if test.unknown is not None:
        is_unknown = state is State.UNKNOWN or (answer is None and test.question in facts.shown)
        return is_unknown == test.unknown
    if test.not_applicable is not None:
        return (state is State.NOT_APPLICABLE) == test.not_applicable
    if test.answered is not None:
        return (state is State.ANSWERED) == test.answered
    if answer is None or state is not State.ANSWERED:
        return False
    value = answer.value
    if test.equals is not None:
        if isinstance(value, bool) or isinstance(test.equals, bool):
            return value is test.equals
        return value == test.equals
    if test.any_of is not None:
        return value in test.any_of
    if test.contains is not None:
        return isinstance(value, tuple) and test.contains in value
    if test.contains_any is not None:
        return isinstance(value, tuple) and any(v in value for v in test.contains_any)
    if isinstance(value, dt.date):
        shifted = add_months(value, test.plus_months)
        checks: tuple[tuple[DateRef | None, Callable[[dt.date, dt.date], bool]], ...] = (
            (test.before, operator.lt),
            (test.after, operator.gt),
            (test.on_or_before, operator.le),
            (test.on_or_after, operator.ge),
        )
        for ref, compare in checks:
            if ref is None:
                continue
            resolved = _date_ref(facts, ref)
            if resolved is None or not compare(shifted, resolved):
                return False
        return True
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _numeric(float(value), test)
    return False


def evaluate(condition: Condition | None, facts: Facts) -> bool:
    """Evaluate a condition; ``None`` means "always"."""
    if condition is None:
        return True
    if isinstance(condition, AllOf):
        return all(evaluate(c, facts) for c in condition.all)
    if isinstance(condition, AnyOf):
        return any(evaluate(c, facts) for c in condition.any)
    if isinstance(condition, NotOf):
        return not evaluate(condition.not_, facts)
    if isinstance(condition, QuestionTest):
        return _question(condition, facts)
    if isinstance(condition, ScoreTest):
        score = facts.scores.get(condition.score)
        return score is not None and _numeric(score, condition)
    if isinstance(condition, CoverageTest):
        cov = facts.coverage.get(condition.coverage)
        return cov is not None and _numeric(cov, condition)
    if isinstance(condition, OutcomeTest):
        return _outcome(condition, facts)
    return condition.finding in facts.findings


def _outcome(test: OutcomeTest, facts: Facts) -> bool:
    value = facts.outcomes.get(test.outcome)
    if value is None:
        return False
    if test.equals is not None:
        return value == test.equals
    if test.any_of is not None:
        return value in test.any_of
    rank = facts.scale_rank.get(test.outcome, {})
    mine = rank.get(value, -1)
    if test.at_least is not None:
        return mine >= rank.get(test.at_least, 1 << 30)
    return test.at_most is not None and mine <= rank.get(test.at_most, -1)


def true_questions(condition: Condition | None, facts: Facts) -> list[str]:
    """Question ids whose tests hold in a true condition: the answers that drove it."""
    return [leaf.question for leaf in true_leaves(condition, facts) if isinstance(leaf, QuestionTest)]


def true_leaves(condition: Condition | None, facts: Facts) -> list[Leaf]:
    """The leaves that make a true condition true (negated ones: those that failed)."""
    found: list[Leaf] = []
    seen: set[int] = set()

    def walk(node: Condition, negated: bool) -> None:
        if isinstance(node, AllOf | AnyOf):
            children = node.all if isinstance(node, AllOf) else node.any
            for child in children:
                if negated or evaluate(child, facts):
                    walk(child, negated)
        elif isinstance(node, NotOf):
            walk(node.not_, not negated)
        elif evaluate(node, facts) != negated and id(node) not in seen:
            seen.add(id(node))
            found.append(node)

    if condition is not None:
        walk(condition, False)
    return found
