"""The reader against every fixture report: the facts the issue's acceptance names, with pages."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from socwizard.core.evidence.document import Document
from socwizard.core.evidence.model import FACT_KEYS, Fact
from socwizard.core.evidence.reader import read_pages

from .conftest import NAMES

# Expected facts per fixture. A key absent here is not checked; ``None`` must be null.
# "cuecs" is a count; "exceptions" a list of (control, page); "@" pins a fact's page.
EXPECTED: dict[str, dict[str, Any]] = {
    "soc2_type2_carveout": {
        "kind": "soc2",
        "type": "type2",
        "period_start": "2024-10-01",
        "period_end": "2025-09-30",
        "as_of": None,
        "report_date": ("2025-11-14", 4),
        "service_organization": "Relay Chat, Inc.",
        "service_auditor": "Harrow & Quill LLP",
        "opinion": ("unmodified", 4),
        "modified_criteria": None,
        "criteria": ["security", "availability", "confidentiality"],
        "subservice_method": "carve_out",
        "subservice_organizations": ["Amazon Web Services, Inc."],
        "cuecs": (4, 6),
        "csocs": (3, 6),
        "exceptions": [("CC6.2", 7)],
        "legacy_label": None,
        "additional_subject_matter": None,
    },
    "soc2_type1_inclusive": {
        "kind": "soc2",
        "type": "type1",
        "as_of": "2025-03-31",
        "period_start": None,
        "period_end": None,
        "report_date": ("2025-05-12", 4),
        "service_auditor": "Fenwick Brandt Audit Partners",
        "opinion": ("unmodified", 4),
        "criteria": ["security", "privacy"],
        "subservice_method": "inclusive",
        "subservice_organizations": ["Globex Hosting Limited"],
        "cuecs": (3, 5),
        "exceptions": None,
    },
    "soc1_type2_qualified": {
        "kind": "soc1",
        "type": "type2",
        "period_start": "2025-01-01",
        "period_end": "2025-12-31",
        "report_date": ("2026-02-20", 2),
        "service_organization": "Ledgerline Payroll Services, LLC",
        "service_auditor": "Pruitt Okafor CPAs, P.C.",
        "standard": "SSAE 18 / AT-C 320",
        "opinion": ("qualified", 2),
        "modified_criteria": ["Control Objective 4"],
        "criteria": None,
        "subservice_method": "carve_out",
        "subservice_organizations": ["Cobalt Data Centers, Inc."],
        "cuecs": (3, 4),
        "exceptions": [("4.2", 5)],
    },
    "soc2_type2_adverse": {
        "kind": "soc2",
        "type": "type2",
        "period_start": "2024-07-01",
        "period_end": "2025-06-30",
        "report_date": ("2025-09-02", 2),
        "opinion": ("adverse", 2),
        "modified_criteria": ["CC6.1", "CC7.3", "CC8.1"],
        "criteria": ["security"],
        "subservice_method": "none",
        "subservice_organizations": None,
        "cuecs": (2, 4),
        "exceptions": [("CC6.1", 5), ("CC7.3", 5), ("CC8.1", 5)],
    },
    "soc2_type2_disclaimer": {
        "kind": "soc2",
        "type": "type2",
        "period_start": "2025-01-01",
        "period_end": "2025-06-30",
        "report_date": ("2025-09-09", 2),
        "service_auditor": "Marlow Assurance LLP",
        "opinion": ("disclaimer", 2),
        "criteria": ["security", "confidentiality"],
        "subservice_method": None,
        "cuecs": None,
        "exceptions": None,
    },
    "soc2_hipaa": {
        "kind": "soc2",
        "type": "type2",
        "period_start": "2024-07-01",
        "period_end": "2025-06-30",
        "report_date": ("2025-08-15", 2),
        "opinion": ("unmodified", 2),
        "criteria": ["security", "availability", "confidentiality", "privacy"],
        "additional_subject_matter": ["hipaa"],
        "subservice_method": "inclusive",
        "subservice_organizations": ["Meridian Cloud Services, Inc."],
        "cuecs": (5, 3),
        "exceptions": [],
    },
    "soc3": {
        "kind": "soc3",
        "type": None,
        "period_start": "2024-11-01",
        "period_end": "2025-10-31",
        "report_date": ("2025-12-05", 2),
        "service_auditor": "Corbin & Castellanos LLP",
        "opinion": ("unmodified", 2),
        "criteria": ["security", "availability"],
        "cuecs": None,
        "exceptions": None,
    },
    "bridge_letter": {
        "kind": "bridge_letter",
        "type": None,
        "period_start": "2024-10-01",
        "period_end": "2025-09-30",
        "bridge_through": ("2025-12-31", 1),
        "opinion": None,
        "report_date": None,
        "service_organization": "Relay Chat, Inc.",
    },
    "legacy_sas70": {
        "kind": "soc1",
        "type": "type2",
        "period_start": "2009-04-01",
        "period_end": "2010-03-31",
        "report_date": ("2010-05-14", 2),
        "service_auditor": "Hargrove Pell & Co.",
        "standard": "SAS 70",
        "legacy_label": ("SAS 70", 1),
        "opinion": ("unmodified", 2),
        "exceptions": [],
    },
    "ssae16_soc2": {
        "kind": "soc2",
        "type": "type2",
        "period_start": "2025-02-01",
        "period_end": "2025-07-31",
        "report_date": ("2025-10-02", 2),
        "legacy_label": ("SSAE 16", 1),
        "criteria": ["security", "availability"],
        "opinion": ("unmodified", 2),
        "exceptions": [],
    },
    "iso27001_certificate": {
        "kind": "iso27001_certificate",
        "type": None,
        "service_organization": "Helix Workspace GmbH",
        "service_auditor": "Nordcert Certification Services Ltd",
        "standard": "ISO/IEC 27001:2022",
        "report_date": ("2025-03-14", 1),
        "period_end": "2028-03-13",
        "opinion": None,
        "criteria": None,
    },
    "soc1_type1_isae": {
        "kind": "soc1",
        "type": "type1",
        "as_of": "2025-03-31",
        "period_end": None,
        "report_date": ("2025-05-20", 2),
        "service_auditor": "Van der Berg & Co. Accountants",
        "standard": "ISAE 3402",
        "opinion": ("unmodified", 2),
        "subservice_method": "carve_out",
        "subservice_organizations": ["Orion Custody S.A."],
        "cuecs": (2, 3),
        "exceptions": None,
    },
    "soc2_messy": {
        "kind": "soc2",
        "type": "type2",
        "period_start": "2024-04-01",
        "period_end": "2025-03-31",
        "report_date": ("2025-05-30", 3),
        "service_auditor": "Quillon Vasquez LLP",
        "opinion": ("unmodified", 3),
        "criteria": ["security", "confidentiality"],
        "subservice_method": "carve_out",
        "cuecs": (3, 5),
        "exceptions": [],
    },
    "soc2_many_exceptions": {
        "kind": "soc2",
        "type": "type2",
        "period_start": "2025-03-01",
        "period_end": "2025-08-31",
        "report_date": ("2025-10-15", 3),
        "opinion": ("unmodified", 3),
        "criteria": ["security", "availability", "processing_integrity"],
        "subservice_method": "carve_out",
        "subservice_organizations": ["Google Cloud Platform", "Twilio Inc."],
        "cuecs": (4, 4),
        "exceptions": [("AC-04", 5), ("OP-07", 5), ("CM-05", 6)],
    },
    # Independently styled reports (issue 11 leftovers): other firms' wording and layout.
    "soc2_cuec_mapped": {  # CUECs listed in section 3 and again in a numbered mapping table
        "kind": "soc2",
        "type": "type2",
        "period_start": "2025-04-01",
        "period_end": "2026-03-31",
        "report_date": ("2026-05-12", 2),
        "service_auditor": "Birch & Pine LLP",
        "opinion": ("unmodified", 2),
        "criteria": ["security"],
        "cuecs": (3, 3),
        "exceptions": [],
    },
    "isae3402_uk_ordinal": {  # "Assurance Report", "Our Conclusion", 30th June 2026
        "kind": "soc1",
        "type": "type2",
        "period_start": "2025-07-01",
        "period_end": "2026-06-30",
        "report_date": ("2026-08-14", 3),
        "service_organization": "Thistle Payroll Bureau Limited",
        "service_auditor": ("Heather & Lyle LLP", 3),
        "standard": "ISAE 3402",
        "opinion": ("unmodified", 3),
        "criteria": None,
        "subservice_method": "carve_out",
        "subservice_organizations": ["Cloudhaven Data Centres Ltd"],
        "cuecs": (3, 5),
        "exceptions": [("1.2", 6)],
        "legacy_label": None,
    },
    "soc2_security_two_column": {  # two columns, hyphenation, five categories in boilerplate
        "kind": "soc2",
        "type": "type2",
        "period_start": "2025-03-01",
        "period_end": "2026-02-28",
        "report_date": ("2026-04-03", 2),
        "service_organization": "Quillmark Analytics Inc.",
        "service_auditor": "Marlow Stein CPAs, P.C.",
        "opinion": ("unmodified", 2),
        "criteria": ["security"],
        "subservice_method": "none",
        "cuecs": (2, 3),
        "exceptions": [],
    },
    "gap_letter": {  # a bridge letter called a "gap letter", UK ordinal dates
        "kind": "bridge_letter",
        "type": None,
        "period_start": "2025-07-01",
        "period_end": "2026-06-30",
        "bridge_through": ("2026-09-30", 1),
        "service_organization": ("Thistle Payroll Bureau Limited", 1),
        "opinion": None,
        "report_date": None,
    },
    "isae3000_qualified_numeric": {  # ISAE 3000, "Qualified Conclusion", dd/mm/yyyy, Norwegian "AS"
        "kind": "soc2",
        "type": "type2",
        "period_start": "2025-04-01",
        "period_end": "2026-03-31",
        "report_date": ("2026-05-22", 2),
        "service_organization": "Nordlys Cloud AS",
        "service_auditor": ("Aurora Revisjon AS", 2),
        "standard": "ISAE 3000",
        "opinion": ("qualified", 2),
        "modified_criteria": ["A1.3"],
        "criteria": ["security", "availability"],
        "subservice_method": "inclusive",
        "subservice_organizations": ["Fjord Data Centre AS"],
        "cuecs": (3, 3),
        "exceptions": [("A1.3", 4)],
    },
    "other_pentest": {
        "kind": "other",
        "type": None,
        "opinion": None,
        "period_start": None,
        "criteria": None,
        "exceptions": None,
    },
}


def _facts(pdf: Path) -> tuple[dict[str, Fact], list[str]]:
    pages = [page.extract_text() for page in PdfReader(pdf).pages]
    return read_pages(pages), pages


def test_every_fixture_has_expectations() -> None:
    assert sorted(EXPECTED) == NAMES
    assert len(NAMES) >= 12


@pytest.mark.parametrize("name", NAMES)
def test_fixture_facts(name: str, report_pdfs: dict[str, Path]) -> None:
    facts, _ = _facts(report_pdfs[name])
    for key, expected in EXPECTED[name].items():
        found = facts.get(key)
        if expected is None:
            assert found is None, (key, found)
            continue
        assert found is not None, f"{name}: {key} not found"
        if key == "exceptions":
            assert [(e["control"], e["page"]) for e in found.value] == expected, found.value
            assert all(e["text"] for e in found.value)
        elif key in ("cuecs", "csocs"):
            count, page = expected
            assert len(found.value) == count, found.value
            assert found.page == page
        elif isinstance(expected, tuple):
            assert (found.value, found.page) == expected, (key, found)
        else:
            assert found.value == expected, (key, found)


@pytest.mark.parametrize("name", NAMES)
def test_every_quote_is_on_its_page(name: str, report_pdfs: dict[str, Path]) -> None:
    """A fact's page is where its quote is (the quote may run on to the next page)."""
    facts, pages = _facts(report_pdfs[name])
    doc = Document(pages)
    for key, fact in facts.items():
        assert key in FACT_KEYS
        assert fact.quote and "\n" not in fact.quote
        words = fact.quote.split()[:6]
        start, end = doc.page_span(fact.page)
        following = doc.page_span(fact.page + 1)[1] if fact.page < doc.page_count else end
        page_text = " ".join(doc.flat[start:following].split())
        assert " ".join(words).rstrip("\u2026") in page_text, (key, fact)


def test_nothing_is_guessed_from_an_empty_text() -> None:
    assert read_pages(["", ""]) == {}
    assert read_pages([]) == {}


def test_boilerplate_list_of_five_is_not_the_scope() -> None:
    pages = [
        "Acme SOC 2 Type 2 Report\n",
        "Independent Service Auditor's Report\nTo the Management of Acme Inc.:\n"
        "The trust services criteria comprise five categories: security, availability, processing "
        "integrity, confidentiality, and privacy.\nWe have examined Acme Inc.'s description throughout "
        "the period January 1, 2025 to June 30, 2025 based on the criteria relevant to security and "
        "availability.\nIn our opinion, in all material respects, the controls operated effectively.\n",
    ]
    facts = read_pages(pages)
    assert facts["criteria"].value == ["security", "availability"]


def test_mentions_of_other_report_types_do_not_decide_the_kind() -> None:
    pages = [
        "Report on Controls at Acme Inc. Relevant to Security\nSOC 2 Type II\n",
        "Independent Service Auditor's Report\nThis report is not a SOC 1 report. A SOC 3 report is also "
        "available. Acme's hosting provider's SOC 1 report is available on request.\n"
        "In our opinion, in all material respects, the controls operated effectively throughout the "
        "period 1 March 2025 to 31 August 2025.\n",
    ]
    assert read_pages(pages)["kind"].value == "soc2"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("throughout the period 01/02/2025 to 31/07/2025", ("2025-02-01", "2025-07-31")),
        ("throughout the period 02/01/2025 to 07/31/2025", ("2025-02-01", "2025-07-31")),
        ("throughout the period 1st February 2025 through 31st July 2025", ("2025-02-01", "2025-07-31")),
        ("throughout the period Feb. 1, 2025 - July 31, 2025", ("2025-02-01", "2025-07-31")),
        ("throughout the period 2025-02-01 to 2025-07-31", ("2025-02-01", "2025-07-31")),
    ],
)
def test_date_formats(text: str, expected: tuple[str, str]) -> None:
    pages = [
        "Independent Service Auditor's Report\nSOC 2 Type 2\nIn our opinion, the controls operated "
        f"effectively {text}.\n"
    ]
    facts = read_pages(pages)
    assert (facts["period_start"].value, facts["period_end"].value) == expected


def test_reader_output_is_plain_text() -> None:
    pages = [
        "Report \x1b]52;c;aGk=\x07 SOC 2 Type 2 \u202e\nIn our opinion, the controls operated effectively "
        "throughout the period January 1, 2025 to June 30, 2025.\n"
    ]
    for fact in read_pages(pages).values():
        assert "\x1b" not in fact.quote and "\u202e" not in fact.quote and "\x07" not in fact.quote


def test_pdf_fixture_is_a_real_pdf(report_pdfs: dict[str, Path]) -> None:
    data = report_pdfs["soc3"].read_bytes()
    assert data.startswith(b"%PDF-") and len(PdfReader(io.BytesIO(data)).pages) == 3
