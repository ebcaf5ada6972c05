"""Answers that contradict each other, by question: what the interview shows inline.

The bank marks some findings as warnings (``warning = true`` in ``[[findings]]``): a
period that ends before it starts, a report signed before its period ended, a date after
the review date, payroll with no payroll data… Each rule that raises one yields an
:class:`~socwizard.core.recommendation.AnswerWarning` in ``Result.warnings``, naming
every question its condition tested (compared dates included). This module only
filters them; it computes nothing and never imports a UI.
"""

from __future__ import annotations

from socwizard.core.recommendation import AnswerWarning, Result


def warnings_for(result: Result, question_id: str) -> tuple[AnswerWarning, ...]:
    """The warnings that concern ``question_id``, in rule order (empty when none).

    For the interview: after an answer changes, recompute the result as usual
    (``decide``) and call this for the question on screen; show each warning's
    ``text`` (plain text, from the bank: render it without markup) under the
    question, with ``label`` as its title. A warning names every question involved,
    so "the period ends before it starts" shows both on the period start and on the
    period end. A question the result knows nothing of simply has no warnings.
    """
    return tuple(w for w in result.warnings if question_id in w.questions)


def warned_questions(result: Result) -> frozenset[str]:
    """Every question some warning concerns (for a marker in a question list)."""
    return frozenset(q for w in result.warnings for q in w.questions)
