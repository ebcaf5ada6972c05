"""What a user still tripped over after Bank 2.0 (issue 10's closing note), each with a test."""

from __future__ import annotations

import calendar
import datetime as dt
from pathlib import Path

import pytest

from socwizard.core.answers import UNKNOWN, Answer
from socwizard.core.assessment import Assessment, read_assessment_file
from socwizard.core.bank.loader import load_bank
from socwizard.core.bank.models import Bank
from socwizard.core.evidence.attach import apply, propose
from socwizard.core.evidence.model import Fact, Report
from socwizard.core.recommendation import Result, decide
from socwizard.core.store import Store
from socwizard.core.warnings import warnings_for
from socwizard.tui.session import Session

ROOT = Path(__file__).resolve().parent.parent
DAY = dt.date(2026, 6, 1)


@pytest.fixture(scope="module")
def bank() -> Bank:
    return load_bank(ROOT / "questions")


def report(kind: str, opinion: str, name: str) -> Report:
    facts = {
        "kind": Fact(kind, 1, kind),
        "type": Fact("type2", 1, "Type 2"),
        "period_start": Fact("2025-01-01", 2, "January 1, 2025"),
        "period_end": Fact("2025-12-31", 2, "December 31, 2025"),
        "opinion": Fact(opinion, 3, f"opinion {opinion}"),
    }
    return Report(name, ("a" if "1" in name else "b") * 64, 40, facts)


def attach(session: Session, bank: Bank, found: Report) -> None:
    """What the TUI's Report screen does when every proposal is accepted."""
    proposals = propose(found, bank, session.assessment.answers)
    replace = {p.question_id for p in proposals}
    session.replace_assessment(apply(session.assessment, found, proposals, replace=replace, today=DAY))


# --- (a) a SOC 1 then a SOC 2 in one session: each opinion in its own question at once ----


def test_a_soc1_then_a_soc2_keep_each_opinion_without_rereading(store: Store, bank: Bank) -> None:
    session = Session(store, bank, Assessment(vendor="Acme", reviewed_on=DAY))
    attach(session, bank, report("soc1", "qualified", "soc1.pdf"))
    assert session.answer("report_opinion") is not None
    assert session.answer("report_opinion").value == "qualified"  # type: ignore[union-attr]
    attach(session, bank, report("soc2", "unmodified", "soc2.pdf"))
    answers = session.assessment.answers
    assert answers["soc1_opinion"].value == "qualified"
    assert answers["soc2_opinion"].value == "unmodified"
    assert "report_opinion" not in answers
    shown = session.result().visibility.shown
    assert "soc1_opinion" in shown and "soc2_opinion" in shown and "report_opinion" not in shown


def test_a_second_report_ticked_by_hand_asks_its_own_opinion(store: Store, bank: Bank) -> None:
    """The opinion given was the SOC 1's: the SOC 2's is asked, never assumed clean."""
    session = Session(store, bank, Assessment(vendor="Acme", reviewed_on=DAY))
    session.set_answer("evidence_reports", Answer(value=("soc1",)))
    session.set_answer("report_opinion", Answer(value="unmodified"))
    session.set_answer("evidence_reports", Answer(value=("soc1", "soc2")))
    answers = session.assessment.answers
    assert answers["soc1_opinion"].value == "unmodified"
    assert "soc2_opinion" not in answers and "report_opinion" not in answers
    assert "soc2_opinion" in session.result().visibility.shown  # asked, unanswered


def test_one_report_only_keeps_the_single_opinion(store: Store, bank: Bank) -> None:
    session = Session(store, bank, Assessment(vendor="Acme", reviewed_on=DAY))
    attach(session, bank, report("soc2", "adverse", "soc2.pdf"))
    assert session.assessment.answers["report_opinion"].value == "adverse"
    assert "soc2_opinion" not in session.assessment.answers


# --- (c) a year-end day the month never has is a contradiction warning --------------------

MONTHS = [m.lower() for m in calendar.month_name[1:]]


@pytest.mark.parametrize("month", range(1, 13))
def test_an_impossible_year_end_day_warns_on_both_questions(bank: Bank, month: int) -> None:
    longest = 29 if month == 2 else calendar.monthrange(2025, month)[1]  # 29 February exists
    for day in sorted({longest, min(longest + 1, 31), 31}):  # the question allows 1 to 31
        answers = {
            "fiscal_year_end_month": Answer(value=MONTHS[month - 1]),
            "fiscal_year_end_day": Answer(value=day),
        }
        result = decide(bank, answers, DAY)
        on_day = warnings_for(result, "fiscal_year_end_day")
        on_month = warnings_for(result, "fiscal_year_end_month")
        if day <= longest:
            assert on_day == () and on_month == (), (month, day)
        else:
            assert len(on_day) == 1 and on_day == on_month, (month, day)
            text = on_day[0].text
            assert f"day {day} of {calendar.month_name[month]}" in text and "last day" in text


# --- (b) no reason pastes "not recorded": every example, hurried, and each quoted unknown ---

EXAMPLES = sorted((ROOT / "tests" / "examples").rglob("*.toml"))
SENTINEL = "\u2063not-recorded\u2063"


def _quoted(bank: Bank) -> set[str]:
    """Every question some reason quotes (only these can read "not recorded")."""
    import re

    texts = [r.reason for r in bank.meta.rules if r.reason] + [n.reason for n in bank.meta.next_review]
    return {qid for text in texts for qid in re.findall(r"\{(?:answer|months_since):([a-z0-9_]+)\}", text)}


def _rendered(result: Result) -> list[str]:
    findings = [f.reason.text for f in result.findings]
    reasons = [x.text for o in result.outcomes.values() for x in o.reasons]
    return [*findings, *reasons, result.next_review_reason, *(w.text for w in result.warnings)]


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_no_reason_reads_not_recorded(bank: Bank, path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A reason quotes only known answers: an unknown one takes its [[…||…]] segment's other part."""
    from socwizard.core import recommendation
    from test_hurried_buyer import HESITANT

    monkeypatch.setattr(recommendation, "_NOT_RECORDED", SENTINEL)
    loaded = read_assessment_file(path, bank)
    answers = dict(loaded.assessment.answers)
    day = loaded.assessment.reviewed_on

    def allows_unknown(qid: str) -> bool:
        question = bank.question(qid)
        return question is not None and question.allow_unknown and question.type != "text"

    hurried = {**answers, **{q: UNKNOWN for q in HESITANT if q in answers and allows_unknown(q)}}
    trials = {"expert": answers, "hurried buyer": hurried}
    for qid in sorted(_quoted(bank) & set(answers)):
        if allows_unknown(qid):
            trials[f"{qid} unknown"] = {**answers, qid: UNKNOWN}
    for name, trial in trials.items():
        for text in _rendered(recommendation.decide(bank, trial, day)):
            assert SENTINEL not in text, (name, text)
            assert "? month" not in text, (name, text)


# --- the hurried buyer: what the reports say, unknown because the reports are --------------


@pytest.mark.parametrize(
    ("stem", "outcome"),
    [
        ("e02_sox_soc1_type1", "extras.type2_commitment.level"),
        ("v10_carve_out_cuec_scope", "extras.cuec_review.level"),
    ],
)
def test_not_knowing_what_the_vendor_sent_never_lowers_an_extra(bank: Bank, stem: str, outcome: str) -> None:
    """The questions about a report count as unknown while the reports are: the extras
    they raise (a dated Type II commitment, the CUEC review) stay where they were."""
    (path,) = (ROOT / "tests" / "examples").rglob(f"{stem}.toml")
    loaded = read_assessment_file(path, bank)
    answers = {**loaded.assessment.answers, "evidence_reports": UNKNOWN}
    trial = decide(bank, answers, loaded.assessment.reviewed_on)
    scales = {o.id: bank.meta.scales[o.scale] for o in bank.meta.outcomes}
    for outcome_id, scale in scales.items():
        expert = loaded.result.value(outcome_id)
        assert scale.index(trial.value(outcome_id)) >= scale.index(expert), outcome_id
    assert trial.value(outcome) == loaded.result.value(outcome)
