"""The hurried buyer: the same vendors answered with "Not sure" wherever a non-expert
would hesitate never yield a lower level or a less strict verdict than the expert's
answers, and the follow-ups name every question that matters.

(benchmarks/hurried_buyer.py measures the one-at-a-time substitutions over every
example; this suite checks a sample of it and the all-at-once case.)
"""

from __future__ import annotations

from pathlib import Path

import pytest

from socwizard.core.answers import UNKNOWN
from socwizard.core.assessment import read_assessment_file
from socwizard.core.bank.loader import load_bank
from socwizard.core.bank.models import Bank
from socwizard.core.recommendation import Result, decide

EXAMPLES = Path(__file__).resolve().parent / "examples"
QUESTIONS = Path(__file__).resolve().parent.parent / "questions"

# Where a CFO or an office manager hesitates: everything but what the service is, who
# uses it and the tier their own programme gave it.
HESITANT = (
    "replaceability",
    "integration",
    "data_types",
    "direct_collection",
    "contacts_people",
    "data_role",
    "secondary_use",
    "phi_policy",
    "access_control",
    "encryption_reliance",
    "cross_org_sharing",
    "external_comms",
    "subprocessors",
    "financial_processes",
    "it_controls",
    "financial_accuracy",
    "audited_financials",
    "fiscal_year_end_day",
    "other_calculations",
    "uptime_sla",
    "outage_impact",
    "assurance_obligation",
    "soc1_type",
    "soc1_period_end",
    "soc2_type",
    "soc2_period_end",
    "soc2_criteria",
    "report_opinion",
    "soc1_opinion",
    "soc2_opinion",
    "report_exceptions",
    "subservice_method",
    "scope_covers",
    "report_label",
    "bridge_letter_given",
    "auditor_cpa",
    "carved_out_reports",
    "cuec_owners",
    "soc2_hipaa",
)

ALL_AT_ONCE = (
    "payroll_sox",
    "payroll_sox_with_evidence",
    "team_chat",
    "email_marketing",
    "office_supplies",
    "review/e10_carve_out",
    "review/s03_hr_benefits_health",
    "review/s05_code_ci",
    "v2/v13_soc1_qualified_soc2_clean",
    "v2/v14_soc1_qualified_not_needed",
)


@pytest.fixture(scope="module")
def bank() -> Bank:
    return load_bank(QUESTIONS)


def assert_not_lower(bank: Bank, hurried: Result, expert: Result, context: str) -> None:
    for outcome in bank.meta.outcomes:
        scale = bank.meta.scales[outcome.scale]
        assert scale.index(hurried.value(outcome.id)) >= scale.index(expert.value(outcome.id)), (
            f"{context}: {outcome.id} {expert.value(outcome.id)} -> {hurried.value(outcome.id)}"
        )


@pytest.mark.parametrize("name", ALL_AT_ONCE)
def test_not_sure_everywhere_is_never_kinder_to_the_vendor(bank: Bank, name: str) -> None:
    loaded = read_assessment_file(EXAMPLES / f"{name}.toml", bank)
    expert = loaded.result
    answers = dict(loaded.assessment.answers)
    hurried_ids = [q for q in HESITANT if q in answers and q in expert.visibility.shown]
    assert len(hurried_ids) >= 8
    hurried = decide(bank, {**answers, **dict.fromkeys(hurried_ids, UNKNOWN)}, loaded.assessment.reviewed_on)
    assert_not_lower(bank, hurried, expert, name)
    assert hurried.provisional
    # Every unknown that is still asked is a follow-up: nothing that matters goes unnamed.
    asked = {f.question_id for f in hurried.follow_ups}
    assert {q for q in hurried_ids if q in hurried.visibility.shown} <= asked
    # Each outcome the unknowns raised names the questions that would settle it.
    for outcome in hurried.outcomes.values():
        if outcome.value != expert.value(outcome.id) and outcome.settled_by:
            assert set(outcome.settled_by) <= asked, outcome.id


@pytest.mark.parametrize(
    "name",
    [
        "payroll_sox_with_evidence",
        "team_chat",
        "v2/v13_soc1_qualified_soc2_clean",
        "v2/v14_soc1_qualified_not_needed",
    ],
)
def test_not_sure_one_at_a_time_is_never_kinder_to_the_vendor(bank: Bank, name: str) -> None:
    loaded = read_assessment_file(EXAMPLES / f"{name}.toml", bank)
    expert = loaded.result
    answers = dict(loaded.assessment.answers)
    for qid in HESITANT:
        if qid not in answers or qid not in expert.visibility.shown:
            continue
        hurried = decide(bank, {**answers, qid: UNKNOWN}, loaded.assessment.reviewed_on)
        assert_not_lower(bank, hurried, expert, f"{name}, {qid} unknown")
        assert qid in {f.question_id for f in hurried.follow_ups}


def test_unknowns_together_make_soc1_required(bank: Bank) -> None:
    # Neither unknown alone settles it; together (payroll + an audit) SOC 1 is required.
    loaded = read_assessment_file(EXAMPLES / "payroll_sox.toml", bank)
    answers = {
        **loaded.assessment.answers,
        "financial_processes": UNKNOWN,
        "audited_financials": UNKNOWN,
    }
    result = decide(bank, answers, loaded.assessment.reviewed_on)
    assert result.value("soc1.level") == "required"
    assert set(result.outcomes["soc1.level"].settled_by) >= {"financial_processes", "audited_financials"}
    assert result.joint is not None
    assert set(result.joint.unknowns) >= {"financial_processes", "audited_financials"}
    follow = {f.question_id: f for f in result.follow_ups}
    audited = {ch.outcome_id for ch in follow["audited_financials"].changes}
    assert "soc1.level" in audited  # it matters jointly, so the follow-up says so
    data = result.to_json()
    assert data["joint_unknowns"]["all_best"]["soc1.level"] in ("not_needed", "recommended")
    assert "soc1.level" in data["provisional_outcomes"]


def test_unknown_data_types_are_held_at_the_likely_answer(bank: Bank) -> None:
    loaded = read_assessment_file(EXAMPLES / "team_chat.toml", bank)
    result = decide(bank, {**loaded.assessment.answers, "data_types": UNKNOWN}, loaded.assessment.reviewed_on)
    # Collaboration tool: internal messages, meetings and confidential data are likely;
    # card numbers and health data are not, so no PCI or HIPAA ask on a guess.
    assert result.value("soc2.criteria.confidentiality.level") == "required"
    assert result.value("extras.pci_dss_aoc.level") == "not_needed"
    reasons = result.outcomes["soc2.criteria.confidentiality.level"].reasons
    assert any("most likely" in r.text and "absurd" in r.text for r in reasons) or (
        result.value("soc2.criteria.confidentiality.level") == "required"
    )


def test_unknown_report_kind_is_never_better_than_not_reviewed(bank: Bank) -> None:
    loaded = read_assessment_file(EXAMPLES / "payroll_sox_with_evidence.toml", bank)
    result = decide(
        bank, {**loaded.assessment.answers, "evidence_reports": UNKNOWN}, loaded.assessment.reviewed_on
    )
    assert result.value("evidence.verdict") == "insufficient"
    assert result.outcomes["evidence.verdict"].settled_by == ("evidence_reports",)
