"""Recommendation: rules raise only, reasons, unknown floors, follow-ups, next review, determinism."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from socwizard.core.answers import NOT_APPLICABLE, UNKNOWN, Answer
from socwizard.core.bank.loader import load_bank
from socwizard.core.bank.models import Bank
from socwizard.core.recommendation import AnswerRef, decide

from .helpers import REVIEWED, append, copy_bank
from .test_scoring import FULL

LOW = {
    "data_types": Answer(value=("none",)),
    "financial": Answer(value=False),
    "sla": NOT_APPLICABLE,
    "fye": Answer(value=dt.date(2025, 12, 31)),
    "notes": Answer(value=""),
}


def test_full_answers(mini_bank: Bank) -> None:
    result = decide(mini_bank, FULL, REVIEWED)
    assert result.value("tier") == "high"
    assert result.value("soc1.level") == "required"
    assert result.value("soc2.level") == "required"
    assert result.value("evidence.verdict") == "not_reviewed"
    assert result.value("nope") == ""
    assert not result.provisional
    assert result.headline() == "Tier: High · SOC 1: Required · SOC 2: Required"
    assert result.follow_ups == ()


def test_low_answers(mini_bank: Bank) -> None:
    result = decide(mini_bank, LOW, REVIEWED)
    assert {k: v.value for k, v in result.outcomes.items()} == {
        "tier": "low",
        "soc1.level": "not_needed",
        "soc2.level": "not_needed",
        "evidence.verdict": "not_reviewed",
    }
    assert result.outcomes["tier"].reasons == ()


def test_rules_only_raise(mini_bank: Bank) -> None:
    # soc2_needed (rule 3) sets "required"; soc2_high_tier (rule 4) fires too but cannot lower it.
    result = decide(mini_bank, FULL, REVIEWED)
    soc2 = result.outcomes["soc2.level"]
    assert soc2.value == "required"
    assert [r.rule_id for r in soc2.reasons] == ["soc2_needed"]


def test_reasons_name_the_answers_that_drove_them(mini_bank: Bank) -> None:
    result = decide(mini_bank, FULL, REVIEWED)
    soc1 = result.outcomes["soc1.level"]
    assert soc1.reasons[0].rule_id == "soc1_needed"
    assert soc1.reasons[0].text == "It touches your financial statements."
    assert soc1.reasons[0].answers == (
        AnswerRef("financial", "Does it process transactions that reach your financial statements?", "Yes"),
    )
    soc2 = result.outcomes["soc2.level"]
    assert soc2.reasons[0].answers[0].answer == "Customers' personal data"
    tier = result.outcomes["tier"]
    assert tier.reasons[0].rule_id == "tier_high"
    # Driven by scores: the reason cites the answers that contributed most.
    assert tier.reasons[0].answers[0].question_id == "financial"


def test_unknown_gets_a_rule_and_a_follow_up(mini_bank: Bank) -> None:
    result = decide(mini_bank, {**LOW, "financial": UNKNOWN}, REVIEWED)
    # Never in the vendor's favour: held where the strictest plausible answer ("yes") puts it.
    assert result.value("soc1.level") == "required"
    assert result.outcomes["soc1.level"].settled_by == ("financial",)
    assert result.provisional
    follow = {f.question_id: f for f in result.follow_ups}
    assert set(follow) == {"financial"}
    fu = follow["financial"]
    assert fu.state == "unknown"
    assert fu.section == "basics"
    assert fu.ask == fu.prompt
    changes = {ch.outcome_id: ch for ch in fu.changes}
    assert changes["soc1.level"].current == "required"
    assert changes["soc1.level"].possible == ("not_needed",)
    # "I don't know" is scored worst (finance 100), so the tier is high until answered.
    assert changes["tier"].current == "high"
    assert changes["tier"].possible == ("low",)


def test_unanswered_question_is_a_follow_up_and_provisional(mini_bank: Bank) -> None:
    answers = dict(LOW)
    del answers["data_types"]
    result = decide(mini_bank, answers, REVIEWED)
    assert result.provisional
    follow = {f.question_id: f for f in result.follow_ups}
    assert follow["data_types"].state == "unanswered"
    assert {ch.outcome_id for ch in follow["data_types"].changes} >= {"soc2.level"}
    assert result.headline().endswith("(provisional)")


def test_incomplete_status_is_provisional(mini_bank: Bank) -> None:
    assert decide(mini_bank, FULL, REVIEWED, complete=False).provisional
    assert not decide(mini_bank, FULL, REVIEWED, complete=True).provisional


def test_unknown_floors_at_the_strictest_plausible_answer(tmp_path: Path) -> None:
    bank_dir = copy_bank(tmp_path)
    append(
        bank_dir / "bank.toml",
        '\n[[rules]]\nid = "fye_known"\nwhen = { question = "fye", before = "2999-01-01" }\n'
        'set = { "soc1.level" = "recommended" }\nreason = "Any fiscal year end."\n',
    )
    bank = load_bank(bank_dir)
    answers = dict(LOW)
    del answers["fye"]
    result = decide(bank, answers, REVIEWED)
    soc1 = result.outcomes["soc1.level"]
    assert soc1.value == "recommended"  # the rule is false while fye is missing, true for every answer
    assert soc1.reasons[0].rule_id == "unknown:fye"
    assert "held provisionally at “Recommended”" in soc1.reasons[0].text
    assert soc1.reasons[0].answers[0].answer == "not answered yet"
    fye = next(f for f in result.follow_ups if f.question_id == "fye")
    assert fye.changes == ()  # nothing left to change
    # Once answered, the same outcome comes from the rule itself.
    answered = decide(bank, {**answers, "fye": Answer(value=dt.date(2025, 1, 1))}, REVIEWED)
    assert answered.outcomes["soc1.level"].reasons[0].rule_id == "fye_known"


def test_follow_up_respects_follow_up_flag(tmp_path: Path) -> None:
    bank_dir = copy_bank(tmp_path)
    text = (bank_dir / "basics.toml").read_text()
    text = text.replace("no_scores = { finance = 0 }", "no_scores = { finance = 0 }\nfollow_up = false", 1)
    (bank_dir / "basics.toml").write_text(text)
    result = decide(load_bank(bank_dir), {**LOW, "financial": UNKNOWN}, REVIEWED)
    assert result.follow_ups == ()
    assert result.value("soc1.level") == "required"


def test_stale_report_finding_and_verdict(mini_bank: Bank) -> None:
    result = decide(mini_bank, {**FULL, "report_end": Answer(value=dt.date(2025, 1, 31))}, REVIEWED)
    assert result.value("evidence.verdict") == "conditional"
    assert [f.id for f in result.findings] == ["stale_report"]
    assert result.findings[0].label == "The report is stale"
    assert result.findings[0].reason.answers[0].question_id == "report_end"
    fresh = decide(mini_bank, {**FULL, "report_end": Answer(value=dt.date(2025, 12, 31))}, REVIEWED)
    assert fresh.value("evidence.verdict") == "sufficient"
    assert fresh.findings == ()


def test_next_review_is_the_earliest_candidate_not_before_reviewed_on(mini_bank: Bank) -> None:
    plain = decide(mini_bank, FULL, REVIEWED)
    assert plain.next_review == dt.date(2027, 3, 31)
    assert plain.next_review_reason == "Yearly review."
    soon = decide(mini_bank, {**FULL, "report_end": Answer(value=dt.date(2025, 12, 31))}, REVIEWED)
    assert soon.next_review == dt.date(2026, 12, 31)
    assert soon.next_review_reason == "When the vendor's report goes stale."
    past = decide(mini_bank, {**FULL, "report_end": Answer(value=dt.date(2024, 1, 31))}, REVIEWED)
    # Already stale: a date that has passed is no candidate (the bank's follow-up
    # interval, where it has one, decides); never the review date itself, never the past.
    assert past.next_review == dt.date(2027, 3, 31)
    unknown = decide(mini_bank, {**FULL, "report_end": UNKNOWN}, REVIEWED)
    assert unknown.next_review == dt.date(2027, 3, 31)


def test_next_review_with_month_end_clamping(mini_bank: Bank) -> None:
    result = decide(mini_bank, FULL, dt.date(2024, 2, 29))
    assert result.next_review == dt.date(2025, 2, 28)


def test_determinism(mini_bank: Bank) -> None:
    answers = {**LOW, "financial": UNKNOWN, "data_types": UNKNOWN}
    first = decide(mini_bank, answers, REVIEWED)
    for _ in range(3):
        again = decide(mini_bank, dict(reversed(list(answers.items()))), REVIEWED)
        assert again == first
        assert json.dumps(again.to_json(), sort_keys=False, default=str) == json.dumps(
            first.to_json(), sort_keys=False, default=str
        )


def test_json_contract(mini_bank: Bank) -> None:
    result = decide(mini_bank, {**FULL, "report_end": Answer(value=dt.date(2025, 1, 31))}, REVIEWED)
    data = result.to_json()
    json.dumps(data)  # JSON-ready
    assert data["schema"] == "socwizard.result/1"
    rec = data["recommendation"]
    assert rec["tier"] == "high"
    assert rec["tier_reasons"][0]["rule"] == "tier_high"
    assert rec["soc1"]["level"] == "required"
    assert rec["soc1"]["reasons"][0]["answers"][0]["question"] == "financial"
    assert rec["evidence"]["verdict"] == "conditional"
    assert rec["evidence"]["findings"][0]["id"] == "stale_report"
    assert rec["next_review"]["date"] == "2027-03-31"  # the stale date has passed
    for dim in data["scores"].values():
        assert sum(c["points"] for c in dim["contributions"]) <= dim["score"] + 0.05
    snapshot = result.snapshot()
    assert snapshot["outcomes"]["soc1.level"] == "required"
    assert snapshot["findings"] == ["stale_report"]
    assert snapshot["computed_with"] == "mini 1.0"


def test_hidden_answers_never_drive_rules(mini_bank: Bank) -> None:
    # payroll_detail is hidden when financial is false; its answer must not count anywhere.
    answers = {**LOW, "payroll_detail": Answer(value="payroll")}
    result = decide(mini_bank, answers, REVIEWED)
    assert result.value("tier") == "low"
    assert result.visibility.set_aside == ("payroll_detail",)
    assert result.to_json()["answers_set_aside"] == ["payroll_detail"]


def test_a_complete_assessment_quotes_no_unanswered_question() -> None:
    """Team chat is complete; a negated test on a hidden question quoted "not answered yet"."""
    from socwizard.core.assessment import read_assessment_file
    from socwizard.paths import builtin_bank_dir

    bank = load_bank(builtin_bank_dir())
    example = Path(__file__).resolve().parents[1] / "examples" / "team_chat.toml"
    result = read_assessment_file(example, bank).result
    quoted = [ref for o in result.outcomes.values() for r in o.reasons for ref in r.answers]
    assert quoted  # the reasons do quote the answers behind them
    assert all(ref.answer != "not answered yet" for ref in quoted), [r.question_id for r in quoted]
