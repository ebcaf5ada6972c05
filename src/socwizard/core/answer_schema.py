"""JSON Schema of answers as files hold them, generic and per bank (issue 9).

pydantic's schema of :class:`~socwizard.core.answers.Answer` describes only the table
form, so every validator (check-jsonschema, taplo / Even Better TOML) rejected the plain
``q = "moderate"`` that socwizard writes, and nothing checked a value against its
question. Here:

- :func:`generic_answer` is every form the reader accepts: a plain value, ``{value,
  note}`` (``state = "answered"`` optional) or ``{state, note}`` for "I don't know" /
  "doesn't apply" — and nothing else (``{state = "unknown", value = 1}`` is refused);
- :func:`answer_for` types one question's answer: a number with its min/max, a date, the
  choice values of a single choice (each with its label as description, so an editor
  completes them), an array of choice values for a multiple choice, true/false, text
  with its length limit — in each of the three forms, with only the states the question
  allows;
- :func:`assessment_schema_for` is the assessment schema with every question id of a bank
  as a property of ``[answers]``. ``.socwizard/assessment.schema.json`` in a store is
  this schema for the bank in use, so an editor completes and checks answer values.

Each schema accepts exactly what :func:`socwizard.core.assessment.normalise` accepts
(for example ``"yes"`` for a yes/no question, one string for a multiple choice): the
tests validate files with the jsonschema library and taplo and check both directions.
"""

from __future__ import annotations

import copy
from typing import Any

from socwizard.core.answers import MAX_NOTE, MAX_TEXT_ANSWER
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

_NOTE = {"type": "string", "maxLength": MAX_NOTE, "description": "A free note by the assessor."}
_ANY_VALUE: dict[str, Any] = {
    "anyOf": [
        {"type": "boolean"},
        {"type": "number"},
        {"type": "string", "maxLength": MAX_TEXT_ANSWER},
        {"type": "array", "items": {"type": "string", "maxLength": 200}},
    ]
}
_YES_NO_TEXT = {"type": "string", "pattern": "^([Yy][Ee][Ss]|[Nn][Oo])$"}


def _forms(value: dict[str, Any], states: list[str], description: str = "") -> dict[str, Any]:
    """The three ways a file holds an answer, for one value schema."""
    forms: list[dict[str, Any]] = [
        value,
        {
            "type": "object",
            "properties": {"value": value, "note": _NOTE, "state": {"const": "answered"}},
            "required": ["value"],
            "additionalProperties": False,
        },
    ]
    if states:
        forms.append(
            {
                "type": "object",
                "properties": {
                    "state": {
                        "enum": states,
                        "description": '"unknown" is "I don\'t know"; "not_applicable" is "doesn\'t apply".',
                    },
                    "note": _NOTE,
                },
                "required": ["state"],
                "additionalProperties": False,
            }
        )
    schema: dict[str, Any] = {"anyOf": forms}
    if description:
        schema["description"] = description
    return schema


def generic_answer() -> dict[str, Any]:
    """Any answer in any form the reader accepts (used where the question is not known)."""
    return _forms(
        _ANY_VALUE,
        ["unknown", "not_applicable"],
        'An answer: a value, { value = …, note = … }, or { state = "unknown" | "not_applicable" }.',
    )


def value_for(question: Question, retired: dict[str, str] | None = None) -> dict[str, Any]:
    """The schema of a value that fits ``question`` (as ``normalise`` checks it).

    ``retired`` maps old choice values the bank migrates (``[[migrations]] rename``) to
    the value they are read as; a file may still hold them, so they are accepted too,
    marked deprecated.
    """
    if isinstance(question, SingleChoice | MultiChoice):
        choices: list[dict[str, Any]] = [
            {
                "const": c.value,
                "title": one_line(c.label, 200),
                "description": one_line(c.help or c.label, 300),
            }
            for c in question.choices
        ]
        current = {c.value for c in question.choices}
        choices += [
            {"const": old, "deprecated": True, "description": f"Retired: read as {new!r}."}
            for old, new in (retired or {}).items()
            if old not in current
        ]
        one = {"type": "string", "anyOf": choices}
        if isinstance(question, SingleChoice):
            return one
        array: dict[str, Any] = {"type": "array", "items": one, "uniqueItems": True}
        exclusive = [c.value for c in question.choices if c.exclusive]
        if exclusive:  # "none of these" goes alone
            array["allOf"] = [{"if": {"contains": {"const": v}}, "then": {"maxItems": 1}} for v in exclusive]
        return {"anyOf": [array, one]}
    if isinstance(question, YesNo):
        return {"anyOf": [{"type": "boolean"}, _YES_NO_TEXT]}
    if isinstance(question, Number):
        number: dict[str, Any] = {"type": "number"}
        if question.integer:
            number["multipleOf"] = 1
        if question.min is not None:
            number["minimum"] = question.min
        if question.max is not None:
            number["maximum"] = question.max
        return number
    if isinstance(question, DateQuestion):
        return {"type": "string", "format": "date"}
    if isinstance(question, Text):
        return {"type": "string", "maxLength": min(question.max_length, MAX_TEXT_ANSWER)}
    return _ANY_VALUE  # pragma: no cover - every question type is handled above


def answer_for(question: Question, retired: dict[str, str] | None = None) -> dict[str, Any]:
    """The schema of an answer to ``question``, in every form, with its allowed states."""
    states = [
        state
        for state, allowed in (
            ("unknown", question.allow_unknown),
            ("not_applicable", question.allow_not_applicable),
        )
        if allowed
    ]
    description = one_line(question.prompt, 300)
    if question.help:
        description += " — " + one_line(question.help, 300)
    return _forms(value_for(question, retired), states, description)


def assessment_schema_for(generic: dict[str, Any], bank: Bank) -> dict[str, Any]:
    """The assessment schema with ``[answers]`` typed by ``bank``'s questions.

    Ids the bank does not have are still accepted (socwizard keeps such answers aside
    with a warning), as any answer.
    """
    data = copy.deepcopy(generic)
    data["$id"] = f"https://socwizard.dev/schemas/assessment.{bank.id}-{bank.version}.schema.json"
    data["title"] = f"Assessment ({one_line(bank.meta.title, 100)} {bank.version})"
    answers = data["properties"]["answers"]
    retired: dict[str, dict[str, str]] = {}
    for migration in bank.meta.migrations:
        retired.setdefault(migration.question, {}).update(migration.rename)
    answers["properties"] = {q.id: answer_for(q, retired.get(q.id)) for q in bank.questions}
    answers["additionalProperties"] = {"$ref": "#/$defs/Answer"}
    return data
