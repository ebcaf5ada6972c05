"""Mapping rows for questions the built-in bank may not have yet: active once a bank has them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from socwizard.core.bank.loader import load_bank
from socwizard.core.bank.models import Bank
from socwizard.core.evidence.attach import propose
from socwizard.core.evidence.model import Fact, Report

MINI = Path(__file__).resolve().parents[1] / "fixtures" / "banks" / "mini"
EXTRA = """
[[questions]]
id = "evidence_reports"
type = "multi"
prompt = "What has the vendor given you?"
[[questions.choices]]
value = "soc2"
label = "A SOC 2 report"
[[questions.choices]]
value = "iso27001"
label = "An ISO/IEC 27001 certificate"

[[questions]]
id = "soc2_report_date"
type = "date"
prompt = "On what date did the auditor sign the SOC 2 report?"

[[questions]]
id = "report_exceptions"
type = "single"
prompt = "Did the auditor note exceptions?"
[[questions.choices]]
value = "none"
label = "None"
[[questions.choices]]
value = "some"
label = "Some"

[[questions]]
id = "exceptions_count"
type = "number"
prompt = "How many exceptions?"
integer = true
min = 0

[[questions]]
id = "exception_areas"
type = "multi"
prompt = "Which areas do they hit?"
[[questions.choices]]
value = "cc6_access"
label = "CC6"
[[questions.choices]]
value = "cc8_change"
label = "CC8"
[[questions.choices]]
value = "a1_availability"
label = "A1"

[[questions]]
id = "audit_firm"
type = "text"
prompt = "Which audit firm signed the report?"

[[questions]]
id = "iso27001_expiry"
type = "date"
prompt = "When does the ISO 27001 certificate expire?"
"""


@pytest.fixture(scope="module")
def bank2(tmp_path_factory: pytest.TempPathFactory) -> Bank:
    directory = tmp_path_factory.mktemp("bank2")
    shutil.copytree(MINI, directory, dirs_exist_ok=True)
    with (directory / "evidence.toml").open("a") as handle:
        handle.write(EXTRA)
    return load_bank(directory)


def _report(kind: str, **facts: object) -> Report:
    made = {"kind": Fact(kind, 1, kind)} | {k: Fact(v, 2, f"quote {k}") for k, v in facts.items()}
    return Report("r.pdf", "0" * 64, 9, made)


def test_exceptions_become_count_areas_and_some(bank2: Bank) -> None:
    exceptions = [
        {"control": "CC6.2", "text": "2 of 25 late", "page": 7},
        {"control": "CC8.1", "text": "1 of 10 unapproved", "page": 8},
        {"control": "CC6.3", "text": "1 of 4 reviews missing", "page": 8},
    ]
    report = _report(
        "soc2",
        type="type2",
        exceptions=exceptions,
        report_date="2025-11-14",
        service_auditor="Harrow & Quill LLP",
    )
    answers = {p.question_id: p.answer.value for p in propose(report, bank2, {})}
    assert answers["report_exceptions"] == "some"
    assert answers["exceptions_count"] == 3
    assert answers["exception_areas"] == ("cc6_access", "cc8_change")
    assert answers["audit_firm"] == "Harrow & Quill LLP"
    assert str(answers["soc2_report_date"]) == "2025-11-14"
    assert answers["evidence_reports"] == ("soc2",)


def test_an_exception_no_area_fits_leaves_the_areas_to_the_user(bank2: Bank) -> None:
    report = _report("soc2", exceptions=[{"control": "AC-04", "text": "3 of 20", "page": 5}])
    answers = {p.question_id: p.answer.value for p in propose(report, bank2, {})}
    assert answers["exceptions_count"] == 1 and "exception_areas" not in answers


def test_no_exceptions_is_none_and_zero(bank2: Bank) -> None:
    answers = {p.question_id: p.answer.value for p in propose(_report("soc2", exceptions=[]), bank2, {})}
    assert answers["report_exceptions"] == "none" and answers["exceptions_count"] == 0


def test_iso_certificate_answers_its_questions(bank2: Bank) -> None:
    report = _report("iso27001_certificate", period_end="2028-03-13")
    answers = {p.question_id: p.answer.value for p in propose(report, bank2, {})}
    assert answers["evidence_reports"] == ("iso27001",)
    assert str(answers["iso27001_expiry"]) == "2028-03-13"


def test_a_choice_the_bank_lacks_is_not_proposed(mini_bank: Bank) -> None:
    report = _report("soc2", exceptions=[{"control": "CC6.2", "text": "late", "page": 7}])
    assert all(p.question_id != "report_exceptions" for p in propose(report, mini_bank, {}))
