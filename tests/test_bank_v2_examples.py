"""Bank 2.0 example assessments (tests/examples/v2/): one per new evidence kind and
question, each asserting the full recommendation an auditor agreed with (the file's
header comment says why), plus what its reasons must name."""

from __future__ import annotations

from pathlib import Path

import pytest

from socwizard.core.answers import UNKNOWN, Answer
from socwizard.core.assessment import read_assessment_file
from socwizard.core.bank.loader import load_bank
from socwizard.core.bank.models import Bank
from socwizard.core.migrate import migrate_answers
from socwizard.core.recommendation import Result, decide

V2 = Path(__file__).resolve().parent / "examples" / "v2"
QUESTIONS = Path(__file__).resolve().parent.parent / "questions"

# name: (every outcome, findings, satisfied extras)
EXPECTED = {
    "v01_iso27001_eu_saas": (
        {
            "tier": "high",
            "soc1.level": "not_needed",
            "soc1.type": "none",
            "soc2.level": "required",
            "soc2.type": "type2",
            "soc2.criteria.security.level": "required",
            "soc2.criteria.availability.level": "recommended",
            "soc2.criteria.processing_integrity.level": "not_needed",
            "soc2.criteria.confidentiality.level": "required",
            "soc2.criteria.privacy.level": "optional",
            "extras.bridge_letter.level": "not_needed",
            "extras.hipaa_or_hitrust.level": "not_needed",
            "extras.pci_dss_aoc.level": "not_needed",
            "extras.subservice_reports.level": "recommended",
            "extras.cuec_review.level": "recommended",
            "extras.scope_check.level": "recommended",
            "extras.type2_commitment.level": "not_needed",
            "evidence.verdict": "conditional",
        },
        ["iso_not_soc2"],
        [],
    ),
    "v02_iso27001_gaps": (
        {
            "tier": "high",
            "soc1.level": "not_needed",
            "soc1.type": "none",
            "soc2.level": "required",
            "soc2.type": "type2",
            "soc2.criteria.security.level": "required",
            "soc2.criteria.availability.level": "recommended",
            "soc2.criteria.processing_integrity.level": "not_needed",
            "soc2.criteria.confidentiality.level": "required",
            "soc2.criteria.privacy.level": "optional",
            "extras.bridge_letter.level": "not_needed",
            "extras.hipaa_or_hitrust.level": "not_needed",
            "extras.pci_dss_aoc.level": "not_needed",
            "extras.subservice_reports.level": "recommended",
            "extras.cuec_review.level": "recommended",
            "extras.scope_check.level": "recommended",
            "extras.type2_commitment.level": "not_needed",
            "evidence.verdict": "conditional",
        },
        ["iso_gaps", "iso_not_soc2"],
        [],
    ),
    "v03_hitrust_benefits": (
        {
            "tier": "high",
            "soc1.level": "not_needed",
            "soc1.type": "none",
            "soc2.level": "required",
            "soc2.type": "type2",
            "soc2.criteria.security.level": "required",
            "soc2.criteria.availability.level": "recommended",
            "soc2.criteria.processing_integrity.level": "not_needed",
            "soc2.criteria.confidentiality.level": "required",
            "soc2.criteria.privacy.level": "required",
            "extras.bridge_letter.level": "not_needed",
            "extras.hipaa_or_hitrust.level": "required",
            "extras.pci_dss_aoc.level": "not_needed",
            "extras.subservice_reports.level": "required",
            "extras.cuec_review.level": "recommended",
            "extras.scope_check.level": "recommended",
            "extras.type2_commitment.level": "not_needed",
            "evidence.verdict": "sufficient",
        },
        [],
        [
            "extras.cuec_review.level",
            "extras.hipaa_or_hitrust.level",
            "extras.scope_check.level",
            "extras.subservice_reports.level",
        ],
    ),
    "v04_pci_payments": (
        {
            "tier": "high",
            "soc1.level": "required",
            "soc1.type": "type2",
            "soc2.level": "required",
            "soc2.type": "type2",
            "soc2.criteria.security.level": "required",
            "soc2.criteria.availability.level": "required",
            "soc2.criteria.processing_integrity.level": "recommended",
            "soc2.criteria.confidentiality.level": "required",
            "soc2.criteria.privacy.level": "required",
            "extras.bridge_letter.level": "not_needed",
            "extras.hipaa_or_hitrust.level": "not_needed",
            "extras.pci_dss_aoc.level": "required",
            "extras.subservice_reports.level": "not_needed",
            "extras.cuec_review.level": "required",
            "extras.scope_check.level": "recommended",
            "extras.type2_commitment.level": "not_needed",
            "evidence.verdict": "sufficient",
        },
        [],
        ["extras.cuec_review.level", "extras.pci_dss_aoc.level", "extras.scope_check.level"],
    ),
    "v05_supplementary_only": (
        {
            "tier": "high",
            "soc1.level": "not_needed",
            "soc1.type": "none",
            "soc2.level": "required",
            "soc2.type": "type2",
            "soc2.criteria.security.level": "required",
            "soc2.criteria.availability.level": "recommended",
            "soc2.criteria.processing_integrity.level": "not_needed",
            "soc2.criteria.confidentiality.level": "recommended",
            "soc2.criteria.privacy.level": "required",
            "extras.bridge_letter.level": "not_needed",
            "extras.hipaa_or_hitrust.level": "not_needed",
            "extras.pci_dss_aoc.level": "not_needed",
            "extras.subservice_reports.level": "recommended",
            "extras.cuec_review.level": "recommended",
            "extras.scope_check.level": "recommended",
            "extras.type2_commitment.level": "not_needed",
            "evidence.verdict": "insufficient",
        },
        ["supplementary_only"],
        [],
    ),
    "v06_identity_provider_itgc": (
        {
            "tier": "high",
            "soc1.level": "recommended",
            "soc1.type": "type2",
            "soc2.level": "required",
            "soc2.type": "type2",
            "soc2.criteria.security.level": "required",
            "soc2.criteria.availability.level": "required",
            "soc2.criteria.processing_integrity.level": "not_needed",
            "soc2.criteria.confidentiality.level": "required",
            "soc2.criteria.privacy.level": "optional",
            "extras.bridge_letter.level": "not_needed",
            "extras.hipaa_or_hitrust.level": "not_needed",
            "extras.pci_dss_aoc.level": "not_needed",
            "extras.subservice_reports.level": "recommended",
            "extras.cuec_review.level": "recommended",
            "extras.scope_check.level": "recommended",
            "extras.type2_commitment.level": "not_needed",
            "evidence.verdict": "not_reviewed",
        },
        [],
        [],
    ),
    "v07_ai_secondary_use": (
        {
            "tier": "high",
            "soc1.level": "not_needed",
            "soc1.type": "none",
            "soc2.level": "required",
            "soc2.type": "type2",
            "soc2.criteria.security.level": "required",
            "soc2.criteria.availability.level": "recommended",
            "soc2.criteria.processing_integrity.level": "recommended",
            "soc2.criteria.confidentiality.level": "required",
            "soc2.criteria.privacy.level": "required",
            "extras.bridge_letter.level": "not_needed",
            "extras.hipaa_or_hitrust.level": "not_needed",
            "extras.pci_dss_aoc.level": "not_needed",
            "extras.subservice_reports.level": "recommended",
            "extras.cuec_review.level": "recommended",
            "extras.scope_check.level": "recommended",
            "extras.type2_commitment.level": "not_needed",
            "evidence.verdict": "not_reviewed",
        },
        [],
        [],
    ),
    "v08_msp_access_exceptions": (
        {
            "tier": "high",
            "soc1.level": "not_needed",
            "soc1.type": "none",
            "soc2.level": "required",
            "soc2.type": "type2",
            "soc2.criteria.security.level": "required",
            "soc2.criteria.availability.level": "required",
            "soc2.criteria.processing_integrity.level": "not_needed",
            "soc2.criteria.confidentiality.level": "required",
            "soc2.criteria.privacy.level": "optional",
            "extras.bridge_letter.level": "not_needed",
            "extras.hipaa_or_hitrust.level": "not_needed",
            "extras.pci_dss_aoc.level": "not_needed",
            "extras.subservice_reports.level": "required",
            "extras.cuec_review.level": "recommended",
            "extras.scope_check.level": "recommended",
            "extras.type2_commitment.level": "not_needed",
            "evidence.verdict": "conditional",
        },
        ["exceptions_noted", "exceptions_significant"],
        ["extras.cuec_review.level", "extras.scope_check.level", "extras.subservice_reports.level"],
    ),
    "v09_soc1_qualified": (
        {
            "tier": "high",
            "soc1.level": "required",
            "soc1.type": "type2",
            "soc2.level": "required",
            "soc2.type": "type2",
            "soc2.criteria.security.level": "required",
            "soc2.criteria.availability.level": "required",
            "soc2.criteria.processing_integrity.level": "recommended",
            "soc2.criteria.confidentiality.level": "required",
            "soc2.criteria.privacy.level": "required",
            "extras.bridge_letter.level": "not_needed",
            "extras.hipaa_or_hitrust.level": "not_needed",
            "extras.pci_dss_aoc.level": "required",
            "extras.subservice_reports.level": "not_needed",
            "extras.cuec_review.level": "required",
            "extras.scope_check.level": "recommended",
            "extras.type2_commitment.level": "not_needed",
            "evidence.verdict": "conditional",
        },
        ["opinion_modified", "required_extra_missing"],
        ["extras.cuec_review.level", "extras.scope_check.level"],
    ),
    "v10_carve_out_cuec_scope": (
        {
            "tier": "high",
            "soc1.level": "not_needed",
            "soc1.type": "none",
            "soc2.level": "required",
            "soc2.type": "type2",
            "soc2.criteria.security.level": "required",
            "soc2.criteria.availability.level": "required",
            "soc2.criteria.processing_integrity.level": "not_needed",
            "soc2.criteria.confidentiality.level": "required",
            "soc2.criteria.privacy.level": "optional",
            "extras.bridge_letter.level": "not_needed",
            "extras.hipaa_or_hitrust.level": "not_needed",
            "extras.pci_dss_aoc.level": "not_needed",
            "extras.subservice_reports.level": "required",
            "extras.cuec_review.level": "required",
            "extras.scope_check.level": "required",
            "extras.type2_commitment.level": "not_needed",
            "evidence.verdict": "conditional",
        },
        ["cuec_unowned", "out_of_scope", "subservice_reports_missing"],
        [],
    ),
    "v11_buyer_tier_low": (
        {
            "tier": "low",
            "soc1.level": "not_needed",
            "soc1.type": "none",
            "soc2.level": "required",
            "soc2.type": "type2",
            "soc2.criteria.security.level": "required",
            "soc2.criteria.availability.level": "optional",
            "soc2.criteria.processing_integrity.level": "not_needed",
            "soc2.criteria.confidentiality.level": "recommended",
            "soc2.criteria.privacy.level": "not_needed",
            "extras.bridge_letter.level": "not_needed",
            "extras.hipaa_or_hitrust.level": "not_needed",
            "extras.pci_dss_aoc.level": "not_needed",
            "extras.subservice_reports.level": "recommended",
            "extras.cuec_review.level": "recommended",
            "extras.scope_check.level": "recommended",
            "extras.type2_commitment.level": "not_needed",
            "evidence.verdict": "not_reviewed",
        },
        [],
        [],
    ),
    "v12_isae3402_non_us": (
        {
            "tier": "high",
            "soc1.level": "required",
            "soc1.type": "type2",
            "soc2.level": "required",
            "soc2.type": "type2",
            "soc2.criteria.security.level": "required",
            "soc2.criteria.availability.level": "required",
            "soc2.criteria.processing_integrity.level": "recommended",
            "soc2.criteria.confidentiality.level": "required",
            "soc2.criteria.privacy.level": "required",
            "extras.bridge_letter.level": "not_needed",
            "extras.hipaa_or_hitrust.level": "not_needed",
            "extras.pci_dss_aoc.level": "required",
            "extras.subservice_reports.level": "not_needed",
            "extras.cuec_review.level": "required",
            "extras.scope_check.level": "recommended",
            "extras.type2_commitment.level": "not_needed",
            "evidence.verdict": "sufficient",
        },
        [],
        ["extras.cuec_review.level", "extras.pci_dss_aoc.level", "extras.scope_check.level"],
    ),
    "v13_soc1_qualified_soc2_clean": (
        {
            "tier": "high",
            "soc1.level": "required",
            "soc1.type": "type2",
            "soc2.level": "required",
            "soc2.type": "type2",
            "soc2.criteria.security.level": "required",
            "soc2.criteria.availability.level": "required",
            "soc2.criteria.processing_integrity.level": "recommended",
            "soc2.criteria.confidentiality.level": "required",
            "soc2.criteria.privacy.level": "required",
            "extras.bridge_letter.level": "not_needed",
            "extras.hipaa_or_hitrust.level": "not_needed",
            "extras.pci_dss_aoc.level": "required",
            "extras.subservice_reports.level": "not_needed",
            "extras.cuec_review.level": "required",
            "extras.scope_check.level": "recommended",
            "extras.type2_commitment.level": "not_needed",
            "evidence.verdict": "conditional",
        },
        ["opinion_modified"],
        ["extras.cuec_review.level", "extras.pci_dss_aoc.level", "extras.scope_check.level"],
    ),
    "v14_soc1_qualified_not_needed": (
        {
            "tier": "high",
            "soc1.level": "not_needed",
            "soc1.type": "none",
            "soc2.level": "required",
            "soc2.type": "type2",
            "soc2.criteria.security.level": "required",
            "soc2.criteria.availability.level": "recommended",
            "soc2.criteria.processing_integrity.level": "not_needed",
            "soc2.criteria.confidentiality.level": "required",
            "soc2.criteria.privacy.level": "required",
            "extras.bridge_letter.level": "not_needed",
            "extras.hipaa_or_hitrust.level": "required",
            "extras.pci_dss_aoc.level": "not_needed",
            "extras.subservice_reports.level": "required",
            "extras.cuec_review.level": "recommended",
            "extras.scope_check.level": "recommended",
            "extras.type2_commitment.level": "not_needed",
            "evidence.verdict": "sufficient",
        },
        ["opinion_modified"],
        [
            "extras.cuec_review.level",
            "extras.hipaa_or_hitrust.level",
            "extras.scope_check.level",
            "extras.subservice_reports.level",
        ],
    ),
    "v15_soc2_hipaa_benefits": (
        {
            "tier": "high",
            "soc1.level": "not_needed",
            "soc1.type": "none",
            "soc2.level": "required",
            "soc2.type": "type2",
            "soc2.criteria.security.level": "required",
            "soc2.criteria.availability.level": "recommended",
            "soc2.criteria.processing_integrity.level": "not_needed",
            "soc2.criteria.confidentiality.level": "required",
            "soc2.criteria.privacy.level": "required",
            "extras.bridge_letter.level": "not_needed",
            "extras.hipaa_or_hitrust.level": "required",
            "extras.pci_dss_aoc.level": "not_needed",
            "extras.subservice_reports.level": "required",
            "extras.cuec_review.level": "recommended",
            "extras.scope_check.level": "recommended",
            "extras.type2_commitment.level": "not_needed",
            "evidence.verdict": "sufficient",
        },
        [],
        [
            "extras.cuec_review.level",
            "extras.hipaa_or_hitrust.level",
            "extras.scope_check.level",
            "extras.subservice_reports.level",
        ],
    ),
}


@pytest.fixture(scope="module")
def bank() -> Bank:
    return load_bank(QUESTIONS)


def result(bank: Bank, name: str) -> Result:
    loaded = read_assessment_file(V2 / f"{name}.toml", bank)
    assert not loaded.warnings, loaded.warnings
    assert not loaded.result.provisional, loaded.result.visibility.unanswered
    assert not loaded.result.visibility.set_aside
    return loaded.result


def test_every_example_is_listed() -> None:
    assert sorted(p.stem for p in V2.glob("*.toml")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_full_recommendation(bank: Bank, name: str) -> None:
    outcomes, found, satisfied = EXPECTED[name]
    r = result(bank, name)
    assert {k: v.value for k, v in r.outcomes.items()} == outcomes
    assert sorted(f.id for f in r.findings) == found
    assert sorted(k for k, v in r.outcomes.items() if v.satisfied) == satisfied
    for outcome in r.outcomes.values():
        assert outcome.reasons, outcome.id


def text(r: Result, finding: str) -> str:
    return next(f.reason.text for f in r.findings if f.id == finding)


def test_iso_is_a_certification_never_a_soc2_badge(bank: Bank) -> None:
    r = result(bank, "v01_iso27001_eu_saas")
    reason = text(r, "iso_not_soc2")
    assert "no tests of operating effectiveness" in reason
    assert "certificate_not_report" not in {f.id for f in r.findings}
    assert "attestation, not a certification" not in " ".join(f.reason.text for f in r.findings)


def test_iso_gaps_are_named(bank: Bank) -> None:
    reason = text(result(bank, "v02_iso27001_gaps"), "iso_gaps")
    assert "not clear" in reason and "Statement of Applicability" in reason
    assert "20 months ago" in reason


def test_hitrust_and_pci_close_their_extras(bank: Bank) -> None:
    hitrust = result(bank, "v03_hitrust_benefits").outcomes["extras.hipaa_or_hitrust.level"]
    assert "HITRUST certification (r2" in hitrust.reasons[0].text
    pci = result(bank, "v04_pci_payments").outcomes["extras.pci_dss_aoc.level"]
    assert pci.reasons[0].rule_id == "pci_aoc_on_file"
    assert not result(bank, "v09_soc1_qualified").outcomes["extras.pci_dss_aoc.level"].satisfied


def test_supplementary_evidence_is_named(bank: Bank) -> None:
    reason = text(result(bank, "v05_supplementary_only"), "supplementary_only")
    assert "penetration test summary" in reason and "standard questionnaire" in reason


def test_it_controls_recommend_a_soc1_type2_with_the_cc6_cc8_note(bank: Bank) -> None:
    soc1 = result(bank, "v06_identity_provider_itgc").outcomes["soc1.level"]
    assert soc1.reasons[0].rule_id == "soc1_it_controls"
    assert "CC6" in soc1.reasons[0].text and "CC8" in soc1.reasons[0].text


def test_secondary_use_makes_privacy_required(bank: Bank) -> None:
    privacy = result(bank, "v07_ai_secondary_use").outcomes["soc2.criteria.privacy.level"]
    assert privacy.reasons[0].rule_id == "privacy_required"
    assert {a.question_id for a in privacy.reasons[0].answers} >= {"data_role", "secondary_use"}


def test_access_exceptions_at_an_admin_vendor_are_significant(bank: Bank) -> None:
    r = result(bank, "v08_msp_access_exceptions")
    assert "CC6: logical and physical access" in text(r, "exceptions_significant")
    assert "2 tests" in text(r, "exceptions_noted")


def test_the_modified_opinion_says_which_report(bank: Bank) -> None:
    assert "The SOC 1" in text(result(bank, "v09_soc1_qualified"), "opinion_modified")


def test_carve_out_cuec_and_scope_gaps(bank: Bank) -> None:
    r = result(bank, "v10_carve_out_cuec_scope")
    assert "explicitly excludes" in text(r, "out_of_scope")
    assert "M365 admin" in text(r, "out_of_scope")
    assert not r.outcomes["extras.subservice_reports.level"].satisfied


def test_the_buyers_low_tier_never_lowers_what_the_data_requires(bank: Bank) -> None:
    r = result(bank, "v11_buyer_tier_low")
    assert r.outcomes["tier"].reasons[0].rule_id == "tier_buyer_low"
    assert r.next_review is not None and r.next_review.year == 2029


def test_a_non_us_audit_firm_is_not_a_red_flag(bank: Bank) -> None:
    r = result(bank, "v12_isae3402_non_us")
    assert "auditor_unverified" not in {f.id for f in r.findings}
    assert r.value("evidence.verdict") == "sufficient"


def test_each_reports_opinion_is_graded_against_its_own_family(bank: Bank) -> None:
    # Qualified SOC 1 (needed) + clean SOC 2: conditional, and the finding names the SOC 1.
    r = result(bank, "v13_soc1_qualified_soc2_clean")
    reason = text(r, "opinion_modified")
    assert "SOC 1 opinion: Qualified" in reason and "SOC 2 opinion: Unmodified" in reason
    assert [x.rule_id for x in r.outcomes["evidence.verdict"].reasons] == ["soc1_opinion_qualified"]
    # Qualified SOC 1 the buyer does not need + clean SOC 2: the SOC 2 stands, a note stays.
    r = result(bank, "v14_soc1_qualified_not_needed")
    assert "do not need a SOC 1" in text(r, "opinion_modified")


@pytest.mark.parametrize(
    ("soc1", "soc2", "verdict"),
    [
        ("unmodified", "unmodified", "sufficient"),
        ("qualified", "unmodified", "conditional"),
        ("unmodified", "qualified", "conditional"),
        ("adverse", "unmodified", "insufficient"),
        ("unmodified", "disclaimer", "insufficient"),
        ("qualified", "adverse", "insufficient"),
    ],
)
def test_per_report_opinions_where_both_families_are_needed(
    bank: Bank, soc1: str, soc2: str, verdict: str
) -> None:
    loaded = read_assessment_file(V2 / "v13_soc1_qualified_soc2_clean.toml", bank)
    answers = {
        **loaded.assessment.answers,
        "soc1_opinion": Answer(value=soc1),
        "soc2_opinion": Answer(value=soc2),
    }
    assert decide(bank, answers, loaded.assessment.reviewed_on).value("evidence.verdict") == verdict


def test_an_adverse_soc1_the_buyer_does_not_need_leaves_the_soc2_standing(bank: Bank) -> None:
    loaded = read_assessment_file(V2 / "v14_soc1_qualified_not_needed.toml", bank)
    answers = {**loaded.assessment.answers, "soc1_opinion": Answer(value="adverse")}
    r = decide(bank, answers, loaded.assessment.reviewed_on)
    assert r.value("evidence.verdict") == "sufficient"
    answers["soc2_opinion"] = Answer(value="qualified")
    assert decide(bank, answers, loaded.assessment.reviewed_on).value("evidence.verdict") == "conditional"


def test_an_unknown_per_report_opinion_is_never_kinder(bank: Bank) -> None:
    loaded = read_assessment_file(V2 / "v13_soc1_qualified_soc2_clean.toml", bank)
    for qid in ("soc1_opinion", "soc2_opinion"):
        r = decide(bank, {**loaded.assessment.answers, qid: UNKNOWN}, loaded.assessment.reviewed_on)
        assert r.value("evidence.verdict") == "insufficient", qid  # it could be adverse
        assert qid in r.outcomes["evidence.verdict"].settled_by
        assert qid in {f.question_id for f in r.follow_ups}


@pytest.mark.parametrize(
    ("old", "expected"),
    [
        # A 2.0 draft said which report carried the one opinion it asked.
        ({"report_opinion": "qualified", "modified_opinion_report": "soc1"}, ("qualified", "unmodified")),
        ({"report_opinion": "adverse", "modified_opinion_report": "soc2"}, ("unmodified", "adverse")),
        ({"report_opinion": "adverse", "modified_opinion_report": "both"}, ("adverse", "adverse")),
        # A 1.0.0 file asked for the worst opinion only: both reports keep it.
        ({"report_opinion": "qualified"}, ("qualified", "qualified")),
        ({"report_opinion": "unmodified"}, ("unmodified", "unmodified")),
    ],
)
def test_one_opinion_for_both_reports_migrates_to_each_report(
    bank: Bank, old: dict[str, str], expected: tuple[str, str]
) -> None:
    answers = {
        "evidence_reports": Answer(value=("soc1", "soc2")),
        **{k: Answer(value=v) for k, v in old.items()},
    }
    migrated = migrate_answers(bank, answers)
    assert (migrated["soc1_opinion"].value, migrated["soc2_opinion"].value) == expected
    assert "report_opinion" not in migrated and "modified_opinion_report" not in migrated
    assert migrate_answers(bank, migrated) == migrated  # applying it again changes nothing


def test_an_unknown_single_opinion_stays_unknown_for_each_report(bank: Bank) -> None:
    answers = {"evidence_reports": Answer(value=("soc1", "soc3")), "report_opinion": UNKNOWN}
    migrated = migrate_answers(bank, answers)
    assert migrated["soc1_opinion"] == UNKNOWN and migrated["soc2_opinion"] == UNKNOWN


def test_one_report_keeps_its_single_opinion_question(bank: Bank) -> None:
    answers = {"evidence_reports": Answer(value=("soc2",)), "report_opinion": Answer(value="qualified")}
    assert migrate_answers(bank, answers) == answers


def test_a_single_opinion_goes_to_the_report_still_without_one(bank: Bank) -> None:
    # A SOC 1's opinion answered alone, then a SOC 2 added with its own opinion.
    answers = {
        "evidence_reports": Answer(value=("soc1", "soc2")),
        "report_opinion": Answer(value="qualified"),
        "soc2_opinion": Answer(value="unmodified"),
    }
    migrated = migrate_answers(bank, answers)
    assert migrated["soc1_opinion"].value == "qualified" and migrated["soc2_opinion"].value == "unmodified"
    assert "report_opinion" not in migrated


def test_a_soc2_plus_hipaa_closes_the_hipaa_need_as_hitrust_does(bank: Bank, tmp_path: Path) -> None:
    """SOC 2+ HIPAA (Type II, current, clean): satisfied; a plain SOC 2 or "not sure": missing."""
    hipaa = result(bank, "v15_soc2_hipaa_benefits").outcomes["extras.hipaa_or_hitrust.level"]
    assert hipaa.value == "required" and hipaa.satisfied
    assert hipaa.reasons[0].rule_id == "soc2_hipaa_on_file"
    source = (V2 / "v15_soc2_hipaa_benefits.toml").read_text(encoding="utf-8")
    for replacement, also in (
        ("soc2_hipaa = false", ""),
        ('soc2_hipaa = { state = "unknown" }', ""),
        ("soc2_hipaa = true", 'report_opinion = "qualified"'),
        ("soc2_hipaa = true", "soc2_period_end = 2024-12-31"),
    ):
        text = source.replace("soc2_hipaa = true", replacement)
        if also:
            key = also.split(" = ")[0]
            text = "\n".join(also if line.startswith(key + " = ") else line for line in text.splitlines())
        path = tmp_path / "variant.toml"
        path.write_text(text, encoding="utf-8")
        r = read_assessment_file(path, bank).result
        assert not r.outcomes["extras.hipaa_or_hitrust.level"].satisfied, replacement + also
        if not also:
            assert "required_extra_missing" in {f.id for f in r.findings}, replacement
            assert r.value("evidence.verdict") != "sufficient"
