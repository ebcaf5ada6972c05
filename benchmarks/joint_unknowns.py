"""Joint unknowns: the cost of exploring N "I don't know" answers together.

The engine tries each unknown's candidates alone, then the all-worst / all-best
combinations, one pass of coordinate ascent and each unknown's share of the worst case:
linear in the number of unknowns, never the product of their candidates. Used by
``benchmarks/run.py`` (figure 12); run alone for the counts.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from socwizard.core.answers import UNKNOWN, Answer
from socwizard.core.assessment import read_assessment_file
from socwizard.core.bank.models import Bank
from socwizard.core.recommendation import decide

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "tests" / "examples" / "payroll_sox_with_evidence.toml"


def answers_with_unknowns(bank: Bank, count: int) -> tuple[dict[str, Answer], dt.date, list[str]]:
    """The payroll example with its first ``count`` unknowable, non-text answers unknown."""
    loaded = read_assessment_file(EXAMPLE, bank)
    answers = dict(loaded.assessment.answers)
    chosen: list[str] = []
    for qid in loaded.result.visibility.shown:
        question = bank.question(qid)
        if len(chosen) == count:
            break
        if question is None or not question.allow_unknown or question.type == "text" or qid not in answers:
            continue
        chosen.append(qid)
    if len(chosen) < count:
        raise SystemExit(f"only {len(chosen)} questions can be unknown in {EXAMPLE.name}")
    return {**answers, **dict.fromkeys(chosen, UNKNOWN)}, loaded.assessment.reviewed_on, chosen


def runs_for(bank: Bank, count: int) -> int:
    """Rule evaluations spent on ``count`` unknowns (candidates alone + joint runs)."""
    from socwizard.core.scoring import candidates

    answers, reviewed_on, chosen = answers_with_unknowns(bank, count)
    result = decide(bank, answers, reviewed_on)
    alone = sum(len(candidates(q, reviewed_on)) for q in map(bank.question, chosen) if q is not None)
    joint = result.joint.runs if result.joint else 0
    return 1 + alone + joint


if __name__ == "__main__":
    from socwizard.core.bank.loader import load_bank

    bank = load_bank(ROOT / "questions")
    for n in (1, 5, 10, 20):
        print(f"{n:>2} unknowns: {runs_for(bank, n)} rule evaluations")
