"""Bank 2.0 (issue 10): each rule defect found by the auditor review, with a test that
failed before the fix, and the bank's claims checked against its rules."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest

from socwizard.core.assessment import evaluate_assessment, parse_assessment, read_assessment_file
from socwizard.core.bank import conditions as c
from socwizard.core.bank.loader import load_bank
from socwizard.core.bank.models import Bank, Question
from socwizard.core.recommendation import Result
from socwizard.core.warnings import warned_questions, warnings_for

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = ROOT / "questions"
EXAMPLES = Path(__file__).resolve().parent / "examples"
REVIEWED_ON = dt.date(2026, 1, 15)
UNKNOWN = {"state": "unknown"}


@pytest.fixture(scope="module")
def bank() -> Bank:
    return load_bank(QUESTIONS)


def evaluate(bank: Bank, answers: dict[str, Any], reviewed_on: dt.date = REVIEWED_ON) -> Result:
    data = {"reviewed_on": reviewed_on, "status": "complete", "answers": answers}
    return evaluate_assessment(parse_assessment(data, "test"), bank, "test").result


def findings(result: Result) -> set[str]:
    return {f.id for f in result.findings}


# A SOX-listed payroll buyer with a clean SOC 1 + SOC 2 Type II (calendar fiscal year).
PAYROLL: dict[str, Any] = {
    "buyer_tier": "not_tiered",
    "service_kind": "finance",
    "products_used": "Payroll, tax filing",
    "usage_breadth": "company_wide",
    "replaceability": "hard",
    "integration": "data_sync",
    "data_types": ["employee_contact", "employee_sensitive", "financial_records"],
    "direct_collection": False,
    "contacts_people": False,
    "data_role": "instructions_only",
    "secondary_use": "no",
    "access_control": True,
    "encryption_reliance": True,
    "external_guests": False,
    "cross_org_sharing": False,
    "external_comms": True,
    "subprocessors": "yes",
    "financial_processes": ["payroll", "journal_entries"],
    "it_controls": ["none"],
    "financial_accuracy": "relied",
    "audited_financials": "sox",
    "fiscal_year_end_month": "december",
    "fiscal_year_end_day": 31,
    "other_calculations": False,
    "criticality": "critical",
    "uptime_sla": 99.9,
    "outage_impact": "severe",
    "assurance_obligation": False,
    "evidence_reports": ["soc1", "soc2"],
    "soc1_type": "type2",
    "soc1_period_start": dt.date(2025, 1, 1),
    "soc1_period_end": dt.date(2025, 12, 31),
    "soc2_type": "type2",
    "soc2_period_start": dt.date(2025, 1, 1),
    "soc2_period_end": dt.date(2025, 12, 31),
    "soc2_criteria": ["security", "availability", "processing_integrity", "confidentiality", "privacy"],
    "report_opinion": "unmodified",
    "report_exceptions": "none",
    "subservice_method": "carve_out",
    "carved_out_reports": "all",
    "scope_covers": "yes",
    "report_label": "ssae18",
    "bridge_letter_given": False,
    "auditor_cpa": True,
    "cuec_owners": "all",
}


def payroll(**changes: Any) -> dict[str, Any]:
    answers = dict(PAYROLL)
    for key, value in changes.items():
        if value is None:
            answers.pop(key, None)
        else:
            answers[key] = value
    return answers


def test_the_clean_payroll_file_is_sufficient(bank: Bank) -> None:
    result = evaluate(bank, payroll(), dt.date(2026, 2, 15))
    assert result.value("evidence.verdict") == "sufficient", [f.reason.text for f in result.findings]
    assert findings(result) == set()
    assert not result.provisional


# --- month ends -------------------------------------------------------------------------


def test_exactly_six_months_before_year_end_is_not_too_little_overlap(bank: Bank) -> None:
    # Period ends 30 June; 30 June + 6 months is 31 December, not 30 December.
    result = evaluate(
        bank,
        payroll(soc1_period_start=dt.date(2024, 7, 1), soc1_period_end=dt.date(2025, 6, 30)),
        dt.date(2026, 1, 15),
    )
    assert "soc1_overlap_short" not in findings(result)
    assert result.value("evidence.verdict") == "conditional"  # the bridge gap, only
    assert findings(result) == {"bridge_gap"}


def test_one_day_more_is_too_little_overlap(bank: Bank) -> None:
    result = evaluate(
        bank,
        payroll(soc1_period_start=dt.date(2024, 6, 30), soc1_period_end=dt.date(2025, 6, 29)),
        dt.date(2026, 1, 15),
    )
    assert "soc1_overlap_short" in findings(result)


def test_a_report_ending_on_the_last_day_of_february_is_current_a_year_later(bank: Bank) -> None:
    answers = payroll(soc2_period_start=dt.date(2024, 3, 1), soc2_period_end=dt.date(2025, 2, 28))
    # 28 Feb 2025 + 12 months = 29 Feb? No: 28 Feb 2026 (2026 is not a leap year).
    assert "stale_report" not in findings(evaluate(bank, answers, dt.date(2026, 2, 28)))
    assert "stale_report" in findings(evaluate(bank, answers, dt.date(2026, 3, 1)))


# --- fiscal year in progress ---------------------------------------------------------------


def test_a_fiscal_year_still_running_needs_no_bridge_letter(bank: Bank) -> None:
    # Reviewed 1 March 2026; the last completed fiscal year ended 31 December 2025 and
    # the SOC 1 reaches it. Before: judged against 31 December 2026 (not yet ended).
    loaded = read_assessment_file(EXAMPLES / "review" / "e13_fy_in_progress.toml", bank)
    result = loaded.result
    assert result.value("evidence.verdict") == "sufficient"
    assert "bridge_gap" not in findings(result)
    assert result.value("extras.bridge_letter.level") == "not_needed"
    reason = result.outcomes["extras.bridge_letter.level"].reasons[0].text
    assert "next report" in reason


def test_the_fiscal_year_end_is_asked_as_month_and_day(bank: Bank) -> None:
    # A June year-end reviewed in January 2026: the last completed year ended 30 June 2025.
    answers = payroll(
        fiscal_year_end_month="june",
        fiscal_year_end_day=30,
        soc1_period_start=dt.date(2024, 4, 1),
        soc1_period_end=dt.date(2025, 3, 31),
    )
    result = evaluate(bank, answers, dt.date(2026, 1, 15))
    assert "bridge_gap" in findings(result)
    assert result.value("extras.bridge_letter.level") == "required"
    assert "soc1_overlap_short" not in findings(result)  # three months: a bridge letter covers it


def test_an_unknown_day_counts_as_the_month_end(bank: Bank) -> None:
    answers = payroll(fiscal_year_end_day=UNKNOWN, soc1_period_end=dt.date(2025, 12, 30))
    result = evaluate(bank, answers, dt.date(2026, 1, 15))
    assert "bridge_gap" in findings(result)


def test_a_1_0_assessment_with_a_fiscal_year_end_date_opens_with_its_meaning(bank: Bank) -> None:
    answers = payroll(fiscal_year_end_month=None, fiscal_year_end_day=None)
    answers["fiscal_year_end"] = dt.date(2025, 12, 31)
    data = {"reviewed_on": dt.date(2026, 2, 15), "status": "complete", "answers": answers}
    loaded = evaluate_assessment(parse_assessment(data, "old"), bank, "old")
    assert loaded.assessment.answers["fiscal_year_end_month"].value == "december"
    assert loaded.assessment.answers["fiscal_year_end_day"].value == 31
    assert "fiscal_year_end" not in loaded.assessment.answers
    assert not loaded.warnings
    assert loaded.result.value("evidence.verdict") == "sufficient"


# --- Type I by tier --------------------------------------------------------------------------


def type1(**changes: Any) -> dict[str, Any]:
    return payroll(
        evidence_reports=["soc2"],
        soc2_type="type1",
        soc2_period_start=None,
        report_exceptions=None,
        type2_commitment_given=True,
        financial_processes=["none"],
        financial_accuracy=None,
        audited_financials=None,
        fiscal_year_end_month=None,
        fiscal_year_end_day=None,
        soc1_type=None,
        soc1_period_start=None,
        soc1_period_end=None,
        **changes,
    )


def test_a_type1_with_a_commitment_is_insufficient_at_the_high_tier(bank: Bank) -> None:
    result = evaluate(bank, type1(), dt.date(2026, 2, 15))
    assert result.value("tier") == "high"
    assert result.value("evidence.verdict") == "insufficient"
    assert "type1_only" in findings(result)


def test_a_type1_with_a_commitment_is_interim_evidence_at_the_medium_tier(bank: Bank) -> None:
    result = evaluate(bank, type1(buyer_tier="medium"), dt.date(2026, 2, 15))
    assert result.value("tier") == "medium"
    assert result.value("evidence.verdict") == "conditional"
    assert result.outcomes["extras.type2_commitment.level"].satisfied


def test_the_interim_tiers_are_a_policy(tmp_path: Path) -> None:
    policy = tmp_path / "policy.toml"
    policy.write_text('[policy]\ntype1_interim_tiers = ["low", "medium", "high"]\n', encoding="utf-8")
    custom = load_bank(QUESTIONS, policy)
    assert evaluate(custom, type1(), dt.date(2026, 2, 15)).value("evidence.verdict") == "conditional"


# --- the buyer's own tier --------------------------------------------------------------------


@pytest.mark.parametrize("tier", ["low", "medium", "high"])
def test_the_buyers_own_tier_wins(bank: Bank, tier: str) -> None:
    result = evaluate(bank, payroll(buyer_tier=tier), dt.date(2026, 2, 15))
    assert result.value("tier") == tier
    assert [r.rule_id for r in result.outcomes["tier"].reasons] == [f"tier_buyer_{tier}"]
    # The tier never lowers what the answers require.
    assert result.value("soc1.level") == "required"
    assert result.value("soc2.level") == "required"


def test_not_tiered_computes_the_tier(bank: Bank) -> None:
    result = evaluate(bank, payroll(buyer_tier="not_tiered"), dt.date(2026, 2, 15))
    assert result.value("tier") == "high"
    assert "tier_buyer_high" not in [r.rule_id for r in result.outcomes["tier"].reasons]


def test_the_tier_matrix_is_documented_in_the_policy() -> None:
    text = (QUESTIONS / "bank.toml").read_text(encoding="utf-8")
    assert "The tier matrix" in text
    docs = (ROOT / "docs" / "recommendation.md").read_text(encoding="utf-8")
    assert "**The tier matrix**" in docs


# --- satisfied extras, bridge letter level, inclusive, next review --------------------------


def test_a_bridge_letter_on_file_satisfies_the_extra(bank: Bank) -> None:
    gap = payroll(soc1_period_start=dt.date(2024, 10, 1), soc1_period_end=dt.date(2025, 9, 30))
    without = evaluate(bank, gap, dt.date(2026, 1, 15))
    assert without.value("extras.bridge_letter.level") == "required"
    assert not without.outcomes["extras.bridge_letter.level"].satisfied
    assert "should give you a bridge letter" in without.outcomes["extras.bridge_letter.level"].reasons[0].text
    given = evaluate(bank, {**gap, "bridge_letter_given": True}, dt.date(2026, 1, 15))
    bridge = given.outcomes["extras.bridge_letter.level"]
    assert bridge.value == "required"  # the level stays
    assert bridge.satisfied
    assert [r.rule_id for r in bridge.reasons] == ["bridge_letter_on_file"]
    assert "should give you" not in bridge.reasons[0].text
    extras = given.to_json()["recommendation"]["extras"]
    assert extras["bridge_letter"]["satisfied"] is True
    assert extras["pci_dss_aoc"]["satisfied"] is False


def test_the_bridge_letter_follows_a_recommended_soc1(bank: Bank) -> None:
    answers = payroll(
        audited_financials="not_audited",
        soc1_period_start=dt.date(2024, 10, 1),
        soc1_period_end=dt.date(2025, 9, 30),
    )
    result = evaluate(bank, answers, dt.date(2026, 1, 15))
    assert result.value("soc1.level") == "recommended"
    assert result.value("extras.bridge_letter.level") == "recommended"  # was "required"


def test_the_inclusive_method_needs_no_subservice_reports(bank: Bank) -> None:
    result = evaluate(bank, payroll(subservice_method="inclusive", carved_out_reports=None))
    assert result.value("extras.subservice_reports.level") == "not_needed"
    reasons = [r.rule_id for r in result.outcomes["extras.subservice_reports.level"].reasons]
    assert reasons == ["subservice_not_needed_inclusive"]


def test_a_stale_report_sets_the_follow_up_date_not_the_review_date(bank: Bank) -> None:
    answers = payroll(soc2_period_start=dt.date(2024, 1, 1), soc2_period_end=dt.date(2024, 10, 31))
    result = evaluate(bank, answers, dt.date(2026, 1, 15))
    assert result.value("evidence.verdict") == "insufficient"
    assert result.next_review == dt.date(2026, 4, 15)
    assert "follow up" in result.next_review_reason
    stale = next(f for f in result.findings if f.id == "stale_report")
    assert "ended 14 months before this review" in stale.reason.text


# --- claims without rules ---------------------------------------------------------------------


def _referenced_questions(bank: Bank) -> set[str]:
    found: set[str] = set()

    def add(condition: c.Condition | None) -> None:
        if condition is None:
            return
        for leaf in c.leaves(condition):
            if isinstance(leaf, c.QuestionTest):
                found.add(leaf.question)
                found.update(r for r in leaf.date_refs() if isinstance(r, str))

    for rule in bank.meta.rules:
        add(rule.when)
        found.update(re.findall(r"\{(?:answer|months_since):([a-z0-9_]+)\}", rule.reason))
    for question in bank.questions:
        add(question.when)
    for review in bank.meta.next_review:
        add(review.when)
        found.add(review.date)
    for annual in bank.meta.annual_dates:
        found.add(annual.month_question)
        found.update([annual.day_question] if annual.day_question else [])
    return found


def _scored(question: Question) -> bool:
    from socwizard.core.scoring import _choice_scores

    return any(scores for scores in _choice_scores(question))


def test_every_question_has_an_effect(bank: Bank) -> None:
    """Each question appears in a rule, a score or a condition (or is quoted by a reason)."""
    used = _referenced_questions(bank)
    idle = [q.id for q in bank.questions if q.id not in used and not _scored(q)]
    assert idle == []


CRITERIA = {
    "Availability": "availability",
    "Processing Integrity": "processing_integrity",
    "Confidentiality": "confidentiality",
    "Privacy": "privacy",
}


def test_a_why_naming_a_criterion_matches_a_rule_that_can_raise_it(bank: Bank) -> None:
    """Outside the evidence review, a "why we ask" naming a criterion must be backed by a
    rule that tests the question and raises that criterion above its lowest level."""
    for question in bank.questions:
        if question.section == "evidence":
            continue
        for name, criterion in CRITERIA.items():
            if name not in question.why:
                continue
            outcome = f"soc2.criteria.{criterion}.level"
            raisers = [
                rule
                for rule in bank.meta.rules
                if rule.set.get(outcome, "not_needed") not in ("not_needed",)
                and any(
                    isinstance(leaf, c.QuestionTest) and leaf.question == question.id
                    for leaf in (c.leaves(rule.when) if rule.when is not None else [])
                )
            ]
            assert raisers, f"{question.id}: why names {name} but no rule testing it raises {outcome}"


# --- contradictions are warnings --------------------------------------------------------------


def test_contradicting_dates_are_warnings(bank: Bank) -> None:
    answers = payroll(
        soc2_period_start=dt.date(2025, 12, 31),
        soc2_period_end=dt.date(2025, 1, 1),
        soc1_report_date=dt.date(2025, 11, 30),
    )
    result = evaluate(bank, answers, dt.date(2026, 2, 15))
    warning = next(f for f in result.findings if f.id == "dates_contradict")
    assert "The SOC 2 period ends (2025-01-01) before it starts (2025-12-31)" in warning.reason.text
    assert "The SOC 1 report is dated 2025-11-30, before its period ended" in warning.reason.text
    assert bank.finding("dates_contradict").warning  # type: ignore[union-attr]
    # Each firing is a warning in the result, naming every question it compared.
    by_rule = {w.rule_id: w.questions for w in result.warnings}
    assert set(by_rule["soc2_period_end_before_start"]) == {"soc2_period_end", "soc2_period_start"}
    assert set(by_rule["report_signed_before_period_end"]) == {"soc1_report_date", "soc1_period_end"}
    assert [w["rule"] for w in result.to_json()["answer_warnings"]] == list(by_rule)


def test_payroll_without_payroll_data_is_a_warning(bank: Bank) -> None:
    result = evaluate(bank, payroll(data_types=["employee_contact", "financial_records"]))
    assert "answers_contradict" in findings(result)
    assert not evaluate(bank, payroll()).findings or "answers_contradict" not in findings(
        evaluate(bank, payroll())
    )


def test_dates_after_the_review_date_are_warnings(bank: Bank) -> None:
    # The clean payroll file reviewed on 2026-02-15, with a SOC 2 signed "next month".
    result = evaluate(bank, payroll(soc2_report_date=dt.date(2026, 3, 20)), dt.date(2026, 2, 15))
    (warning,) = result.warnings
    assert warning.rule_id == "soc2_dates_in_future" and "soc2_report_date" in warning.questions
    assert "signed 2026-03-20" in warning.text
    future_start = evaluate(bank, payroll(soc1_period_start=dt.date(2026, 3, 1)), dt.date(2026, 2, 15))
    assert "dates_in_future" in {w.rule_id for w in future_start.warnings}
    assert not evaluate(bank, payroll(), dt.date(2026, 2, 15)).warnings


def test_payroll_data_with_no_payroll_process_is_a_warning(bank: Bank) -> None:
    result = evaluate(bank, payroll(financial_processes=["none"]))
    assert "payroll_data_without_process" in {w.rule_id for w in result.warnings}
    assert "answers_contradict" in findings(result)


def test_exceptions_counted_zero_is_a_warning(bank: Bank) -> None:
    answers = payroll(report_exceptions="some", exceptions_count=0, exception_areas=["cc_governance"])
    result = evaluate(bank, answers, dt.date(2026, 2, 15))
    (warning,) = [w for w in result.warnings if w.rule_id == "exceptions_some_counted_zero"]
    assert set(warning.questions) == {"report_exceptions", "exceptions_count"}


def test_a_soc2_without_security_is_a_warning(bank: Bank) -> None:
    result = evaluate(bank, payroll(soc2_criteria=["availability", "confidentiality"]), dt.date(2026, 2, 15))
    (warning,) = [w for w in result.warnings if w.rule_id == "soc2_without_security"]
    assert "Availability, Confidentiality" in warning.text and warning.questions == ("soc2_criteria",)


def test_an_iso_audit_after_its_expiry_is_a_warning(bank: Bank) -> None:
    answers = payroll(
        evidence_reports=["soc1", "soc2", "iso27001"],
        iso27001_expiry=dt.date(2025, 6, 30),
        iso27001_last_audit=dt.date(2025, 9, 1),
    )
    result = evaluate(bank, answers, dt.date(2026, 2, 15))
    assert "iso_audit_after_expiry" in {w.rule_id for w in result.warnings}


def test_outage_against_criticality_is_a_warning(bank: Bank) -> None:
    result = evaluate(bank, payroll(criticality="low", outage_impact="severe"))
    assert "outage_vs_criticality" in {w.rule_id for w in result.warnings}


def test_siblings_the_interview_cannot_contradict(bank: Bank) -> None:
    # A Type I has no period start (the question is not asked; an old answer is set
    # aside, never counted) and a SOC 3 alone is never asked about exceptions.
    type1 = evaluate(bank, payroll(soc1_type="type1"), dt.date(2026, 2, 15))
    assert "soc1_period_start" in type1.visibility.set_aside
    soc3 = evaluate(
        bank,
        payroll(evidence_reports=["soc3"], soc1_type=None, soc2_type=None, report_exceptions="some"),
        dt.date(2026, 2, 15),
    )
    assert "report_exceptions" not in soc3.visibility.shown
    assert "report_exceptions" in soc3.visibility.set_aside


def test_warnings_for_a_question_come_from_the_rules_conditions(bank: Bank) -> None:
    answers = payroll(soc2_period_start=dt.date(2025, 12, 31), soc2_period_end=dt.date(2025, 1, 1))
    result = evaluate(bank, answers, dt.date(2026, 2, 15))
    on_start = warnings_for(result, "soc2_period_start")
    assert [w.rule_id for w in on_start] == ["soc2_period_end_before_start"]
    assert warnings_for(result, "soc2_period_end") == on_start
    assert warnings_for(result, "soc1_period_start") == ()
    assert warnings_for(result, "no_such_question") == ()
    assert warned_questions(result) >= {"soc2_period_start", "soc2_period_end"}


# --- findings name the specifics ---------------------------------------------------------------


def finding_text(result: Result, finding: str) -> str:
    return next(f.reason.text for f in result.findings if f.id == finding)


def test_missing_criteria_are_named(bank: Bank) -> None:
    result = evaluate(bank, payroll(soc2_criteria=["security", "availability"]), dt.date(2026, 2, 15))
    text = finding_text(result, "criteria_missing")
    assert "Confidentiality is required" in text and "Privacy is required" in text
    assert "it covers: Security, Availability" in text


def test_the_missing_family_is_named(bank: Bank) -> None:
    soc1_only = evaluate(bank, payroll(evidence_reports=["soc1"]), dt.date(2026, 2, 15))
    assert finding_text(soc1_only, "wrong_family").startswith("SOC 2 missing")
    soc2_only = evaluate(bank, payroll(evidence_reports=["soc2"]), dt.date(2026, 2, 15))
    assert finding_text(soc2_only, "wrong_family").startswith("SOC 1 missing")


def test_staleness_is_counted_in_months_per_report(bank: Bank) -> None:
    answers = payroll(soc1_period_start=dt.date(2024, 1, 1), soc1_period_end=dt.date(2024, 10, 31))
    text = finding_text(evaluate(bank, answers, dt.date(2026, 1, 15)), "stale_report")
    assert "The SOC 1 period ended 14 months before this review" in text


def test_the_criteria_exceptions_hit_are_named(bank: Bank) -> None:
    answers = payroll(
        report_exceptions="some",
        exceptions_count=3,
        exception_areas=["cc6_access", "pi1_processing"],
        exceptions_remediated="some",
    )
    result = evaluate(bank, answers, dt.date(2026, 2, 15))
    noted = finding_text(result, "exceptions_noted")
    assert "3 tests" in noted and "CC6" in noted and "PI1" in noted
    assert "CC6" in finding_text(result, "exceptions_significant")


def test_a_type1_finding_names_its_report(bank: Bank) -> None:
    answers = payroll(soc2_type="type1", soc2_period_start=None, type2_commitment_given=True)
    text = finding_text(evaluate(bank, answers, dt.date(2026, 2, 15)), "type1_only")
    assert text.startswith("The SOC 2 is only a Type I") and "SOC 1" not in text


def test_an_unknown_period_end_names_its_report(bank: Bank) -> None:
    answers = payroll(soc1_period_end={"state": "unknown"})
    text = finding_text(evaluate(bank, answers, dt.date(2026, 2, 15)), "evidence_incomplete")
    assert "The SOC 1 report's period end is not known" in text and "SOC 2" not in text
