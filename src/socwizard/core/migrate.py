"""Declared migrations of saved answers (the bank's ``[[migrations]]``).

Applied whenever an assessment is read, before its answers are checked: a renamed
choice value becomes the value that now carries its meaning, and a retired date
question's answer moves into its month/day questions. Old values are retired, never
reused, so applying a migration to an already-migrated file changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from socwizard.core.answers import Answer, State
from socwizard.core.bank.models import Bank, Migration, MultiChoice, SingleChoice


def migrate_answers(bank: Bank, answers: Mapping[str, Answer]) -> dict[str, Answer]:
    """The answers with every declared migration applied (a new dict; input untouched)."""
    out = dict(answers)
    for migration in bank.meta.migrations:
        if migration.rename:
            _rename(bank, migration, out)
        else:
            _split_date(bank, migration, out)
    return out


def _rename(bank: Bank, migration: Migration, out: dict[str, Answer]) -> None:
    answer = out.get(migration.question)
    question = bank.question(migration.question)
    if answer is None or answer.state is not State.ANSWERED or question is None:
        return
    value = answer.value
    if isinstance(question, SingleChoice) and isinstance(value, str) and value in migration.rename:
        out[migration.question] = answer.model_copy(update={"value": migration.rename[value]})
    elif isinstance(question, MultiChoice) and isinstance(value, str | tuple):
        items = (value,) if isinstance(value, str) else value
        if any(v in migration.rename for v in items):
            renamed = tuple(dict.fromkeys(migration.rename.get(v, v) for v in items))
            out[migration.question] = answer.model_copy(update={"value": renamed})


def _split_date(bank: Bank, migration: Migration, out: dict[str, Answer]) -> None:
    answer = out.get(migration.question)
    month_q = bank.question(migration.into_month or "")
    if answer is None or bank.question(migration.question) is not None:
        return
    if not isinstance(month_q, SingleChoice) or migration.into_month in out:
        return
    del out[migration.question]
    if answer.state is not State.ANSWERED:
        out[month_q.id] = answer
        return
    value = answer.value
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            out[migration.question] = answer  # not a date: left for the checks to report
            return
    if not isinstance(value, dt.date) or len(month_q.choices) != 12:
        out[migration.question] = answer
        return
    out[month_q.id] = Answer(value=month_q.choices[value.month - 1].value, note=answer.note)
    if migration.into_day is not None and migration.into_day not in out:
        out[migration.into_day] = Answer(value=value.day)
