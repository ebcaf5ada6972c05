"""Assessment files: one TOML file per vendor assessment.

A minimal hand-written file is just ``reviewed_on`` and an ``[answers]`` table.
Saving is canonical, so re-saving an unchanged assessment is byte-identical.
The ``[result]`` snapshot is for readers without the tool; it is never trusted:
the result is recomputed from the answers on every load.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, Strict, ValidationError, field_validator

from socwizard.core.answers import MAX_TEXT_ANSWER, Answer, State, check_text
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
from socwizard.core.errors import AssessmentError, Problem, display_path
from socwizard.core.migrate import migrate_answers
from socwizard.core.recommendation import Result, decide
from socwizard.core.text import slugify
from socwizard.core.tomlsafe import MAX_ASSESSMENT_BYTES, FileProblems, LineFinder, decode, parse

FORMAT_VERSION = 1
MAX_ANSWERS = 10_000
MAX_LISTED_WARNINGS = 5
"""Warnings of one kind listed one by one; past this, one line gives the count."""

# Taplo / Even Better TOML resolve a relative schema path against the file: every store
# keeps a copy of the schema in .socwizard/ (see Store.ensure), so the line is the same
# on every machine and re-saves stay byte-identical.
SCHEMA_DIRECTIVE = "#:schema ./.socwizard/assessment.schema.json"
# Ids and vendor keys: letters, digits, '-' and '_' (never a path, never markup).
KEY_PATTERN = r"^[A-Za-z0-9_-]{1,64}$"


def _short(limit: int) -> Any:
    return Field(default="", max_length=limit)


class BankRef(BaseModel):
    """Which bank the answers were given against."""

    # Built as part of Assessment's validator (one validator, not three, for a file read).
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    id: str = Field(default="", max_length=64)
    """The bank id."""
    version: str = Field(default="", max_length=40)
    """The bank version."""
    hash: str = Field(default="", max_length=80)
    """sha256 of the bank's files."""
    asked: dict[str, str] = Field(default_factory=dict, max_length=MAX_ANSWERS)
    """Question id → short fingerprint of each question as last shown (detects bank changes)."""


class AttachedDocument(BaseModel):
    """A vendor document the evidence answers were read from (the file itself is not kept)."""

    # Built as part of Assessment's validator (one validator, not three, for a file read).
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    file: str = Field(min_length=1, max_length=255)
    """The file's name when it was attached."""
    sha256: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
    """sha256 of the file's bytes: tells whether a copy is the same document."""
    pages: int = Field(ge=1, le=1_000_000)
    """How many pages it has."""
    kind: str = Field(default="", max_length=40)
    """What it is (soc1, soc2, soc3, bridge_letter, iso27001_certificate, other)."""
    attached: dt.date | None = None
    """When it was attached."""

    @field_validator("file", "kind")
    @classmethod
    def _safe_text(cls, value: str) -> str:
        return check_text(value, 255)


class Assessment(BaseModel):
    """One vendor assessment."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    # Strict (issue 9): lax mode took ``format = true``, ``"1"`` and ``1.0``, and
    # ``reviewed_on = "2026-01-01"`` (a string, not a TOML date), hiding an author's mistake.
    format: Annotated[int, Strict()] = Field(default=FORMAT_VERSION, ge=1)
    """File format version."""
    id: Annotated[str, Field(pattern=KEY_PATTERN)] | None = None
    """Stable id (assigned on first save)."""
    title: str = _short(200)
    """Title of the assessment."""
    vendor: str = _short(200)
    """The vendor assessed."""
    vendor_key: Annotated[str, Field(pattern=KEY_PATTERN)] | None = None
    """Stable key of the vendor: a vendor's assessments share it and form its history (set on
    first save from the vendor's name; edit it to join or separate vendors)."""
    assessor: str = _short(200)
    """Who answered."""
    reviewed_on: Annotated[dt.date, Strict()]
    """The date all date logic uses, so results are reproducible."""
    created: Annotated[dt.datetime, Strict()] | None = None
    """When the assessment was created (UTC)."""
    updated: Annotated[dt.datetime, Strict()] | None = None
    """When the answers last changed (UTC)."""
    status: Literal["in_progress", "complete"] = "in_progress"
    """in_progress or complete."""
    cursor: str | None = Field(default=None, max_length=64)
    """The question the interview resumes at."""
    previous: Annotated[str, Field(pattern=KEY_PATTERN)] | None = None
    """Id of the assessment this one re-assesses (its results show what changed since)."""
    bank: BankRef = Field(default_factory=BankRef)
    """The bank the answers were given against."""
    answers: dict[str, Answer] = Field(default_factory=dict, max_length=MAX_ANSWERS)
    """Answers keyed by question id."""
    set_aside: dict[str, Answer] = Field(default_factory=dict, max_length=MAX_ANSWERS)
    """Answers to questions the bank no longer has: kept, not counted."""
    documents: tuple[AttachedDocument, ...] = Field(default=(), max_length=100)
    """Vendor documents read into the evidence answers (``socwizard evidence attach``)."""
    result: dict[str, Any] | None = None
    """Snapshot of the last computed result (for readers without the tool; never trusted)."""

    @field_validator("title", "vendor", "assessor", "cursor")
    @classmethod
    def _safe_text(cls, value: str | None) -> str | None:
        return None if value is None else check_text(value, 200)

    @field_validator("created", "updated")
    @classmethod
    def _utc(cls, value: dt.datetime | None) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("needs a UTC offset, for example 2026-01-31T09:00:00Z")
        try:
            return value.astimezone(dt.UTC).replace(microsecond=0)
        except OverflowError:  # 0001-01-01T00:00:00+01:00 is before year 1 in UTC
            raise ValueError("is out of range") from None

    @field_validator("answers", "set_aside")
    @classmethod
    def _safe_keys(cls, answers: dict[str, Answer]) -> dict[str, Answer]:
        for key in answers:
            check_text(key, 64)
        return answers

    @property
    def display_title(self) -> str:
        """Title, else vendor, else a placeholder."""
        return self.title or self.vendor or "Untitled assessment"

    def with_answer(
        self, question_id: str, answer: Answer | None, *, now: dt.datetime | None = None
    ) -> Assessment:
        """A copy with one answer set (or removed), ``updated`` bumped."""
        answers = dict(self.answers)
        if answer is None:
            answers.pop(question_id, None)
        else:
            answers[question_id] = answer
        return self.model_copy(update={"answers": answers, "updated": now or utc_now()})


def utc_now() -> dt.datetime:
    """Now, in UTC, to the second."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def new_id() -> str:
    """A short random id for assessments and filenames."""
    import uuid  # here: uuid imports platform, a cost every show and listing would pay

    return uuid.uuid4().hex[:12]


def vendor_key_for(vendor: str) -> str:
    """The key a vendor gets from its name: a readable slug plus a short hash of the name.

    The same name (ignoring case and spacing) always gives the same key, so hand-written
    files of one vendor group together; an empty name gives a fresh key.
    """
    name = " ".join(vendor.split()).casefold()
    if not name:
        return "vendor-" + new_id()
    slug = slugify(name, 40)
    if slug == "assessment":  # slugify's fallback: a name with no ASCII letters or digits
        slug = "vendor"
    return f"{slug}-{hashlib.sha256(name.encode('utf-8')).hexdigest()[:6]}"


_FINGERPRINTS: dict[int, tuple[Question, str]] = {}


def question_fingerprint(question: Question) -> str:
    """Short hash of a question's definition, to notice when the bank changed it."""
    cached = _FINGERPRINTS.get(id(question))
    if cached is not None and cached[0] is question:
        return cached[1]
    data = question.model_dump(mode="json", exclude={"weight", "section"})
    digest = hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:10]
    if len(_FINGERPRINTS) > 50_000:
        _FINGERPRINTS.clear()
    _FINGERPRINTS[id(question)] = (question, digest)
    return digest


# --- reading --------------------------------------------------------------------------


@dataclass(frozen=True)
class Loaded:
    """An assessment read from a file, with the recomputed result and any warnings."""

    assessment: Assessment
    result: Result
    warnings: tuple[Problem, ...]


def parse_assessment(data: dict[str, Any], name: str, lines: LineFinder | None = None) -> Assessment:
    """Validate raw TOML data as an assessment (structure only, no bank)."""
    if not isinstance(data, dict):
        raise AssessmentError(Problem(name, "is not a TOML table"))
    version = data.get("format", FORMAT_VERSION)
    if isinstance(version, int) and not isinstance(version, bool) and version > FORMAT_VERSION:
        raise AssessmentError(
            Problem(
                name,
                f"was written by a newer socwizard (format {version}; this one reads "
                f"format {FORMAT_VERSION}): upgrade socwizard",
                key="format",
            )
        )
    try:
        return Assessment.model_validate(data)
    except ValidationError as exc:
        from socwizard.core.bank.loader import key_path  # only for a file that fails

        problems: list[Problem] = []
        seen: dict[str, int] = {}
        for error in exc.errors(include_url=False, include_input=False):
            key, parts = key_path(error["loc"], data)
            loc = error["loc"]
            if len(loc) >= 4 and loc[0] in ("answers", "set_aside") and loc[2] == "value":
                # A value of no accepted type: one problem, not one per member of the union.
                table = data.get(str(loc[0]))
                plain = not (isinstance(table, dict) and isinstance(table.get(str(loc[1])), dict))
                key = f"{loc[0]}.{loc[1]}" if plain else f"{loc[0]}.{loc[1]}.value"
                parts = [str(loc[0]), str(loc[1])]
                error = {**error, "msg": "must be text, a number, true or false, a date or a list of texts"}
            if key in seen and problems[seen[key]].message == error["msg"]:
                continue
            line = None
            if lines is not None and parts:
                if len(parts) >= 2 and isinstance(parts[0], str) and isinstance(parts[1], str):
                    line = lines.key_in_table(parts[0], parts[1])
                elif isinstance(parts[0], str):
                    line = lines.key_in_table(None, parts[0])
            message = error["msg"].removeprefix("Value error, ")
            if error["type"] == "extra_forbidden":
                message = "unknown key"
            seen.setdefault(key, len(problems))
            problems.append(Problem(name, message, key=key, line=line))
        raise AssessmentError(problems) from None


def read_assessment_bytes(data: bytes, name: str) -> tuple[Assessment, LineFinder]:
    """Decode, parse and validate bytes as an assessment; only AssessmentError escapes."""
    try:
        text = decode(data, name)
        raw = parse(text, name)
    except FileProblems as exc:
        raise AssessmentError(exc.problems) from None
    lines = LineFinder(text)
    return parse_assessment(raw, name, lines), lines


def check_answers(
    assessment: Assessment, bank: Bank, name: str, lines: LineFinder | None = None
) -> tuple[Assessment, list[Problem]]:
    """Check every answer against its question; move answers to unknown ids aside.

    Returns the (possibly adjusted) assessment and warnings; raises on invalid values.
    """
    errors: list[Problem] = []
    warnings: list[Problem] = []
    answers: dict[str, Answer] = {}
    set_aside = dict(assessment.set_aside)

    def line_of(qid: str) -> int | None:
        """Looked up only for a problem: scanning the text for every answer is not free."""
        return lines.key_in_table("answers", qid) if lines else None

    unknown: list[str] = []
    asked = assessment.bank.asked
    for qid, answer in migrate_answers(bank, assessment.answers).items():
        question = bank.question(qid)
        if question is None:
            set_aside[qid] = answer
            unknown.append(qid)
            continue
        try:
            answers[qid] = normalise(question, answer)
        except ValueError as exc:
            if qid in asked and asked[qid] != question_fingerprint(question):
                # The bank changed this question since the answer was given (a choice
                # renamed or removed, another type, a narrower range): the answer is kept
                # aside, never a reason to refuse the whole file (issue 9).
                set_aside[qid] = answer
                warnings.append(
                    Problem(
                        name,
                        f"the bank changed this question and the answer no longer fits ({exc}): "
                        "it is kept aside; answer the question again",
                        key=f"answers.{qid}",
                        line=line_of(qid),
                    )
                )
            else:
                errors.append(Problem(name, str(exc), key=f"answers.{qid}", line=line_of(qid)))
    # One warning per unknown id for the first few, then a count (10,000 of them once
    # printed 10,000 lines).
    for qid in unknown[:MAX_LISTED_WARNINGS]:
        warnings.append(
            Problem(
                name,
                "no such question in this bank: the answer is kept aside",
                key=f"answers.{qid}",
                line=line_of(qid),
            )
        )
    if len(unknown) > MAX_LISTED_WARNINGS:
        more = len(unknown) - MAX_LISTED_WARNINGS
        warnings.append(
            Problem(name, f"and {more:,} more answers to questions not in this bank are set aside", "answers")
        )
    for qid in list(set_aside):
        question = bank.question(qid)
        if question is not None and qid not in answers:
            try:
                answers[qid] = normalise(question, set_aside[qid])
                del set_aside[qid]
                warnings.append(
                    Problem(
                        name,
                        "this question is back in the bank: answer restored",
                        key=f"set_aside.{qid}",
                    )
                )
            except ValueError:
                pass
    if errors:
        raise AssessmentError(errors)
    ref = assessment.bank
    if ref.id and ref.id != bank.id:
        warnings.append(Problem(name, f"was made with bank {ref.id!r}, read with {bank.id!r}", key="bank.id"))
    elif ref.version and ref.version != bank.version:
        warnings.append(
            Problem(
                name,
                f"was made with bank version {ref.version}; this is {bank.version}",
                key="bank.version",
            )
        )
    adjusted = assessment.model_copy(update={"answers": answers, "set_aside": set_aside})
    return adjusted, warnings


def normalise(question: Question, answer: Answer) -> Answer:
    """Check an answer fits its question; return it in canonical form."""
    if answer.state is State.UNKNOWN and not question.allow_unknown:
        raise ValueError('"I don\'t know" is not allowed for this question')
    if answer.state is State.NOT_APPLICABLE and not question.allow_not_applicable:
        raise ValueError('"doesn\'t apply" is not allowed for this question')
    if answer.state is not State.ANSWERED:
        return answer
    value = answer.value
    if isinstance(question, SingleChoice):
        values = [c.value for c in question.choices]
        if not isinstance(value, str) or value not in values:
            raise ValueError(f"must be one of: {', '.join(values)}")
        return answer
    if isinstance(question, MultiChoice):
        if isinstance(value, str):
            value = (value,)
        if not isinstance(value, tuple):
            raise ValueError("must be a list of choice values")
        by_value = {c.value: c for c in question.choices}
        unknown = [v for v in value if v not in by_value]
        if unknown:
            raise ValueError(f"{unknown[0]!r} is not one of: {', '.join(by_value)}")
        if len(set(value)) != len(value):
            raise ValueError("lists a choice twice")
        if len(value) > 1 and any(by_value[v].exclusive for v in value):
            raise ValueError("combines an exclusive choice (such as 'none') with others")
        ordered = tuple(c.value for c in question.choices if c.value in value)
        return answer.model_copy(update={"value": ordered})
    if isinstance(question, YesNo):
        if isinstance(value, str) and value.lower() in ("yes", "no"):
            value = value.lower() == "yes"
        if not isinstance(value, bool):
            raise ValueError("must be true or false")
        return answer.model_copy(update={"value": value})
    if isinstance(question, Number):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError("must be a number")
        if question.integer and not float(value).is_integer():
            raise ValueError("must be a whole number")
        if question.min is not None and value < question.min:
            raise ValueError(f"must be at least {question.min:g}")
        if question.max is not None and value > question.max:
            raise ValueError(f"must be at most {question.max:g}")
        if question.integer:
            value = int(value)
        return answer.model_copy(update={"value": value})
    if isinstance(question, DateQuestion):
        if isinstance(value, str):
            try:
                value = dt.date.fromisoformat(value)
            except ValueError:
                raise ValueError("must be a date such as 2026-12-31") from None
        if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
            raise ValueError("must be a date such as 2026-12-31")
        if question.min and value < question.min:
            raise ValueError(f"must be on or after {question.min.isoformat()}")
        if question.max and value > question.max:
            raise ValueError(f"must be on or before {question.max.isoformat()}")
        return answer.model_copy(update={"value": value})
    if isinstance(question, Text):
        if not isinstance(value, str):
            raise ValueError("must be text")
        check_text(value, min(question.max_length, MAX_TEXT_ANSWER))
        return answer
    return answer


def evaluate_assessment(
    assessment: Assessment, bank: Bank, name: str, lines: LineFinder | None = None
) -> Loaded:
    """Check answers against the bank, recompute the result, compare with the snapshot."""
    checked, warnings = check_answers(assessment, bank, name, lines)
    result = decide(bank, checked.answers, checked.reviewed_on, complete=checked.status == "complete")
    snapshot = checked.result
    # In-progress snapshots are provisional (autosaves skip the exploration of unknowns):
    # only a complete assessment's snapshot is checked against the recomputed result.
    if snapshot is not None and checked.status == "complete":
        fresh = result.snapshot()
        old_outcomes = snapshot.get("outcomes")
        if old_outcomes != fresh["outcomes"] or snapshot.get("provisional") != fresh["provisional"]:
            warnings.append(
                Problem(
                    name,
                    "the saved result differs from the recomputed one (edited by hand, or "
                    "another bank or policy); showing the recomputed result",
                    key="result",
                )
            )
    return Loaded(checked, result, tuple(warnings))


def read_assessment_file(path: Path, bank: Bank, *, allow_symlink: bool = True) -> Loaded:
    """Read, validate and evaluate one assessment file; only AssessmentError escapes."""
    from socwizard.core.tomlsafe import read_text

    name = display_path(path)
    try:
        text = read_text(path, max_bytes=MAX_ASSESSMENT_BYTES, allow_symlink=allow_symlink)
        raw = parse(text, name)
    except FileProblems as exc:
        raise AssessmentError(exc.problems) from None
    lines = LineFinder(text)
    return evaluate_assessment(parse_assessment(raw, name, lines), bank, name, lines)


# --- writing --------------------------------------------------------------------------


def to_toml(assessment: Assessment, result: Result | None = None) -> str:
    """Serialise canonically (fixed key order, no None, UTC timestamps)."""
    head: dict[str, Any] = {"format": assessment.format}
    for key in (
        "id",
        "title",
        "vendor",
        "vendor_key",
        "assessor",
        "reviewed_on",
        "created",
        "updated",
        "status",
        "cursor",
        "previous",
    ):
        value = getattr(assessment, key)
        if value is not None and value != "":
            head[key] = value
    data: dict[str, Any] = dict(head)
    data["answers"] = {qid: answer.to_toml() for qid, answer in assessment.answers.items()}
    if assessment.set_aside:
        data["set_aside"] = {qid: answer.to_toml() for qid, answer in assessment.set_aside.items()}
    if assessment.documents:
        data["documents"] = [d.model_dump(exclude_none=True) for d in assessment.documents]
    bank = assessment.bank.model_dump(exclude_defaults=True)
    if bank:
        data["bank"] = bank
    snapshot = result.snapshot() if result is not None else assessment.result
    if snapshot:
        data["result"] = snapshot
    import tomli_w  # only to write: reading (show, list) never needs it

    body = tomli_w.dumps(data, multiline_strings=True)
    header = (
        f"{SCHEMA_DIRECTIVE}\n"
        "# A socwizard vendor assessment. Answers are the source of truth; [result] is a\n"
        "# snapshot for readers without the tool and is recomputed whenever it is opened.\n\n"
    )
    return header + body


def stamp(assessment: Assessment, bank: Bank, result: Result, *, assign_id: bool = True) -> Assessment:
    """Record the bank, fingerprints of the questions shown, the snapshot and an id."""
    asked: dict[str, str] = {}
    for qid in (*result.visibility.shown, *assessment.answers):
        question = bank.question(qid)
        if question is not None:
            asked[qid] = question_fingerprint(question)
    update: dict[str, Any] = {
        "bank": BankRef(id=bank.id, version=bank.version, hash=bank.content_hash, asked=asked),
        "result": result.snapshot(),
    }
    if assign_id and assessment.id is None:
        update["id"] = new_id()
    if assign_id and assessment.vendor_key is None:
        update["vendor_key"] = vendor_key_for(assessment.vendor)
    if assessment.created is None:
        update["created"] = assessment.updated or utc_now()
    if assessment.updated is None:
        update["updated"] = update.get("created", assessment.created)
    return assessment.model_copy(update=update)


@dataclass(frozen=True)
class BankChanges:
    """How the bank changed since an assessment was last saved."""

    new: tuple[str, ...]
    changed: tuple[str, ...]
    removed: tuple[str, ...]
    rules_changed: bool = False
    """The bank's hash differs but no question did: its rules, weights or the
    organisation's ``policy.toml`` changed (the result may differ)."""

    @property
    def any(self) -> bool:
        """True when anything changed."""
        return bool(self.new or self.changed or self.removed or self.rules_changed)


def bank_changes(assessment: Assessment, bank: Bank, shown: tuple[str, ...]) -> BankChanges:
    """New (visible, never asked), changed (asked in another form) and removed questions."""
    ref = assessment.bank
    if not ref.hash or ref.hash == bank.content_hash:
        return BankChanges((), (), tuple(assessment.set_aside))
    asked = ref.asked
    new = tuple(q for q in shown if q not in assessment.answers and q not in asked)
    changed = tuple(
        q
        for q, fp in asked.items()
        if (question := bank.question(q)) is not None and question_fingerprint(question) != fp
    )
    removed = tuple(assessment.set_aside)
    return BankChanges(new, changed, removed, rules_changed=not (new or changed or removed))
