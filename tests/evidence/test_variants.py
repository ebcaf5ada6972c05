"""Wordings other firms use, read from plain page texts (no PDF needed)."""

from __future__ import annotations

from socwizard.core.evidence.reader import read_pages

AUDITOR = "Independent Service Auditor's Report\nTo the Management of Kite Software, Inc.:\n"


def _read(*pages: str) -> dict[str, object]:
    return {key: fact.value for key, fact in read_pages(list(pages)).items()}


def test_repeated_column_headings_are_not_exceptions() -> None:
    tests = (
        "Section 4: Tests of Controls\nControl\nTest Performed\nExceptions Noted\n"
        "CC6.1\nMFA is required.\nInspected settings.\nNo exceptions noted.\n"
        "Control\nTest Performed\nExceptions Noted\n"
        "CC6.2\nAccess is removed.\nInspected tickets.\nNone\n"
    )
    facts = _read(
        "Kite Software, Inc. SOC 2 Type 2 Report\n",
        AUDITOR + "In our opinion, the controls operated effectively throughout the period "
        "January 1, 2025 to June 30, 2025.\nBrisk & Lane LLP\nJuly 30, 2025\n",
        tests,
    )
    assert facts["exceptions"] == []


def test_exception_with_a_colon_and_deviation_wording() -> None:
    tests = (
        "Section 4: Tests of Controls\nCC7.2\nAlerts are triaged.\nInspected alerts.\n"
        "Deviation: 1 of 25 alerts was closed without triage.\n"
        "CC8.1\nChanges are approved.\nInspected changes.\nExceptions: None.\n"
    )
    facts = _read(
        "Kite Software, Inc. SOC 2 Type 2 Report\n",
        AUDITOR + "In our opinion, the controls operated effectively throughout the period "
        "January 1, 2025 to June 30, 2025.\n",
        tests,
    )
    exceptions = facts["exceptions"]
    assert isinstance(exceptions, list) and [e["control"] for e in exceptions] == ["CC7.2"]


def test_qualified_without_a_basis_heading() -> None:
    facts = _read(
        "SOC 2 Type II Report of Kite Software, Inc.\n",
        AUDITOR + "In our opinion, except for the effects of the matter described in the preceding "
        "paragraph, the controls operated effectively throughout the period 1 April 2024 to 31 March 2025.\n",
    )
    assert facts["opinion"] == "qualified"
    assert (facts["period_start"], facts["period_end"]) == ("2024-04-01", "2025-03-31")


def test_type_2_implied_by_throughout_the_period() -> None:
    facts = _read(
        "Kite Software, Inc. SOC 2 Report\n",
        AUDITOR + "In our opinion, the controls operated effectively throughout the period "
        "March 1, 2025 to August 31, 2025.\n",
    )
    assert facts["type"] == "type2"


def test_period_written_as_months_ended() -> None:
    facts = _read(
        "Kite Software, Inc. SOC 1 Type 2 Report\n",
        AUDITOR + "In our opinion, the controls operated effectively for the twelve months ended "
        "December 31, 2025.\n",
    )
    assert facts["period_end"] == "2025-12-31" and "period_start" not in facts


def test_subservice_named_after_the_fact_and_carved_out() -> None:
    facts = _read(
        "Kite Software, Inc. SOC 2 Type 2 Report\n",
        AUDITOR + "Kite uses Amazon Web Services for hosting. Amazon Web Services is a subservice "
        "organization. The description does not include any of the controls implemented at Amazon "
        "Web Services.\nIn our opinion, the controls operated effectively throughout the period "
        "January 1, 2025 to June 30, 2025.\n",
    )
    assert facts["subservice_method"] == "carve_out"
    assert facts["subservice_organizations"] == ["Amazon Web Services"]


def test_bridge_letter_through_the_date_of_this_letter() -> None:
    facts = _read(
        "Kite Software, Inc.\nFebruary 2, 2026\nGap letter\nOur SOC 2 Type II report covered the period "
        "January 1, 2025 to September 30, 2025. We are not aware of any material changes from October 1, "
        "2025 through the date of this letter.\n"
    )
    assert facts["kind"] == "bridge_letter"
    assert facts["period_end"] == "2025-09-30" and facts["bridge_through"] == "2026-02-02"


def test_plain_user_entity_controls_heading() -> None:
    facts = _read(
        "Kite Software, Inc. SOC 2 Type 2 Report\n",
        AUDITOR + "In our opinion, the controls operated effectively throughout the period "
        "January 1, 2025 to June 30, 2025.\n",
        "Description of the System\nUser Entity Controls\n"
        "\u2022 Customers review their users' access quarterly.\n"
        "\u2022 Customers protect their API keys.\n",
    )
    assert facts["cuecs"] == [
        "Customers review their users' access quarterly.",
        "Customers protect their API keys.",
    ]


def test_iso_certificate_validity_range() -> None:
    facts = _read(
        "Certificate\nThis is to certify that the management system of Orbit Data Ltd\n"
        "conforms to ISO/IEC 27001:2022.\nValid from 1 June 2024 to 31 May 2027\nIssue date: 1 June 2024\n"
    )
    assert facts["kind"] == "iso27001_certificate"
    assert (facts["period_start"], facts["period_end"]) == ("2024-06-01", "2027-05-31")
    assert facts["service_organization"] == "Orbit Data Ltd"


def test_tests_section_titled_controls_and_results() -> None:
    facts = _read(
        "Kite Software, Inc. SOC 2 Type 2 Report\n",
        AUDITOR + "In our opinion, the controls operated effectively throughout the period "
        "January 1, 2025 to June 30, 2025.\n",
        "Description of the System\nCC6.1 is met by the following controls.\n",
        "Controls and Test Results\nCC6.1\nMFA is required.\nException noted: 1 of 30 accounts lacked MFA.\n",
    )
    exceptions = facts["exceptions"]
    assert isinstance(exceptions, list) and [(e["control"], e["page"]) for e in exceptions] == [("CC6.1", 4)]


def test_cuecs_listed_and_mapped_are_counted_once() -> None:
    facts = _read(
        "Kite Software, Inc. SOC 2 Type 2 Report\n",
        AUDITOR + "In our opinion, the controls operated effectively throughout the period "
        "January 1, 2025 to June 30, 2025.\n",
        "Description of the System\nComplementary User Entity Controls\n"
        "\u2022 Customers review their users' access quarterly.\n"
        "\u2022 Customers protect their API keys.\n",
        "Complementary User Entity Controls\nCriteria\nCUEC\n"
        "CC6.2 Customers review their users' access quarterly\n"
        "CC6.1, CC6.6 Customers protect their API keys\n"
        "Control #\nControl Activity\nCC6.1 Access requires MFA. No exceptions noted.\n",
    )
    assert facts["cuecs"] == [
        "Customers review their users' access quarterly.",
        "Customers protect their API keys.",
    ]


def test_a_firm_signing_with_its_profession_keeps_its_legal_name() -> None:
    facts = _read(
        "Kite Software, Inc. SOC 2 Type 2 Report\n",
        AUDITOR + "In our opinion, the controls operated effectively throughout the period "
        "1 January 2025 to 30 June 2025.\nHeather & Lyle LLP, Chartered Accountants\nEdinburgh\n"
        "14th August 2025\n",
    )
    assert facts["service_auditor"] == "Heather & Lyle LLP"
    assert facts["report_date"] == "2025-08-14"
