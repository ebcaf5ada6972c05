"""Question bank models: pydantic v2, frozen, ``extra="forbid"``.

Docstrings of fields become JSON-Schema descriptions (``socwizard bank schema``).
"""

from __future__ import annotations

import datetime as dt
from functools import cached_property
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from socwizard.core.bank.conditions import Condition

MAX_QUESTIONS = 5000
MAX_CHOICES = 100
Id = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", min_length=1, max_length=64)]
BankId = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_-]*$", min_length=1, max_length=64)]
OutcomeId = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$", max_length=80)]
Version = Annotated[str, Field(pattern=r"^[0-9A-Za-z.+_-]{1,40}$")]
Score = Annotated[float, Field(ge=0, le=100)]
UnknownPolicy = Literal["worst", "neutral", "best", "exclude"]


def _text(limit: int) -> Any:
    return Field(default="", max_length=limit)


class _Model(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        populate_by_name=True,
        # Validators are built on first use: a bank read from the cache needs none.
        defer_build=True,
    )
    # Control characters are rejected by the loader in one pass over the raw data.


class Choice(_Model):
    """One option of a single- or multiple-choice question."""

    value: Id
    """Stable value stored in assessment files; never reuse it with a new meaning."""
    label: str = Field(min_length=1, max_length=200)
    """What the user sees."""
    help: str = _text(1000)
    """One line that explains the option."""
    scores: dict[Id, Score] = Field(default_factory=dict, max_length=50)
    """Score (0–100, higher = more risk) per dimension when this option is chosen."""
    exclusive: bool = False
    """An option such as "none of these" that cannot be combined with others."""
    likely_when: Condition | None = None
    """For a question whose unknown is judged by its likely answer: this option is part
    of that answer when the condition holds over the rest of the file."""


class Band(_Model):
    """Scores of a number question for values at or above ``at_least``."""

    at_least: float
    """Lower bound of the band (inclusive)."""
    scores: dict[Id, Score] = Field(default_factory=dict, max_length=50)
    """Score per dimension for values in this band."""


class _Question(_Model):
    id: Id
    """Stable id; answers are keyed by it. Never reuse an id with a new meaning."""
    section: Id | None = None
    """The section id (defaults to the file the question is in)."""
    prompt: str = Field(min_length=1, max_length=500)
    """The question, in plain words."""
    help: str = _text(1000)
    """One-line help shown under the prompt."""
    why: str = _text(4000)
    """Longer "why we ask", shown on demand."""
    weight: float = Field(default=1.0, ge=0, le=100)
    """Weight in scores and coverage."""
    when: Condition | None = None
    """Show the question only when this condition on earlier answers holds."""
    allow_unknown: bool = True
    """Offer "I don't know"."""
    allow_not_applicable: bool = False
    """Offer "doesn't apply"."""
    unknown_policy: UnknownPolicy | None = None
    """How an unknown answer is scored (default: the bank's ``unknown_policy``)."""
    follow_up: bool = True
    """List an unknown answer as a follow-up question for the vendor."""
    follow_up_text: str = _text(500)
    """What to ask the vendor when the answer is unknown (default: the prompt)."""


class SingleChoice(_Question):
    """Pick one option."""

    type: Literal["single"]
    choices: list[Choice] = Field(min_length=2, max_length=MAX_CHOICES)
    """The options, in display order."""
    default: Id | None = None
    """Option pre-selected in the interview (never counted until confirmed)."""
    unknown_assume: Literal["strictest", "likely"] = "strictest"
    """What an unknown or unanswered question is held to: the strictest option, or the
    first option whose ``likely_when`` holds."""


class MultiChoice(_Question):
    """Pick any number of options (an exclusive option stands alone)."""

    type: Literal["multi"]
    choices: list[Choice] = Field(min_length=2, max_length=MAX_CHOICES)
    """The options, in display order."""
    default: list[Id] | None = None
    """Options pre-selected in the interview."""
    aggregate: Literal["max", "sum"] = "max"
    """How the chosen options' scores combine: the highest, or the sum capped at 100."""
    unknown_assume: Literal["strictest", "likely"] = "strictest"
    """What "I don't know" is held to: the strictest single option (default), or — where
    assuming the strictest would be absurd — the options whose ``likely_when`` holds."""


class YesNo(_Question):
    """Yes or no."""

    type: Literal["yesno"]
    yes_label: str = Field(default="Yes", min_length=1, max_length=100)
    """Label of the yes option."""
    no_label: str = Field(default="No", min_length=1, max_length=100)
    """Label of the no option."""
    yes_scores: dict[Id, Score] = Field(default_factory=dict, max_length=50)
    """Scores when the answer is yes."""
    no_scores: dict[Id, Score] = Field(default_factory=dict, max_length=50)
    """Scores when the answer is no."""
    default: bool | None = None
    """Pre-selected answer."""


class Number(_Question):
    """A number within bounds."""

    type: Literal["number"]
    min: float | None = None
    """Smallest accepted value."""
    max: float | None = None
    """Largest accepted value."""
    integer: bool = False
    """Only whole numbers."""
    unit: str = _text(40)
    """Unit shown after the value (for example "%" or "employees")."""
    bands: list[Band] = Field(default_factory=list, max_length=50)
    """Score bands, by lower bound."""
    default: float | None = None
    """Pre-filled value."""

    @model_validator(mode="after")
    def _bounds(self) -> Number:
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError("min is greater than max")
        return self


class DateQuestion(_Question):
    """A calendar date."""

    type: Literal["date"]
    min: dt.date | None = None
    """Earliest accepted date."""
    max: dt.date | None = None
    """Latest accepted date."""
    default: dt.date | None = None
    """Pre-filled date."""


class Text(_Question):
    """Free text (never scored)."""

    type: Literal["text"]
    max_length: int = Field(default=2000, ge=1, le=4000)
    """Longest accepted answer."""
    multiline: bool = False
    """Offer a multi-line editor."""
    default: str | None = None
    """Pre-filled text."""


Question = Annotated[
    SingleChoice | MultiChoice | YesNo | Number | DateQuestion | Text,
    Field(discriminator="type"),
]
ChoiceQuestion = SingleChoice | MultiChoice


class SectionFile(_Model):
    """One section file: ``[[questions]]``."""

    questions: list[Question] = Field(default_factory=list, max_length=MAX_QUESTIONS)
    """The section's questions, in interview order."""


class Dimension(_Model):
    """A score dimension (0–100, higher = more risk)."""

    id: Id
    label: str = Field(min_length=1, max_length=100)
    """Name shown in results."""
    description: str = _text(1000)
    """What a high score means."""


class Section(_Model):
    """A group of questions, asked in order."""

    id: Id
    title: str = Field(min_length=1, max_length=200)
    """Title shown in the sidebar."""
    intro: str = _text(2000)
    """Shown before the section's first question."""
    file: str = Field(default="", max_length=100, pattern=r"^([A-Za-z0-9_-][A-Za-z0-9_.-]*\.toml)?$")
    """File of the section's questions, next to the bank file (default ``<id>.toml``)."""
    optional: bool = False
    """An optional section (for example evidence not yet received)."""
    when: Condition | None = None
    """Show the section only when this condition on earlier answers holds."""


class Outcome(_Model):
    """A recommendation slot decided by the rules (for example ``soc2.level``)."""

    id: OutcomeId
    """Dotted path in the result JSON (for example ``soc2.criteria.privacy``)."""
    label: str = Field(min_length=1, max_length=100)
    """Name shown in results."""
    scale: Id
    """The ordered scale its values come from."""
    default: str | None = None
    """Value before any rule fires (default: the lowest value of the scale)."""
    headline: bool = False
    """Shown in one-line summaries such as ``socwizard list``."""


class Finding(_Model):
    """A rule's finding (for example a stale report), listed with its reason."""

    id: Id
    label: str = Field(min_length=1, max_length=200)
    """Short title of the finding."""
    warning: bool = False
    """A warning about the answers themselves (contradictions), not about the vendor."""


class Rule(_Model):
    """When the condition holds, raise outcomes to at least the given values.

    Rules only ever raise: a later rule cannot lower what an earlier one decided.
    """

    id: Id
    when: Condition | None = None
    """Condition over answers, scores, coverage and earlier outcomes (none = always)."""
    set: dict[OutcomeId, Id] = Field(default_factory=dict, max_length=50)
    """Outcome id → the value it is raised to at least."""
    finding: Id | None = None
    """A finding id to report (declared in ``findings``)."""
    satisfies: list[OutcomeId] = Field(default_factory=list, max_length=50)
    """Outcomes (extras) this rule marks as already satisfied: the level stays, the
    outcome is flagged ``satisfied`` and this rule's reason replaces the ask."""
    reason: str = Field(min_length=1, max_length=1000)
    """Why, in plain words; shown beside every outcome it decided. ``{answer:question}``
    quotes an answer and ``{months_since:question}`` the whole months from a date
    answer to the review date. ``[[quoting||otherwise]]`` reads its first part when every
    answer it quotes is known, else its second (may be empty); a bare token whose answer
    is missing or unknown reads "not recorded"."""

    @model_validator(mode="after")
    def _does_something(self) -> Rule:
        if not self.set and self.finding is None and not self.satisfies:
            raise ValueError("a rule needs `set`, `finding` or `satisfies`")
        return self


class ReviewDate(_Model):
    """A candidate date for the next review; the earliest that applies wins."""

    when: Condition | None = None
    """Only when this holds."""
    date: Annotated[str, Field(pattern=r"^(@reviewed_on|[a-z][a-z0-9_]*)$")] = "@reviewed_on"
    """``@reviewed_on`` or a date question."""
    plus_months: int = Field(ge=0, le=1200)
    """Months after that date."""
    reason: str = Field(min_length=1, max_length=500)
    """Why this date."""


class Migration(_Model):
    """A declared change to saved answers, applied whenever an assessment is read.

    Question ids and choice values are never reused: a renamed choice keeps its old
    value retired, and a retired question's answers are carried into their new home.
    """

    question: Id
    """The question whose saved answers this rewrites."""
    since: Version = ""
    """The bank version that made the change (for the record)."""
    rename: dict[Id, Id] = Field(default_factory=dict, max_length=100)
    """Old choice value → the choice value that now means the same (or the nearest
    stricter one)."""
    into_month: Id | None = None
    """For a retired date question: the month question (twelve choices, January
    first) that receives the date's month."""
    into_day: Id | None = None
    """For a retired date question: the number question that receives the date's day."""
    copy_into: list[Id] = Field(default_factory=list, max_length=20)
    """For an answer once given for several reports at a time: the questions that now
    ask each report on its own. The answer is copied into each of them whose own
    ``when`` holds for the file, unless one of them is already answered."""
    named_by: Id | None = None
    """With ``copy_into``: a retired single-choice question whose answer said which of
    the targets the answer belonged to (its value mapped in ``names``)."""
    names: dict[Id, Id] = Field(default_factory=dict, max_length=20)
    """With ``named_by``: its value → the target question it names. A value not listed
    (e.g. "both"), or no answer, means every target."""
    others_get: Id | None = None
    """With ``named_by``: the choice value the targets it did not name receive."""
    reason: str = Field(min_length=1, max_length=500)
    """Why the change was made."""

    @model_validator(mode="after")
    def _one_kind(self) -> Migration:
        kinds = [bool(self.rename), self.into_month is not None, bool(self.copy_into)]
        if sum(kinds) != 1:
            raise ValueError("a migration needs exactly one of `rename`, `into_month` or `copy_into`")
        if self.into_day is not None and self.into_month is None:
            raise ValueError("`into_day` goes with `into_month`")
        if (self.named_by is not None or self.names or self.others_get is not None) and not self.copy_into:
            raise ValueError("`named_by`, `names` and `others_get` go with `copy_into`")
        if (self.names or self.others_get is not None) and self.named_by is None:
            raise ValueError("`names` and `others_get` go with `named_by`")
        if not set(self.names.values()) <= set(self.copy_into):
            raise ValueError("every question in `names` must be in `copy_into`")
        return self


class AnnualDate(_Model):
    """A date rules can compare against, computed from a month (and day) answer.

    It is the latest such day on or before the review date (for example the end of the
    last *completed* fiscal year).
    """

    id: Id
    """The name rules use in date comparisons (``before = "last_fiscal_year_end"``)."""
    month_question: Id
    """A single-choice question with twelve choices, January first."""
    day_question: Id | None = None
    """A number question giving the day; unanswered or unknown means the month's last
    day (the latest, so never in the vendor's favour)."""


PolicyValue = bool | int | float | str | list[str]


class BankMeta(_Model):
    """The bank's metadata file (``bank.toml``)."""

    id: BankId
    """Stable id of the bank (lowercase letters, digits, ``_`` and ``-``)."""
    version: Version
    """Version, bumped whenever questions or rules change."""
    title: str = Field(min_length=1, max_length=200)
    """Title shown on the home screen."""
    intro: str = _text(4000)
    """What the interview is for."""
    unknown_policy: UnknownPolicy = "worst"
    """Default scoring of "I don't know": worst (conservative), neutral, best or exclude."""
    findings_path: OutcomeId = "findings"
    """Where findings go in the result JSON."""
    dimensions: list[Dimension] = Field(min_length=1, max_length=50)
    """Score dimensions."""
    sections: list[Section] = Field(min_length=1, max_length=100)
    """Sections, in interview order."""
    scales: dict[Id, list[Id]] = Field(default_factory=dict, max_length=50)
    """Ordered value scales, lowest first."""
    outcomes: list[Outcome] = Field(default_factory=list, max_length=200)
    """Recommendation slots."""
    findings: list[Finding] = Field(default_factory=list, max_length=200)
    """Findings rules may raise."""
    policy: dict[Id, PolicyValue] = Field(default_factory=dict, max_length=200)
    """Conventions referenced as ``"policy:name"``; an organisation may override them."""
    rule_files: list[Annotated[str, Field(pattern=r"^[A-Za-z0-9_-][A-Za-z0-9_.-]*\.toml$")]] = Field(
        default_factory=list, max_length=20
    )
    """Extra files of ``[[rules]]``, next to the bank file, read after this file's rules."""
    rules: list[Rule] = Field(default_factory=list, max_length=2000)
    """Recommendation rules, in evaluation order."""
    next_review: list[ReviewDate] = Field(default_factory=list, max_length=50)
    """Candidates for the next review date."""
    annual_dates: list[AnnualDate] = Field(default_factory=list, max_length=20)
    """Dates computed from month/day answers relative to the review date."""
    migrations: list[Migration] = Field(default_factory=list, max_length=500)
    """Declared changes to saved answers (renamed choices, retired questions)."""

    @field_validator("scales")
    @classmethod
    def _scales_distinct(cls, scales: dict[str, list[str]]) -> dict[str, list[str]]:
        for name, values in scales.items():
            if not values or len(set(values)) != len(values):
                raise ValueError(f"scale {name!r} must list distinct values")
        return scales


class RuleFile(_Model):
    """A file of extra rules."""

    rules: list[Rule] = Field(default_factory=list, max_length=2000)
    """Rules, appended in order."""


class Bank(_Model):
    """A complete, validated bank: metadata plus all questions in interview order."""

    meta: BankMeta
    questions: list[Question]
    content_hash: str = ""
    """sha256 of the bank's files, so an assessment knows which bank it was made with."""
    source: str = ""
    """Directory it was loaded from."""

    # Lookup tables: cached properties live in the instance __dict__, so reading them
    # is a plain attribute access (pydantic private attributes go through __getattr__).
    @cached_property
    def by_id(self) -> dict[str, Question]:
        """Questions by id."""
        return {q.id: q for q in self.questions}

    @cached_property
    def positions(self) -> dict[str, int]:
        """Interview position of each question id."""
        return {q.id: i for i, q in enumerate(self.questions)}

    @cached_property
    def outcomes_by_id(self) -> dict[str, Outcome]:
        """Outcomes by id."""
        return {o.id: o for o in self.meta.outcomes}

    @cached_property
    def findings_by_id(self) -> dict[str, Finding]:
        """Findings by id."""
        return {f.id: f for f in self.meta.findings}

    @cached_property
    def sections_by_id(self) -> dict[str, Section]:
        """Sections by id."""
        return {s.id: s for s in self.meta.sections}

    @property
    def id(self) -> str:
        """The bank id."""
        return self.meta.id

    @property
    def version(self) -> str:
        """The bank version."""
        return self.meta.version

    def question(self, question_id: str) -> Question | None:
        """The question with this id, or None."""
        return self.by_id.get(question_id)

    def index(self, question_id: str) -> int:
        """Position of a question in interview order (-1 if unknown)."""
        return self.positions.get(question_id, -1)

    def outcome(self, outcome_id: str) -> Outcome | None:
        """The outcome with this id, or None."""
        return self.outcomes_by_id.get(outcome_id)

    def finding(self, finding_id: str) -> Finding | None:
        """The finding with this id, or None."""
        return self.findings_by_id.get(finding_id)

    def section(self, section_id: str) -> Section | None:
        """The section with this id, or None."""
        return self.sections_by_id.get(section_id)

    def section_of(self, question: Question) -> str:
        """The section id of a question."""
        return question.section or ""
