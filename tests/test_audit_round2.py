"""A second independent review of `socwizard show` over every example.

Each test pins one defect the auditor found (tests/examples/review/ and v2/), checked on
the named example or on a variant of it written to a temporary file.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from socwizard.core.assessment import read_assessment_file
from socwizard.core.bank.loader import load_bank
from socwizard.core.bank.models import Bank
from socwizard.core.recommendation import Result

EXAMPLES = Path(__file__).resolve().parent / "examples"
BANK = Path(__file__).resolve().parent.parent / "questions"


@pytest.fixture(scope="module")
def bank() -> Bank:
    return load_bank(BANK)


def _path(stem: str) -> Path:
    (path,) = EXAMPLES.rglob(f"{stem}*.toml")
    return path


def result(bank: Bank, stem: str) -> Result:
    """The recommendation for one example, read as `socwizard show` reads it."""
    return read_assessment_file(_path(stem), bank).result


def variant(bank: Bank, tmp_path: Path, stem: str, **answers: str) -> Result:
    """The example with some answers replaced (TOML values as written) or added."""
    text = _path(stem).read_text(encoding="utf-8")
    for qid, value in answers.items():
        line = re.compile(rf"^{qid} = (\[[^\]]*\]|.*)$", re.MULTILINE)
        if line.search(text):
            text = line.sub(f"{qid} = {value}".replace("\\", "\\\\"), text)
        else:
            text = text.replace("[answers]\n", f"[answers]\n{qid} = {value}\n", 1)
    path = tmp_path / f"{stem}.toml"
    path.write_text(text, encoding="utf-8")
    loaded = read_assessment_file(path, bank)
    assert not loaded.warnings, loaded.warnings
    return loaded.result


def texts(r: Result) -> list[str]:
    """Every finding's and every outcome reason's text."""
    return [f.reason.text for f in r.findings] + [x.text for o in r.outcomes.values() for x in o.reasons]


def rule_ids(r: Result) -> set[str]:
    """The rules behind every finding and every outcome reason."""
    outcome_rules = {x.rule_id for o in r.outcomes.values() for x in o.reasons}
    return {f.reason.rule_id for f in r.findings} | outcome_rules


# 1. A required SOC 1 is never also "recommended, a SOC 2 may satisfy your auditors".


def test_a_required_soc1_does_not_also_read_as_recommended(bank: Bank) -> None:
    r = result(bank, "e01")
    assert r.value("soc1.level") == "required"
    assert "wrong_family_soc1_required" in rule_ids(r)
    assert "wrong_family_soc1_recommended" not in rule_ids(r)
    assert not any("may satisfy your auditors" in t for t in texts(r))


def test_a_soc1_recommended_through_it_controls_keeps_the_cc6_cc8_note(bank: Bank, tmp_path: Path) -> None:
    r = variant(bank, tmp_path, "e01", financial_processes='["none"]', it_controls='["identity_access"]')
    assert r.value("soc1.level") == "recommended"
    assert "wrong_family_soc1_recommended" in rule_ids(r)


# 2. A reason never pastes "not answered yet" or "I don't know" into a sentence.

ALL_EXAMPLES = sorted(EXAMPLES.rglob("*.toml"))


@pytest.mark.parametrize("path", ALL_EXAMPLES, ids=lambda p: p.stem)
def test_no_reason_pastes_a_missing_answer(bank: Bank, path: Path) -> None:
    r = read_assessment_file(path, bank).result
    for text in texts(r):
        assert "not answered yet" not in text, text
        assert "I don't know" not in text, text


@pytest.mark.parametrize("stem", ["e06", "s07", "s12"])
def test_exceptions_without_their_details_say_where_to_look(bank: Bank, stem: str) -> None:
    r = result(bank, stem)
    (noted,) = [f.reason.text for f in r.findings if f.reason.rule_id == "exceptions_noted"]
    assert "were not recorded" in noted and "Section 4" in noted


def test_exceptions_with_their_details_quote_them(bank: Bank, tmp_path: Path) -> None:
    r = variant(
        bank,
        tmp_path,
        "e06",
        report_exceptions='"some"',
        exceptions_count="3",
        exception_areas='["cc6_access"]',
        exceptions_remediated='"all"',
    )
    (noted,) = [f.reason.text for f in r.findings if f.reason.rule_id == "exceptions_noted"]
    assert "(3 tests; criteria: " in noted
    assert "not recorded" not in noted


def test_an_unknown_detail_drops_the_quoted_clause(bank: Bank, tmp_path: Path) -> None:
    r = variant(bank, tmp_path, "e06", report_exceptions='"some"', exceptions_count='{ state = "unknown" }')
    (noted,) = [f.reason.text for f in r.findings if f.reason.rule_id == "exceptions_noted"]
    assert "were not recorded" in noted


# 3. No bridge letter is asked for where none can help.


def test_little_overlap_asks_for_the_current_report_not_a_bridge_letter(bank: Bank) -> None:
    r = result(bank, "e12")
    assert r.value("extras.bridge_letter.level") == "not_needed"
    assert "bridge_not_needed_soc1_too_far" in rule_ids(r)
    assert {"soc1_overlap_short"} <= {f.id for f in r.findings}
    assert "bridge_gap" not in {f.id for f in r.findings}
    assert r.value("evidence.verdict") == "insufficient"


def test_a_stale_soc2_asks_for_the_current_report_not_a_bridge_letter(bank: Bank) -> None:
    r = result(bank, "e03")
    assert r.value("extras.bridge_letter.level") == "not_needed"
    (why,) = [x.text for x in r.outcomes["extras.bridge_letter.level"].reasons if "stale" in x.text]
    assert "current SOC 2 report" in why
    assert r.value("evidence.verdict") == "insufficient"


def test_a_gap_of_a_few_months_still_needs_the_bridge_letter(bank: Bank) -> None:
    r = result(bank, "e09")
    assert r.value("extras.bridge_letter.level") == "required"
    assert "bridge_gap" in {f.id for f in r.findings}


# 4. Controls the buyer must perform without an owner make the CUEC review required.


def test_unowned_cuecs_at_a_medium_or_high_tier_make_the_review_required(bank: Bank) -> None:
    r = result(bank, "v10")
    assert r.value("tier") in {"medium", "high"}
    assert r.value("extras.cuec_review.level") == "required"
    (why,) = r.outcomes["extras.cuec_review.level"].reasons
    assert why.rule_id == "cuec_required_unowned" and "owner" in why.text


def test_owned_cuecs_stay_recommended_and_satisfied(bank: Bank, tmp_path: Path) -> None:
    r = variant(bank, tmp_path, "v10", cuec_owners='"all"')
    assert r.value("extras.cuec_review.level") == "recommended"
    assert r.outcomes["extras.cuec_review.level"].satisfied


# 5. A required extra with nothing on file is an evidence finding.


def test_a_required_pci_aoc_not_on_file_is_a_finding(bank: Bank) -> None:
    r = result(bank, "v09")
    assert r.value("extras.pci_dss_aoc.level") == "required"
    (missing,) = [f for f in r.findings if f.id == "required_extra_missing"]
    assert "Attestation of Compliance" in missing.reason.text
    assert r.value("evidence.verdict") in {"conditional", "insufficient"}


def test_a_pci_aoc_on_file_is_no_such_finding(bank: Bank) -> None:
    r = result(bank, "v04")
    assert r.value("extras.pci_dss_aoc.level") == "required"
    assert "required_extra_missing" not in {f.id for f in r.findings}


def test_required_hipaa_assurance_not_on_file_is_a_finding(bank: Bank, tmp_path: Path) -> None:
    r = variant(bank, tmp_path, "v03", evidence_reports='["soc2"]')
    assert r.value("extras.hipaa_or_hitrust.level") == "required"
    assert "hipaa_assurance_missing" in {f.reason.rule_id for f in r.findings} | rule_ids(r)


# 6. The next review is the earliest expiry of any evidence on file that is needed.


@pytest.mark.parametrize("stem", ["v04", "v12"])
def test_the_next_review_is_when_the_pci_aoc_lapses(bank: Bank, stem: str) -> None:
    r = result(bank, stem)
    assert str(r.next_review) == "2026-11-20"
    assert "Attestation of Compliance" in r.next_review_reason


def test_an_iso_certificate_expiring_first_sets_the_next_review(bank: Bank, tmp_path: Path) -> None:
    assert str(result(bank, "v01").next_review) == "2026-06-01"  # the follow-up interval
    r = variant(bank, tmp_path, "v01", iso27001_expiry="2026-04-30")
    assert str(r.next_review) == "2026-04-30"
    assert "ISO/IEC 27001 certificate expires" in r.next_review_reason


def test_the_next_review_never_cites_a_report_not_sent(bank: Bank) -> None:
    r = result(bank, "s11")  # only a SOC 3 on file, no SOC 2 needed
    assert "SOC 2 report" not in r.next_review_reason


def test_the_next_review_never_cites_a_report_not_needed(bank: Bank) -> None:
    r = result(bank, "v14")  # a SOC 1 on file, but no SOC 1 needed
    assert r.value("soc1.level") == "not_needed"
    assert "SOC 1" not in r.next_review_reason


# 7. Wording: policy lists read as prose; an accepted Type I reads as accepted; no
# commitment is required where a Type I is not accepted.


def test_a_policy_list_reads_as_prose(bank: Bank) -> None:
    r = result(bank, "e02")
    joined = " ".join(texts(r))
    assert "low, medium" not in joined
    assert "only for the low and medium tiers" in joined


def test_an_accepted_interim_type1_reads_as_accepted(bank: Bank) -> None:
    r = result(bank, "m01")
    (found,) = [f for f in r.findings if f.id == "type1_only"]
    assert "accepted as interim evidence" in found.reason.text
    assert "commitment date" in found.reason.text
    assert r.value("evidence.verdict") == "conditional"


def test_no_commitment_is_required_where_a_type1_is_not_accepted(bank: Bank) -> None:
    r = result(bank, "e02")
    assert r.value("tier") == "high"
    assert r.value("extras.type2_commitment.level") != "required"
    assert r.value("evidence.verdict") == "insufficient"


def test_a_reason_that_rests_on_an_outcome_quotes_the_answers_behind_it(bank: Bank) -> None:
    """ "Your audited financial statements depend on the service" (tier high because SOC 1
    is required) quoted only the tier question; it now quotes the answers that made SOC 1
    required, as the SOC 1 reason itself does."""
    r = read_assessment_file(EXAMPLES / "payroll_sox.toml", bank).result
    (tier_reason,) = [x for x in r.outcomes["tier"].reasons if x.rule_id == "tier_high_soc1"]
    (soc1_reason,) = r.outcomes["soc1.level"].reasons[:1]
    quoted = {ref.question_id for ref in tier_reason.answers}
    assert {ref.question_id for ref in soc1_reason.answers} <= quoted
    assert len(quoted) > 1
