"""One opinion per report, kept right while the interview adds a second report.

With one SOC report on file the bank asks one opinion question (``report_opinion``);
with a SOC 1 and a SOC 2 (or SOC 3) it asks one per report (``soc1_opinion``,
``soc2_opinion``) and hides the single one. When a second report is added in the
middle of an interview — attached from its PDF, or ticked by hand — the opinion already
given belongs to the report that was on file *before*: :func:`carry_opinion` moves it
into that report's own question at once (not only when the file is next read, through
the bank's ``copy_into`` migration), and leaves the other report's opinion to be asked
(never assumed clean).

Which question is about which report kinds comes from the evidence mapping table
(:data:`socwizard.core.evidence.mapping.ROWS`), not from code. Pure: no textual, no files.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from socwizard.core.answers import Answer
from socwizard.core.bank.conditions import Facts, evaluate
from socwizard.core.bank.models import Bank
from socwizard.core.evidence.mapping import ROWS


def _kinds_on_file(answers: Mapping[str, Answer], reports_question: str) -> set[str]:
    answer = answers.get(reports_question)
    value = answer.value if answer is not None and answer.known else ()
    return set(value) if isinstance(value, tuple) else {value} if isinstance(value, str) else set()


def _shown(bank: Bank, question_id: str, answers: Mapping[str, Answer]) -> bool:
    question = bank.question(question_id)
    if question is None:
        return False
    if question.when is None:
        return True
    return evaluate(question.when, Facts(answers=answers, shown=set(answers), reviewed_on=dt.date.max))


def carry_opinion(
    bank: Bank, before: Mapping[str, Answer], after: Mapping[str, Answer]
) -> dict[str, Answer] | None:
    """``after`` with the single opinion moved into its report's own question, or None.

    Applies when an edit (``before`` → ``after``) hid the single opinion question while
    it had an answer, and showed the per-report ones: the answer goes to each shown
    per-report question, still unanswered, whose report kind was on file before the edit;
    the single question's answer is then dropped (its meaning carried). None when
    nothing is to be carried.
    """
    reports = next((r.question for r in ROWS if r.source == "kind_in_reports"), None)
    opinions = [r for r in ROWS if r.source == "opinion" and bank.question(r.question) is not None]
    if reports is None or not opinions:
        return None
    widest = max(len(r.kinds) for r in opinions)
    single = [r for r in opinions if len(r.kinds) == widest]
    per_report = [r for r in opinions if len(r.kinds) < widest]
    if len(single) != 1 or not per_report:
        return None
    source = single[0].question
    answer = after.get(source)
    if answer is None or not _shown(bank, source, before) or _shown(bank, source, after):
        return None
    was_on_file = _kinds_on_file(before, reports)
    targets = [
        r.question
        for r in per_report
        if r.question not in after and set(r.kinds) & was_on_file and _shown(bank, r.question, after)
    ]
    if not targets:
        return None
    out = dict(after)
    del out[source]
    for target in targets:
        out[target] = answer
    return out
