"""Declared migrations of saved answers (the bank's ``[[migrations]]``).

Applied whenever an assessment is read, before its answers are checked: a renamed
choice value becomes the value that now carries its meaning, a retired date
question's answer moves into its month/day questions, and an answer once given for
several reports at a time is copied into each report's own question. Old values are retired, never
reused, so applying a migration to an already-migrated file changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from socwizard.core.answers import Answer, State
from socwizard.core.bank.conditions import Facts, evaluate
from socwizard.core.bank.models import Bank, Migration, MultiChoice, SingleChoice


def migrate_answers(bank: Bank, answers: Mapping[str, Answer]) -> dict[str, Answer]:
    """The answers with every declared migration applied (a new dict; input untouched)."""
    out = dict(answers)
    for migration in bank.meta.migrations:
        if migration.rename:
            _rename(bank, migration, out)
        elif migration.copy_into:
            _copy_into(bank, migration, out)
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


def _copy_into(bank: Bank, migration: Migration, out: dict[str, Answer]) -> None:
    """One answer for several reports → each report's own question (where it applies).

    The source answer moves (a hidden copy would only sit aside). Targets already
    answered keep their answer, and the single answer goes to the others. When the
    retired ``named_by`` question said which report the answer was about, only that
    report's question gets it and the others get ``others_get``; its answer is then
    dropped, its meaning carried. Unknown stays unknown everywhere.
    """
    answer = out.get(migration.question)
    if answer is None:
        return
    facts = Facts(answers=out, shown=set(out), reviewed_on=dt.date.max)
    targets = []
    for qid in migration.copy_into:
        question = bank.question(qid)
        if question is not None and (question.when is None or evaluate(question.when, facts)):
            targets.append(qid)
    if any(t in out for t in targets):
        # Some report already has its own answer (a second report added later): the
        # single answer was about the report(s) still without one.
        targets = [t for t in targets if t not in out]
        if targets:
            del out[migration.question]
            for qid in targets:
                out[qid] = answer
        return
    if not targets:
        return
    del out[migration.question]
    named = set(targets)
    selector = out.get(migration.named_by or "")
    if migration.named_by is not None and selector is not None and bank.question(migration.named_by) is None:
        del out[migration.named_by]
        value = selector.value if selector.state is State.ANSWERED else None
        if isinstance(value, str) and value in migration.names:
            named = {migration.names[value]}
    for qid in targets:
        if qid in named or answer.state is not State.ANSWERED or migration.others_get is None:
            out[qid] = answer
        else:
            out[qid] = Answer(value=migration.others_get)
