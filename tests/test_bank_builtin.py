"""The built-in bank (questions/): it loads, reads like an interview, and recommends
what an auditor would for the public examples and a wider acceptance set."""

from __future__ import annotations

import datetime as dt
import functools
import tomllib
from pathlib import Path
from typing import Any

import pytest

from socwizard.core.assessment import evaluate_assessment, parse_assessment, read_assessment_file
from socwizard.core.bank.loader import load_bank
from socwizard.core.bank.models import Bank, MultiChoice, SingleChoice, Text
from socwizard.core.errors import BankError
from socwizard.core.recommendation import Result

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = ROOT / "questions"
EXAMPLES = Path(__file__).resolve().parent / "examples"
REVIEWED_ON = dt.date(2026, 1, 15)

REQUIREMENT = ["not_needed", "recommended", "required"]
CRITERION = ["not_needed", "optional", "recommended", "required"]
REPORT_TYPE = ["none", "type1", "type2"]

# The JSON contract of `socwizard show`: outcome id -> its scale, lowest first.
CONTRACT: dict[str, list[str]] = {
    "tier": ["low", "medium", "high"],
    "soc1.level": REQUIREMENT,
    "soc1.type": REPORT_TYPE,
    "soc2.level": REQUIREMENT,
    "soc2.type": REPORT_TYPE,
    "soc2.criteria.security.level": CRITERION,
    "soc2.criteria.availability.level": CRITERION,
    "soc2.criteria.processing_integrity.level": CRITERION,
    "soc2.criteria.confidentiality.level": CRITERION,
    "soc2.criteria.privacy.level": CRITERION,
    "extras.bridge_letter.level": REQUIREMENT,
    "extras.hipaa_or_hitrust.level": REQUIREMENT,
    "extras.pci_dss_aoc.level": REQUIREMENT,
    "extras.subservice_reports.level": REQUIREMENT,
    "extras.cuec_review.level": REQUIREMENT,
    "extras.scope_check.level": REQUIREMENT,
    "extras.type2_commitment.level": REQUIREMENT,
    "evidence.verdict": ["not_reviewed", "sufficient", "conditional", "insufficient"],
}
FINDINGS = {
    "wrong_family",
    "hosting_provider_report",
    "type1_only",
    "soc3_only",
    "stale_report",
    "bridge_gap",
    "opinion_modified",
    "criteria_missing",
    "scope_unconfirmed",
    "outdated_label",
    "no_nda_access",
}

NOTHING = {outcome: scale[0] for outcome, scale in CONTRACT.items()}


@functools.cache
def bank() -> Bank:
    return load_bank(QUESTIONS)


def example_answers(name: str) -> dict[str, Any]:
    data = tomllib.loads((EXAMPLES / f"{name}.toml").read_text(encoding="utf-8"))
    answers = data["answers"]
    assert isinstance(answers, dict)
    return answers


def assert_every_outcome_explained(result: Result) -> None:
    """Every outcome, whatever its level (the lowest too), carries at least one reason."""
    for outcome in result.outcomes.values():
        assert outcome.reasons, f"{outcome.id} = {outcome.value} has no reason"
        assert all(r.text.strip() and "{policy:" not in r.text for r in outcome.reasons), outcome.id
    assert result.next_review is None or result.next_review_reason


# The expert's answers to the questions bank 2.0 added, for the cases written before it
# (a case that sets one of them, or makes it unknown, keeps its own answer).
V2_ANSWERS: dict[str, Any] = {
    "buyer_tier": "not_tiered",
    "it_controls": ["none"],
    "data_role": "instructions_only",
    "secondary_use": "no",
}


def evaluate(answers: dict[str, Any], reviewed_on: dt.date = REVIEWED_ON) -> Result:
    """The result of a complete assessment; every acceptance case checks the reasons too."""
    answers = {**{k: v for k, v in V2_ANSWERS.items() if k not in answers}, **answers}
    data = {"reviewed_on": reviewed_on, "status": "complete", "answers": answers}
    result = evaluate_assessment(parse_assessment(data, "test"), bank(), "test").result
    assert_every_outcome_explained(result)
    return result


def outcomes(result: Result) -> dict[str, str]:
    return {outcome: result.value(outcome) for outcome in CONTRACT}


def findings(result: Result) -> list[str]:
    return sorted(f.id for f in result.findings)


def expect(**values: str) -> dict[str, str]:
    """The full expected recommendation: NOTHING, with dotted ids passed as a__b."""
    expected = dict(NOTHING)
    for key, value in values.items():
        outcome = key.replace("__", ".")
        assert outcome in expected, outcome
        expected[outcome] = value
    return expected


def with_changes(name: str, **changes: Any) -> dict[str, Any]:
    answers = example_answers(name)
    for key, value in changes.items():
        if value is None:
            answers.pop(key, None)
        else:
            answers[key] = value
    return answers


UNKNOWN = {"state": "unknown"}

# --- the bank itself -------------------------------------------------------------------


def test_bank_loads_with_its_contract() -> None:
    b = bank()
    assert b.id == "socwizard-vendor-soc"
    assert b.version == "2.0.0"
    assert [s.id for s in b.meta.sections] == [
        "vendor",
        "data",
        "partners",
        "financial",
        "operations",
        "evidence",
    ]
    assert b.section("evidence") is not None and b.section("evidence").optional  # type: ignore[union-attr]
    assert b.meta.findings_path == "evidence.findings"
    for outcome_id, scale in CONTRACT.items():
        outcome = b.outcome(outcome_id)
        assert outcome is not None, outcome_id
        assert b.meta.scales[outcome.scale] == scale, outcome_id
    assert {o.id for o in b.meta.outcomes} == set(CONTRACT)
    assert [o.id for o in b.meta.outcomes if o.headline] == ["tier", "soc1.level", "soc2.level"]
    assert {f.id for f in b.meta.findings} >= FINDINGS
    assert b.meta.next_review


def test_every_question_reads_like_an_interview() -> None:
    for q in bank().questions:
        assert q.help.strip(), f"{q.id} has no help"
        assert "\n" not in q.help.strip(), f"{q.id}: help should be one line"
        assert q.why.strip(), f"{q.id} has no 'why we ask'"
        assert q.follow_up_text.strip(), f"{q.id} has no follow-up text"
        if isinstance(q, SingleChoice | MultiChoice):
            assert len({c.label for c in q.choices}) == len(q.choices), q.id


def test_the_required_questions_exist() -> None:
    b = bank()
    data_types = b.question("data_types")
    assert isinstance(data_types, MultiChoice)
    values = {c.value for c in data_types.choices}
    assert {
        "internal_messages",
        "meetings",
        "confidential",
        "consumer_personal",
        "employee_contact",
        "employee_sensitive",
        "health",
        "cardholder",
        "financial_records",
        "credentials_code",
        "none",
    } <= values
    assert [c.value for c in data_types.choices if c.exclusive] == ["none"]
    processes = b.question("financial_processes")
    assert isinstance(processes, MultiChoice)
    assert {
        "payroll",
        "billing",
        "payments",
        "revenue",
        "journal_entries",
        "expenses",
        "claims",
        "hosts_financial_systems",
        "financial_reports",
        "none",
    } <= {c.value for c in processes.choices}
    assert b.question("fiscal_year_end") is None  # retired in 2.0.0: asked as month and day
    month = b.question("fiscal_year_end_month")
    assert isinstance(month, SingleChoice) and len(month.choices) == 12
    assert b.question("fiscal_year_end_day") is not None
    sla = b.question("uptime_sla")
    assert sla is not None and sla.type == "number" and sla.allow_not_applicable
    assert isinstance(b.question("products_used"), Text)
    for qid in (
        "evidence_reports",
        "soc1_type",
        "soc2_type",
        "soc1_period_end",
        "soc2_period_end",
        "soc2_criteria",
        "report_opinion",
        "report_exceptions",
        "subservice_method",
        "scope_covers",
        "report_label",
        "bridge_letter_given",
        "nda_refusal",
        "direct_collection",
        "external_guests",
        "cross_org_sharing",
        "external_comms",
        "subprocessors",
        "audited_financials",
        "criticality",
        "outage_impact",
        "replaceability",
        "usage_breadth",
    ):
        assert b.question(qid) is not None, qid
    evidence = [q for q in b.questions if q.section == "evidence"]
    assert all(q.when is not None for q in evidence if q.id != "evidence_reports")


def test_soc2_certified_is_corrected_gently() -> None:
    text = " ".join(q.help for q in bank().questions)
    assert "attestation, not a certification" in text


def test_policy_values_are_not_constants() -> None:
    policy = bank().meta.policy
    assert policy["freshness_months"] == 12
    assert policy["type1_acceptable_tiers"] == ["low"]
    for name in (
        "tier_high_score",
        "tier_medium_score",
        "review_months_high",
        "review_months_medium",
        "review_months_low",
        "bridge_gap_months",
    ):
        assert name in policy
    raw = (QUESTIONS / "rules.toml").read_text(encoding="utf-8")
    assert "plus_months = 12" not in raw


def test_an_organisation_policy_file_overrides_conventions(tmp_path: Path) -> None:
    policy = tmp_path / "policy.toml"
    policy.write_text(
        '[policy]\nfreshness_months = 18\ntype1_acceptable_tiers = ["low", "medium"]\n'
        "[weights]\ndata_types = 5\n",
        encoding="utf-8",
    )
    custom = load_bank(QUESTIONS, policy)
    assert custom.meta.policy["freshness_months"] == 18
    assert custom.question("data_types").weight == 5  # type: ignore[union-attr]
    # A report whose period ended 14 months ago is stale by default, current with 18 months.
    answers = with_changes(
        "team_chat",
        evidence_reports=["soc2"],
        nda_refusal=None,
        soc2_type="type2",
        soc2_period_start=dt.date(2024, 5, 1),
        soc2_period_end=dt.date(2024, 10, 31),
        report_exceptions="none",
        subservice_method="inclusive",
        report_label="ssae18",
        bridge_letter_given=True,
        soc2_criteria=["security", "availability", "confidentiality"],
    )
    assert "stale_report" in findings(evaluate(answers))
    data = {"reviewed_on": REVIEWED_ON, "status": "complete", "answers": answers}
    fresh = evaluate_assessment(parse_assessment(data, "t"), custom, "t").result
    assert "stale_report" not in findings(fresh)


def test_a_policy_file_of_the_wrong_type_is_refused(tmp_path: Path) -> None:
    policy = tmp_path / "policy.toml"
    policy.write_text('[policy]\nfreshness_months = "twelve"\n', encoding="utf-8")
    with pytest.raises(BankError):
        load_bank(QUESTIONS, policy)


# --- the four public examples, complete ------------------------------------------------


def read_example(name: str) -> Result:
    loaded = read_assessment_file(EXAMPLES / f"{name}.toml", bank())
    assert not loaded.warnings
    result = loaded.result
    assert loaded.assessment.status == "complete"
    assert not result.provisional, f"{name}: unanswered {result.visibility.unanswered}"
    assert not result.follow_ups
    # every visible question is answered; the optional evidence section may be skipped whole
    answered = set(loaded.assessment.answers)
    assert set(result.visibility.expected) <= answered
    if "evidence_reports" in answered:
        assert set(result.visibility.shown) <= answered
    assert_every_outcome_explained(result)
    return result


def test_example_payroll_processor_sox_buyer() -> None:
    result = read_example("payroll_sox")
    assert outcomes(result) == expect(
        tier="high",
        soc1__level="required",
        soc1__type="type2",
        soc2__level="required",
        soc2__type="type2",
        soc2__criteria__security__level="required",
        soc2__criteria__availability__level="required",
        soc2__criteria__processing_integrity__level="required",
        soc2__criteria__confidentiality__level="required",
        soc2__criteria__privacy__level="required",
        extras__bridge_letter__level="recommended",
        extras__subservice_reports__level="recommended",
        extras__cuec_review__level="required",
        extras__scope_check__level="recommended",
    )
    assert findings(result) == []
    assert result.next_review == dt.date(2027, 1, 15)
    assert result.headline() == "Risk tier: High · SOC 1: Required (Type II) · SOC 2: Required (Type II)"


def test_example_payroll_bridge_letter_when_period_ends_before_year_end() -> None:
    result = read_example("payroll_sox_with_evidence")
    assert outcomes(result) == expect(
        tier="high",
        soc1__level="required",
        soc1__type="type2",
        soc2__level="required",
        soc2__type="type2",
        soc2__criteria__security__level="required",
        soc2__criteria__availability__level="required",
        soc2__criteria__processing_integrity__level="required",
        soc2__criteria__confidentiality__level="required",
        soc2__criteria__privacy__level="required",
        extras__bridge_letter__level="required",
        extras__subservice_reports__level="required",
        extras__cuec_review__level="required",
        extras__scope_check__level="recommended",
        evidence__verdict="conditional",
    )
    assert findings(result) == ["bridge_gap"]
    assert result.next_review == dt.date(2026, 4, 15)
    # With the bridge letter in hand, the evidence is sufficient.
    answers = with_changes("payroll_sox_with_evidence", bridge_letter_given=True)
    fixed = evaluate(answers)
    assert fixed.value("evidence.verdict") == "sufficient"
    assert findings(fixed) == []
    assert fixed.value("extras.bridge_letter.level") == "required"


def test_example_team_chat() -> None:
    result = read_example("team_chat")
    assert outcomes(result) == expect(
        tier="high",
        soc2__level="required",
        soc2__type="type2",
        soc2__criteria__security__level="required",
        soc2__criteria__availability__level="recommended",
        soc2__criteria__confidentiality__level="required",
        soc2__criteria__privacy__level="optional",
        extras__subservice_reports__level="recommended",
        extras__cuec_review__level="recommended",
        extras__scope_check__level="recommended",
        evidence__verdict="insufficient",
    )
    # the vendor sent only its SOC 3: a first screen, not enough for this tier
    assert findings(result) == ["soc3_only"]
    assert result.next_review == dt.date(2026, 4, 15)


def test_example_team_chat_business_critical_needs_availability() -> None:
    result = evaluate(with_changes("team_chat", criticality="critical"))
    assert result.value("soc2.criteria.availability.level") == "required"
    assert result.value("soc1.level") == "not_needed"
    assert result.value("soc2.criteria.privacy.level") == "optional"


def test_example_email_marketing() -> None:
    result = read_example("email_marketing")
    assert outcomes(result) == expect(
        tier="high",
        soc2__level="required",
        soc2__type="type2",
        soc2__criteria__security__level="required",
        soc2__criteria__availability__level="recommended",
        soc2__criteria__confidentiality__level="recommended",
        soc2__criteria__privacy__level="required",
        extras__subservice_reports__level="recommended",
        extras__cuec_review__level="recommended",
        extras__scope_check__level="recommended",
    )
    assert findings(result) == []


def test_example_office_supplies() -> None:
    result = read_example("office_supplies")
    assert outcomes(result) == NOTHING
    assert findings(result) == []
    assert result.next_review == dt.date(2029, 1, 15)


def test_reasons_are_given_for_every_raised_outcome() -> None:
    result = read_example("payroll_sox")
    for outcome in result.outcomes.values():
        if outcome.value != CONTRACT[outcome.id][0]:
            assert outcome.reasons, outcome.id
            assert all(r.text for r in outcome.reasons)
    soc1 = result.outcomes["soc1.level"].reasons[0]
    assert {a.question_id for a in soc1.answers} == {"financial_processes", "audited_financials"}
    data = result.to_json()["recommendation"]
    assert data["soc1"]["level"] == "required"
    assert data["soc2"]["criteria"]["privacy"]["level"] == "required"
    assert data["evidence"]["verdict"] == "not_reviewed"
    assert data["evidence"]["findings"] == []


@pytest.mark.parametrize("name", sorted(p.stem for p in EXAMPLES.glob("*.toml")))
def test_every_outcome_of_every_example_has_a_reason(name: str) -> None:
    assert_every_outcome_explained(read_example(name))


def reason_ids(result: Result, outcome: str) -> list[str]:
    return [r.rule_id for r in result.outcomes[outcome].reasons]


def test_not_needed_is_explained_by_the_answers_behind_it() -> None:
    chat = read_example("team_chat")
    soc1 = chat.outcomes["soc1.level"].reasons
    assert [r.rule_id for r in soc1] == ["soc1_not_needed"]
    assert "a SOC 1 is not needed, whatever the vendor's category" in soc1[0].text
    assert [a.question_id for a in soc1[0].answers] == ["financial_processes", "it_controls"]
    assert reason_ids(chat, "soc1.type") == ["soc1_type_none"]
    assert reason_ids(chat, "soc2.criteria.processing_integrity.level") == ["processing_integrity_not_needed"]
    assert reason_ids(chat, "extras.hipaa_or_hitrust.level") == ["hipaa_not_needed"]
    assert reason_ids(chat, "extras.pci_dss_aoc.level") == ["pci_not_needed"]
    assert reason_ids(chat, "extras.bridge_letter.level") == ["bridge_not_needed_no_soc1"]
    assert reason_ids(chat, "extras.type2_commitment.level") == ["type2_commitment_not_needed"]
    # Availability is explained by availability's own rule, not by the Security one.
    email = read_example("email_marketing")
    assert reason_ids(email, "soc2.criteria.availability.level") == ["availability_recommended"]
    payroll = read_example("payroll_sox")
    assert reason_ids(payroll, "evidence.verdict") == ["evidence_not_reviewed"]
    assert "not been reviewed yet" in payroll.outcomes["evidence.verdict"].reasons[0].text
    assert reason_ids(payroll, "extras.type2_commitment.level") == ["type2_commitment_no_evidence"]

    office = read_example("office_supplies")
    assert reason_ids(office, "tier") == ["tier_low"]
    assert {a.question_id for a in office.outcomes["tier"].reasons[0].answers} == {
        "buyer_tier",
        "data_types",
        "financial_processes",
        "it_controls",
        "integration",
        "criticality",
        "outage_impact",
    }
    assert reason_ids(office, "soc2.level") == ["soc2_not_needed"]
    assert reason_ids(office, "soc2.type") == ["soc2_type_none"]
    for criterion in ("security", "availability", "processing_integrity", "confidentiality", "privacy"):
        assert reason_ids(office, f"soc2.criteria.{criterion}.level") == ["criteria_not_needed"]
    assert reason_ids(office, "extras.cuec_review.level") == ["cuec_not_needed"]
    assert reason_ids(office, "extras.scope_check.level") == ["scope_check_not_needed"]
    assert reason_ids(office, "extras.subservice_reports.level") == ["subservice_not_needed_no_soc"]


def test_a_raised_level_drops_the_not_needed_explanation() -> None:
    result = evaluate(with_changes("team_chat", data_types=["internal_messages", "health"], phi_policy=False))
    assert result.value("extras.hipaa_or_hitrust.level") == "recommended"
    assert reason_ids(result, "extras.hipaa_or_hitrust.level") == ["hipaa_recommended"]


def test_unknown_data_explains_what_is_not_asked_for_yet() -> None:
    result = evaluate(
        with_changes(
            "office_supplies",
            data_types=UNKNOWN,
            direct_collection=False,
            contacts_people=False,
            access_control=False,
            encryption_reliance=False,
        )
    )
    assert result.value("extras.hipaa_or_hitrust.level") == "not_needed"
    assert reason_ids(result, "extras.hipaa_or_hitrust.level") == ["hipaa_not_known"]
    assert reason_ids(result, "extras.pci_dss_aoc.level") == ["pci_not_known"]


def test_lowest_level_explanations_come_after_every_rule_that_raises_their_outcome() -> None:
    """Setting the lowest level never changes a value; placed last, it explains the final one."""
    b = bank()
    lowest = {o.id: b.meta.scales[o.scale][0] for o in b.meta.outcomes}
    explaining = [
        (n, target)
        for n, rule in enumerate(b.meta.rules)
        for target, value in rule.set.items()
        if value == lowest[target]
    ]
    assert {target for _, target in explaining} == set(CONTRACT)
    for n, target in explaining:
        raisers = [
            m for m, rule in enumerate(b.meta.rules) if rule.set.get(target, lowest[target]) != lowest[target]
        ]
        assert all(m < n for m in raisers), f"rules[{n}] explains {target} before a rule that raises it"


def test_reasons_quote_the_organisations_policy(tmp_path: Path) -> None:
    raw = "\n".join((QUESTIONS / name).read_text(encoding="utf-8") for name in ("rules.toml", "bank.toml"))
    assert "by convention" not in raw
    assert "{policy:freshness_months}" in raw
    policy = tmp_path / "policy.toml"
    policy.write_text("[policy]\nfreshness_months = 9\nreview_months_high = 6\n", encoding="utf-8")
    custom = load_bank(QUESTIONS, policy)
    answers = chat_with(soc2_period_start=dt.date(2024, 9, 1), soc2_period_end=dt.date(2025, 3, 31))
    default = evaluate(answers)
    assert "stale_report" not in findings(default)
    data = {"reviewed_on": REVIEWED_ON, "status": "complete", "answers": answers}
    result = evaluate_assessment(parse_assessment(data, "t"), custom, "t").result
    stale = next(f for f in result.findings if f.id == "stale_report")
    assert "more than your freshness window of 9 months" in stale.reason.text
    # Already stale: the follow-up interval decides, not the review date itself.
    assert result.next_review == dt.date(2026, 4, 15)
    high = load_bank(QUESTIONS, policy).meta.next_review[0]
    assert high.reason == "Regular review interval for a high-tier vendor: 6 months."
    soc2 = custom.question("soc2_period_end")
    assert soc2 is not None and "current for 9 months" in soc2.why


# --- acceptance set: what the service does decides the report ---------------------------

CRM_PIPELINE: dict[str, Any] = {
    "service_kind": "crm_sales",
    "products_used": "Sales Cloud",
    "usage_breadth": "several_teams",
    "replaceability": "moderate",
    "integration": "sso",
    "data_types": ["contacts_personal", "confidential"],
    "direct_collection": False,
    "contacts_people": False,
    "access_control": True,
    "encryption_reliance": True,
    "external_guests": False,
    "cross_org_sharing": False,
    "external_comms": False,
    "subprocessors": "yes",
    "financial_processes": ["none"],
    "other_calculations": False,
    "criticality": "important",
    "uptime_sla": 99.9,
    "outage_impact": "significant",
    "assurance_obligation": False,
}


def test_crm_for_pipeline_only_needs_no_soc1() -> None:
    result = evaluate(dict(CRM_PIPELINE))
    assert result.value("soc1.level") == "not_needed"
    assert result.value("soc1.type") == "none"
    assert result.value("soc2.level") == "required"
    assert result.value("soc2.criteria.confidentiality.level") == "required"
    assert result.value("soc2.criteria.processing_integrity.level") == "not_needed"
    assert result.value("extras.cuec_review.level") == "recommended"


def test_the_same_crm_raising_invoices_needs_soc1_type2() -> None:
    answers = dict(
        CRM_PIPELINE,
        financial_processes=["billing"],
        financial_accuracy="relied",
        audited_financials="audited",
        fiscal_year_end=dt.date(2026, 12, 31),
    )
    result = evaluate(answers)
    assert result.value("soc1.level") == "required"
    assert result.value("soc1.type") == "type2"
    assert result.value("tier") == "high"
    assert result.value("soc2.criteria.processing_integrity.level") == "required"
    assert result.value("extras.cuec_review.level") == "required"
    assert result.value("extras.bridge_letter.level") == "recommended"


def test_financial_impact_without_audit_reliance_recommends_soc1() -> None:
    answers = dict(
        CRM_PIPELINE,
        financial_processes=["billing"],
        financial_accuracy="reviewed",
        audited_financials="not_audited",
        fiscal_year_end=dt.date(2026, 12, 31),
    )
    result = evaluate(answers)
    assert result.value("soc1.level") == "recommended"
    assert result.value("soc1.type") == "type2"  # medium/high tier: Type II
    assert result.value("soc2.criteria.processing_integrity.level") == "recommended"
    assert result.value("extras.cuec_review.level") == "recommended"
    assert result.value("extras.bridge_letter.level") == "not_needed"


def test_cloud_host_for_the_product() -> None:
    answers: dict[str, Any] = {
        "service_kind": "infrastructure",
        "products_used": "Compute, object storage, managed database; eu-west-1",
        "usage_breadth": "customer_facing",
        "replaceability": "hard",
        "integration": "admin_access",
        "data_types": ["confidential", "consumer_personal", "credentials_code"],
        "direct_collection": False,
        "contacts_people": False,
        "access_control": False,
        "encryption_reliance": True,
        "external_guests": False,
        "cross_org_sharing": False,
        "external_comms": False,
        "subprocessors": "no",
        "financial_processes": ["none"],
        "other_calculations": False,
        "criticality": "critical",
        "uptime_sla": 99.99,
        "outage_impact": "severe",
        "assurance_obligation": True,
    }
    result = evaluate(answers)
    assert outcomes(result) == expect(
        tier="high",
        soc2__level="required",
        soc2__type="type2",
        soc2__criteria__security__level="required",
        soc2__criteria__availability__level="required",
        soc2__criteria__confidentiality__level="required",
        soc2__criteria__privacy__level="recommended",
        extras__cuec_review__level="recommended",
        extras__scope_check__level="recommended",
    )
    # The same host running the ERP of an audited company also needs a SOC 1.
    erp = dict(
        answers,
        financial_processes=["hosts_financial_systems"],
        financial_accuracy="relied",
        audited_financials="audited",
        fiscal_year_end=dt.date(2026, 6, 30),
    )
    hosted = evaluate(erp)
    assert hosted.value("soc1.level") == "required"
    assert hosted.value("soc2.criteria.processing_integrity.level") == "recommended"


def test_health_and_card_data_call_for_their_own_programmes() -> None:
    answers = with_changes(
        "email_marketing", data_types=["consumer_personal", "health", "cardholder"], phi_policy=False
    )
    result = evaluate(answers)
    assert result.value("extras.hipaa_or_hitrust.level") == "recommended"
    assert result.value("extras.pci_dss_aoc.level") == "required"
    assert result.value("soc2.criteria.confidentiality.level") == "required"
    assert result.value("soc2.criteria.privacy.level") == "required"
    covered = evaluate(dict(answers, phi_policy=True))
    assert covered.value("extras.hipaa_or_hitrust.level") == "required"


def test_direct_collection_makes_privacy_required() -> None:
    answers = with_changes("team_chat", direct_collection=True)
    assert evaluate(answers).value("soc2.criteria.privacy.level") == "required"


def test_buyer_supplied_consumer_data_only_stored_makes_privacy_recommended() -> None:
    answers = with_changes("email_marketing", contacts_people=False)
    assert evaluate(answers).value("soc2.criteria.privacy.level") == "recommended"


def test_low_tier_vendor_with_a_light_integration() -> None:
    answers = with_changes("office_supplies", integration="data_sync")
    result = evaluate(answers)
    assert result.value("tier") == "medium"
    assert result.value("soc2.level") == "recommended"
    assert result.value("soc2.type") == "type2"
    assert result.value("soc2.criteria.security.level") == "required"
    assert result.value("soc1.level") == "not_needed"


# --- unknowns: never silently lower ------------------------------------------------------


def test_unknown_financial_impact_is_held_where_the_strictest_answer_puts_it() -> None:
    # Bank 2.0: before, an unknown kept SOC 1 at "recommended" although the buyer is
    # SOX-listed and payroll would make it required. Never in the vendor's favour now.
    answers = with_changes(
        "team_chat",
        financial_processes=UNKNOWN,
        financial_accuracy="relied",
        audited_financials="sox",
        fiscal_year_end_month="december",
        fiscal_year_end_day=31,
    )
    result = evaluate(answers)
    assert result.value("soc1.level") == "required"
    assert result.provisional is True
    assert result.outcomes["soc1.level"].settled_by == ("financial_processes",)
    follow = {f.question_id: f for f in result.follow_ups}
    assert "financial_processes" in follow
    changes = {c.outcome_id: c.possible for c in follow["financial_processes"].changes}
    assert "not_needed" in changes["soc1.level"]
    reasons = result.outcomes["soc1.level"].reasons
    assert reasons[0].rule_id == "unknown:financial_processes"
    assert "Answer" in reasons[0].text and "provisionally" in reasons[0].text


def test_unknown_audit_status_is_held_at_required_for_payroll() -> None:
    answers = with_changes("payroll_sox", audited_financials=UNKNOWN)
    result = evaluate(answers)
    assert result.value("soc1.level") == "required"
    assert result.value("soc1.type") == "type2"
    assert result.outcomes["soc1.level"].settled_by == ("audited_financials",)


def test_unknown_data_types_keep_soc2_and_tier_up() -> None:
    answers = with_changes(
        "office_supplies",
        data_types=UNKNOWN,
        direct_collection=False,
        contacts_people=False,
        access_control=False,
        encryption_reliance=False,
    )
    result = evaluate(answers)
    assert result.value("soc2.level") == "recommended"
    assert result.value("tier") == "medium"
    assert result.value("soc2.criteria.privacy.level") == "recommended"
    assert [f.question_id for f in result.follow_ups] == ["data_types"]
    assert result.follow_ups[0].ask.startswith("Ask the vendor")


def test_unanswered_questions_make_the_result_provisional() -> None:
    answers = example_answers("office_supplies")
    del answers["criticality"]
    result = evaluate(answers)
    assert result.provisional
    assert result.value("tier") == "high"  # "business-critical" is a plausible answer
    assert "criticality" in {f.question_id for f in result.follow_ups}


# --- acceptance set: reviewing the evidence ---------------------------------------------

GOOD_SOC2: dict[str, Any] = {
    "evidence_reports": ["soc2"],
    "soc2_type": "type2",
    "soc2_period_start": dt.date(2025, 1, 1),
    "soc2_period_end": dt.date(2025, 12, 31),
    "soc2_criteria": ["security", "availability", "confidentiality"],
    "report_opinion": "unmodified",
    "report_exceptions": "none",
    "subservice_method": "inclusive",
    "scope_covers": "yes",
    "report_label": "ssae18",
    "bridge_letter_given": False,
    "auditor_cpa": True,
}


def chat_with(**evidence: Any) -> dict[str, Any]:
    evidence_ids = {q.id for q in bank().questions if q.section == "evidence"}
    answers = {k: v for k, v in example_answers("team_chat").items() if k not in evidence_ids}
    answers.update(GOOD_SOC2)
    for key, value in evidence.items():
        if value is None:
            answers.pop(key, None)
        else:
            answers[key] = value
    return answers


def test_a_good_soc2_is_sufficient() -> None:
    result = evaluate(chat_with())
    assert result.value("evidence.verdict") == "sufficient"
    assert findings(result) == []
    assert result.value("extras.bridge_letter.level") == "not_needed"
    assert result.value("extras.scope_check.level") == "recommended"
    # next review: the earlier of the tier interval and the report going stale
    assert result.next_review == dt.date(2026, 12, 31)


def test_stale_report() -> None:
    result = evaluate(chat_with(soc2_period_start=dt.date(2024, 1, 1), soc2_period_end=dt.date(2024, 11, 30)))
    assert result.value("evidence.verdict") == "insufficient"
    assert "stale_report" in findings(result)
    # A bridge letter cannot cover a stale report: ask for the current one instead.
    assert result.value("extras.bridge_letter.level") == "not_needed"
    # Already stale: the follow-up interval decides (before: the review date itself).
    assert result.next_review == dt.date(2026, 4, 15)
    stale = next(f for f in result.findings if f.id == "stale_report")
    assert "ended 13 months before this review" in stale.reason.text


def test_report_exactly_at_the_freshness_limit_is_not_stale() -> None:
    result = evaluate(chat_with(soc2_period_start=dt.date(2024, 7, 15), soc2_period_end=dt.date(2025, 1, 15)))
    assert "stale_report" not in findings(result)


def test_type1_only_for_a_high_tier_vendor() -> None:
    answers = chat_with(
        soc2_type="type1", soc2_period_start=None, report_exceptions=None, type2_commitment_given=False
    )
    result = evaluate(answers)
    assert result.value("evidence.verdict") == "insufficient"
    assert findings(result) == ["type1_only"]
    # At the high tier a Type I is not accepted even as interim evidence, so a dated
    # commitment is only recommended (knowing when the Type II comes), never required.
    assert result.value("extras.type2_commitment.level") == "recommended"
    # Bank 2.0: at the high tier a dated commitment does not make a Type I enough
    # (policy type1_interim_tiers = low, medium).
    committed = evaluate(dict(answers, type2_commitment_given=True))
    assert committed.value("evidence.verdict") == "insufficient"
    assert findings(committed) == ["type1_only"]
    assert committed.outcomes["extras.type2_commitment.level"].satisfied


def test_type1_is_acceptable_for_a_low_tier_vendor() -> None:
    answers = with_changes("office_supplies", criticality="important", outage_impact="minor")
    answers.update(GOOD_SOC2, soc2_type="type1", type2_commitment_given=False)
    del answers["soc2_period_start"]
    del answers["report_exceptions"]
    result = evaluate(answers)
    assert result.value("tier") == "medium"  # an important service is not low tier
    low = with_changes("office_supplies")
    low.update(GOOD_SOC2, soc2_type="type1", type2_commitment_given=False)
    del low["soc2_period_start"]
    del low["report_exceptions"]
    low_result = evaluate(low)
    assert low_result.value("tier") == "low"
    assert "type1_only" not in findings(low_result)
    assert low_result.value("evidence.verdict") == "sufficient"
    assert low_result.value("extras.type2_commitment.level") == "recommended"


def test_hosting_provider_report_instead_of_the_vendors_own() -> None:
    answers = chat_with(evidence_reports=["hosting_provider"], nda_refusal=False)
    for key in GOOD_SOC2:
        if key not in ("evidence_reports",):
            answers.pop(key, None)
    result = evaluate(answers)
    assert result.value("evidence.verdict") == "insufficient"
    assert findings(result) == ["hosting_provider_report"]
    assert result.value("extras.subservice_reports.level") == "recommended"


def test_qualified_opinion_is_conditional_at_best() -> None:
    result = evaluate(chat_with(report_opinion="qualified"))
    assert result.value("evidence.verdict") == "conditional"
    assert findings(result) == ["opinion_modified"]
    adverse = evaluate(chat_with(report_opinion="adverse"))
    assert adverse.value("evidence.verdict") == "insufficient"
    assert findings(adverse) == ["opinion_modified"]


def test_sas70_label() -> None:
    result = evaluate(chat_with(report_label="sas70"))
    assert result.value("evidence.verdict") == "insufficient"
    assert findings(result) == ["outdated_label"]
    ssae16 = evaluate(chat_with(report_label="ssae16"))
    assert ssae16.value("evidence.verdict") == "conditional"
    assert findings(ssae16) == ["outdated_label"]


def test_criteria_missing() -> None:
    result = evaluate(chat_with(soc2_criteria=["security", "availability"]))
    assert result.value("evidence.verdict") == "conditional"
    assert findings(result) == ["criteria_missing"]
    # a recommended criterion (Availability here) missing is not a gap
    ok = evaluate(chat_with(soc2_criteria=["security", "confidentiality"]))
    assert findings(ok) == []


def test_bridge_gap_on_a_soc1() -> None:
    answers = with_changes("payroll_sox_with_evidence", bridge_letter_given=False)
    result = evaluate(answers)
    assert "bridge_gap" in findings(result)
    assert result.value("extras.bridge_letter.level") == "required"
    # a period reaching the year-end needs no bridge letter for the SOC 1
    reaching = evaluate(
        dict(
            answers,
            soc1_period_start=dt.date(2025, 1, 1),
            soc1_period_end=dt.date(2025, 12, 31),
            soc2_period_start=dt.date(2025, 1, 1),
            soc2_period_end=dt.date(2025, 12, 31),
        )
    )
    assert "bridge_gap" not in findings(reaching)
    assert reaching.value("extras.bridge_letter.level") == "not_needed"
    assert reaching.value("evidence.verdict") == "sufficient"


def test_wrong_family_soc2_sent_where_soc1_is_required() -> None:
    answers = with_changes(
        "payroll_sox_with_evidence",
        evidence_reports=["soc2"],
        soc1_type=None,
        soc1_period_start=None,
        soc1_period_end=None,
    )
    result = evaluate(answers)
    assert result.value("evidence.verdict") == "insufficient"
    assert findings(result) == ["wrong_family"]


def test_wrong_family_soc1_sent_where_soc2_is_required() -> None:
    answers = with_changes(
        "payroll_sox_with_evidence",
        evidence_reports=["soc1"],
        soc2_type=None,
        soc2_period_start=None,
        soc2_period_end=None,
        soc2_criteria=None,
        nda_refusal=False,
        bridge_letter_given=True,
    )
    result = evaluate(answers)
    assert result.value("evidence.verdict") == "insufficient"
    assert findings(result) == ["wrong_family"]


def test_refusal_to_share_under_nda() -> None:
    answers = chat_with(
        evidence_reports=["soc3"],
        nda_refusal=True,
        soc2_type=None,
        soc2_period_start=None,
        report_exceptions=None,
        subservice_method=None,
        report_label=None,
        bridge_letter_given=None,
    )
    result = evaluate(answers)
    assert result.value("evidence.verdict") == "insufficient"
    assert findings(result) == ["no_nda_access", "soc3_only"]


def test_scope_not_confirmed_and_out_of_scope() -> None:
    partly = evaluate(chat_with(scope_covers="partly"))
    assert partly.value("evidence.verdict") == "conditional"
    assert findings(partly) == ["scope_unconfirmed"]
    assert partly.value("extras.scope_check.level") == "required"
    outside = evaluate(chat_with(scope_covers="no"))
    assert outside.value("evidence.verdict") == "insufficient"
    assert findings(outside) == ["out_of_scope"]


def test_carve_out_calls_for_subservice_reports() -> None:
    result = evaluate(chat_with(subservice_method="carve_out"))
    assert result.value("extras.subservice_reports.level") == "required"
    assert result.value("evidence.verdict") == "sufficient"


def test_certificate_is_not_a_report() -> None:
    answers = chat_with(evidence_reports=["certificate"], nda_refusal=False)
    for key in GOOD_SOC2:
        if key != "evidence_reports":
            answers.pop(key, None)
    result = evaluate(answers)
    assert result.value("evidence.verdict") == "insufficient"
    assert findings(result) == ["certificate_not_report"]


def test_nothing_provided_yet() -> None:
    answers = chat_with(evidence_reports=["none"], nda_refusal=False)
    for key in GOOD_SOC2:
        if key != "evidence_reports":
            answers.pop(key, None)
    result = evaluate(answers)
    assert result.value("evidence.verdict") == "insufficient"
    assert findings(result) == ["no_report"]


def test_unknown_opinion_is_not_sufficient() -> None:
    result = evaluate(chat_with(report_opinion=UNKNOWN))
    # Held where the strictest plausible opinion (adverse) puts it, provisionally.
    assert result.value("evidence.verdict") == "insufficient"
    assert result.outcomes["evidence.verdict"].settled_by == ("report_opinion",)
    assert "evidence_incomplete" in findings(result)


def test_significant_exceptions_under_a_clean_opinion() -> None:
    # A 1.0.0 answer "significant" is migrated to "some"; until the criteria are
    # given, the exceptions count as hitting controls you rely on.
    result = evaluate(chat_with(report_exceptions="significant"))
    assert result.value("evidence.verdict") == "conditional"
    assert findings(result) == ["exceptions_noted", "exceptions_significant"]


def test_soc3_is_a_fine_first_screen_for_a_low_tier_vendor() -> None:
    answers = with_changes(
        "office_supplies",
        evidence_reports=["soc3"],
        nda_refusal=False,
        soc2_period_end=dt.date(2025, 9, 30),
        soc2_criteria=["security"],
        report_opinion="unmodified",
        scope_covers="yes",
        auditor_cpa=True,
    )
    result = evaluate(answers)
    assert result.value("evidence.verdict") == "sufficient"
    assert findings(result) == []


def test_the_evidence_section_is_optional() -> None:
    evidence = [q for q in bank().questions if q.section == "evidence"]
    result = read_example("payroll_sox")
    assert not set(result.visibility.expected) & {q.id for q in evidence}
