"""The letter to the vendor (``export --format request``): polite, specific, no internal codes."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from socwizard.core.answers import Answer, State
from socwizard.core.assessment import Assessment, Loaded, evaluate_assessment, read_assessment_file
from socwizard.core.bank.loader import load_bank
from socwizard.core.bank.models import Bank, MultiChoice, SingleChoice
from socwizard.core.export import render_export
from socwizard.core.request import render_request, vendor_question, vendor_request
from socwizard.paths import builtin_bank_dir

EXAMPLES = Path(__file__).parent / "examples"
UNKNOWN = Answer(state=State.UNKNOWN)


@pytest.fixture(scope="module")
def bank() -> Bank:
    return load_bank(builtin_bank_dir())


def unknowns(bank: Bank, **fields: object) -> Loaded:
    data: dict[str, object] = {
        "title": "Acme HR 2026",
        "vendor": "Acme HR",
        "assessor": "Dana (IT)",
        "reviewed_on": dt.date(2026, 1, 15),
        "status": "complete",
        "answers": {
            "service_kind": Answer(value="collaboration"),
            "usage_breadth": Answer(value="company_wide"),
            "data_types": UNKNOWN,
            "direct_collection": UNKNOWN,
            "access_control": UNKNOWN,
            "external_guests": UNKNOWN,  # a question for your own business owner
            "subprocessors": UNKNOWN,
            "uptime_sla": UNKNOWN,
            "financial_processes": UNKNOWN,
        },
    }
    data.update(fields)
    return evaluate_assessment(Assessment.model_validate(data), bank, "test")


@pytest.mark.parametrize(
    ("ask", "expected"),
    [
        (
            "Ask the vendor for its service level agreement and its uptime history.",
            "Could you let us have your service level agreement and your uptime history?",
        ),
        (
            "Ask the vendor whether it uses the personal data you give it to contact, track or profile "
            "people, and how.",
            "Could you tell us whether you use the personal data we give you to contact, track or profile "
            "people, and how?",
        ),
        (
            "Ask the vendor whether it collects personal data directly from individuals, and for its "
            "privacy notice.",
            "Could you tell us whether you collect personal data directly from individuals, and send us "
            "your privacy notice?",
        ),
        (
            "Ask the vendor to share its SOC 2 report under your NDA or through its trust portal.",
            "Could you share your SOC 2 report under our NDA or through your trust portal?",
        ),
        (
            "Ask the vendor for the period covered by its SOC 1 report.",
            "Could you tell us the period covered by your SOC 1 report?",
        ),
        (
            "Ask the vendor which audit firm issued the report, and check it is a licensed, peer-reviewed "
            "CPA firm.",
            "Could you tell us which audit firm issued the report?",
        ),
        (
            "Ask the vendor (and the team that will use it) exactly which data will be put into the service.",
            "Could you tell us exactly which data will be put into the service?",
        ),
        ("Ask your finance team for the fiscal year-end date.", None),
        ("Check your customer contracts and regulatory obligations for vendor assurance requirements.", None),
    ],
)
def test_the_buyers_words_turned_to_the_vendor(ask: str, expected: str | None) -> None:
    assert vendor_question(ask) == expected


def test_every_built_in_follow_up_reads_as_a_question_to_the_vendor(bank: Bank) -> None:
    asked = [vendor_question(q.follow_up_text) for q in bank.questions if q.follow_up_text]
    letters = [a for a in asked if a is not None]
    assert len(letters) >= 15
    for line in letters:
        assert line.startswith("Could you ") and line.endswith("?"), line
        assert "the vendor" not in line and " it " not in line.replace("if it is", ""), line
        assert not re.search(r"\byou (collects|uses|has|is)\b", line), line


def test_the_letter_for_an_assessment_with_unknowns(bank: Bank) -> None:
    loaded = unknowns(bank)
    request = vendor_request(loaded, bank)
    assert request.questions and request.documents
    assert any("Ask the business owner" in line for line in request.internal)  # kept out of the letter
    text = render_request(loaded, bank)
    assert text.startswith("Subject: Acme HR: reports and answers for our vendor review\n\nHello,\n")
    assert "We are reviewing Acme HR as a supplier." in text
    assert re.search(
        r"^\d+\. Could you let us have your list of subprocessors, and which of them hold our data\?$",
        text,
        re.M,
    )
    assert "Your latest SOC 2 Type II report" in text
    assert text.rstrip().endswith("Thank you,\nDana (IT)")
    assert "Ask the business owner" not in text and "Ask your" not in text and "Check " not in text
    assert "the vendor" not in text.lower()
    for code in _codes(bank):
        assert not re.search(rf"(?<![\w-]){re.escape(code)}(?![\w-])", text), code


def test_findings_to_clear_name_the_vendor(bank: Bank) -> None:
    loaded = read_assessment_file(EXAMPLES / "payroll_sox_with_evidence.toml", bank)
    text = render_request(loaded, bank)
    assert "Points from the report you sent that we need to clear:" in text
    assert "- Gap between the SOC 1 period end and our fiscal year-end, with no bridge letter." in text
    assert "Your latest SOC 1" not in text  # the report was sent and is only conditional
    assert "A bridge letter covering" in text


def test_nothing_to_ask(bank: Bank) -> None:
    loaded = read_assessment_file(EXAMPLES / "office_supplies.toml", bank)
    request = vendor_request(loaded, bank)
    text = render_request(loaded, bank)
    if request.empty:
        assert "We have everything we need" in text
    else:
        assert "could you help us with the following?" in text


def test_file_text_is_one_clean_line(bank: Bank) -> None:
    good = unknowns(bank, assessor="")
    # bypass validation (a hand-built model): the letter still cleans and flattens
    a = Assessment.model_construct(**{**good.assessment.__dict__, "vendor": "Evil\u202e Corp\nSubject: hi"})
    text = render_export(Loaded(a, good.result, ()), bank, "request")
    assert "\u202e" not in text
    assert text.startswith("Subject: Evil Corp Subject: hi: reports")
    assert text.rstrip().endswith("Thank you,\n[your name]")


def test_cli_export_request(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "SOCWIZARD_BANK"}
    source = EXAMPLES / "team_chat.toml"
    run = [sys.executable, "-m", "socwizard", "export", str(source), "--format", "request"]
    proc = subprocess.run([*run, "-o", str(tmp_path)], capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr
    (written,) = tmp_path.glob("*.txt")
    assert written.name.startswith("example-chat-co-")
    assert written.read_text(encoding="utf-8").startswith("Subject: Example Chat Co.")


def _codes(bank: Bank) -> set[str]:
    codes = {v for scale in bank.meta.scales.values() for v in scale}
    for q in bank.questions:
        if isinstance(q, SingleChoice | MultiChoice):
            codes |= {c.value for c in q.choices}
    return {c for c in codes if "_" in c or re.search(r"\d", c)}
